"""Views of the workflow's config: what the rules and the checks derive from it.

Every function is a function of the ``config`` dict (first argument) and the given key; none imports
Snakemake, and the only one that reads the disk is the discovery of a ``kind: bids`` dataset's runs
(:func:`fmri_bids_runs`, which lists the directory tree and reads no file).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zerolag.fmri.bids import BidsRun
    from zerolag.fmri.confound_strategies import ConfoundStrategy
    from zerolag.netsim import NetSimModel

__all__ = [
    "FMRI_RESERVED",
    "LONG_RUN",
    "fig3_points",
    "fmri_bids_runs",
    "fmri_confound_strategy",
    "fmri_datasets",
    "fmri_subjects",
    "method_input",
    "needs_timeseries",
    "net_name",
    "netsim_files",
    "netsim_model",
    "netsim_model_settings",
    "netsim_names",
    "netsim_simulations",
    "peers_data",
    "scaling_methods",
    "tutorial_paper_net",
]

Config = Mapping[str, Any]

FMRI_RESERVED: tuple[str, ...] = ("phantom", "phantom_regions", "inputs")
"""Dataset names the workflow makes itself or uses in its paths; a configured dataset may not take them."""

LONG_RUN = "long_run"
"""The value of a zero-lag label's ``params.covariance`` that estimates from the long-run covariance."""


def fig3_points(config: Config) -> list[tuple[str, str, Any, str]]:
    """Every point of Fig. 3, in panel order.

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``fig3.defaults``, ``fig3.sweeps``, ``fig3.background_fraction``).

    Returns
    -------
    list of (str, str, number, str)
        ``(panel, parameter, value, network name)``: the defaults with the swept parameter set to the
        value, e.g. ``("A", "rho", 0.7, "N100_p0.1_rho0.7_q0")``.

    Raises
    ------
    ValueError
        If a sweep value does not make a valid network spec (the message names the panel and value).
    """
    from zerolag.simulation.networks import NetworkSpec

    cfg = config["fig3"]
    points = []
    for panel, sweep in cfg["sweeps"].items():
        for value in sweep["values"]:
            spec = dict(cfg["defaults"])
            spec[sweep["parameter"]] = value
            try:
                net = NetworkSpec(
                    n=int(spec["n"]),
                    p=spec["p"],
                    rho=spec["rho"],
                    q=spec["q"],
                    background_fraction=cfg["background_fraction"],
                ).name
            except ValueError as exc:
                raise ValueError(f"config: fig3.sweeps.{panel} value {value}: {exc}") from exc
            points.append((panel, sweep["parameter"], value, net))
    return points


def net_name(spec: Mapping[str, Any]) -> str:
    """Network name of a ``{n, p, rho}`` mapping from the config (e.g. ``fig2.network``).

    Parameters
    ----------
    spec : mapping
        Holds ``n``, ``p`` and ``rho`` (other keys are ignored).

    Returns
    -------
    str
        The :attr:`zerolag.NetworkSpec.name`, e.g. ``N100_p0.1_rho0.3_q0``.
    """
    from zerolag.simulation.networks import NetworkSpec

    return NetworkSpec(n=int(spec["n"]), p=spec["p"], rho=spec["rho"]).name


def scaling_methods(config: Config) -> list[str]:
    """Methods the scaling figure times: the configured optimisers, then connFinder if a checkout is set.

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``scaling.optimizers`` and ``scaling.connfinder``).

    Returns
    -------
    list of str
    """
    cfg = config["scaling"]
    return list(cfg["optimizers"]) + (["connFinder"] if cfg["connfinder"] else [])


def tutorial_paper_net(config: Config, n: int | str) -> str:
    """Name of the paper's (OU) network of size ``n`` in the tutorial's side-by-side comparison.

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``tutorial.side_by_side.paper_network``).
    n : int or str
        Network size (a wildcard value is accepted).

    Returns
    -------
    str
        e.g. ``N6_p0.1_rho0.7_q0``.

    Raises
    ------
    ValueError
        If ``n`` and the paper network's ``p`` and ``rho`` do not make a valid network spec.
    """
    from zerolag.simulation.networks import NetworkSpec

    cfg = config["tutorial"]["side_by_side"]["paper_network"]
    try:
        return NetworkSpec(n=int(n), p=cfg["p"], rho=cfg["rho"]).name
    except ValueError as exc:
        raise ValueError(f"config: tutorial.side_by_side.sizes value {n} with paper_network {cfg}: {exc}") from exc


def fmri_bids_runs(config: Config, dataset: str) -> list[BidsRun]:
    """The runs of a ``kind: bids`` dataset: its ``root``'s preprocessed BOLD runs that its filters keep.

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``fmri.datasets.<dataset>``: ``root``, ``participant_label``, ``session``,
        ``task``, ``run``, ``space``).
    dataset : str
        A configured dataset of kind ``bids``.

    Returns
    -------
    list of zerolag.fmri.bids.BidsRun

    Raises
    ------
    ValueError
        Naming the dataset: what :func:`zerolag.fmri.bids.find_runs` refuses (no such directory, no matching run
        with what the tree holds, runs in several spaces without ``space``, two images of a run).
    """
    from zerolag.fmri.bids import RunFilter, find_runs

    ds = config["fmri"]["datasets"][dataset]
    try:
        selection = RunFilter(
            subjects=tuple(str(v) for v in ds.get("participant_label", [])),
            sessions=tuple(str(v) for v in ds.get("session", [])),
            tasks=tuple(str(v) for v in ds.get("task", [])),
            runs=tuple(str(v) for v in ds.get("run", [])),
            space=ds.get("space"),
        )
        return find_runs(ds["root"], selection)
    except ValueError as exc:
        raise ValueError(f"config: fmri.datasets.{dataset}: {exc}") from None


def fmri_confound_strategy(config: Config, dataset: str) -> ConfoundStrategy:
    """What a ``kind: bids`` dataset regresses: its ``confound_columns`` if any, else ``confounds_strategy``.

    Parameters
    ----------
    config : mapping
        The workflow's config.
    dataset : str
        A configured dataset of kind ``bids`` (``confounds_strategy`` absent = ``[simple]``).

    Returns
    -------
    zerolag.fmri.confound_strategies.ConfoundStrategy

    Raises
    ------
    ValueError
        Naming the dataset's ``confounds_strategy``, if its words do not parse or its columns are empty.
    """
    from zerolag.fmri.confound_strategies import ConfoundStrategy

    ds = config["fmri"]["datasets"][dataset]
    try:
        if ds.get("confound_columns"):
            return ConfoundStrategy.from_columns(ds["confound_columns"])
        return ConfoundStrategy.parse(ds.get("confounds_strategy", ["simple"]))
    except ValueError as exc:
        raise ValueError(f"config: fmri.datasets.{dataset}.confounds_strategy: {exc}") from None


def fmri_datasets(config: Config) -> dict[str, dict[str, Any]]:
    """Every fMRI dataset: the configured ones plus the phantom (NIfTI) and its region-level reference.

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``fmri.datasets`` and ``fmri.phantom``).

    Returns
    -------
    dict
        Dataset name → its entry (``kind``, ``tr``, ``subjects``, ...). ``phantom`` and
        ``phantom_regions`` list the subjects ``sub-01``, ``sub-02``, ... (``fmri.phantom.subjects`` of them).
        A ``kind: bids`` dataset's ``subjects`` are its runs (:func:`fmri_bids_runs`), by name
        (``sub-01_ses-1_task-rest_run-1``), each with its ``image`` and ``confounds`` file (``""`` if none).
    """
    cfg = config["fmri"]
    out = {}
    for name, ds in cfg["datasets"].items():
        out[name] = dict(ds)
        if ds["kind"] == "bids":
            out[name]["subjects"] = {
                run.name: {"image": str(run.bold), "confounds": "" if run.confounds is None else str(run.confounds)}
                for run in fmri_bids_runs(config, name)
            }
    names = [f"sub-{k + 1:02d}" for k in range(cfg["phantom"]["subjects"])]
    out["phantom"] = {"kind": "phantom", "tr": cfg["phantom"]["tr"], "subjects": names}
    out["phantom_regions"] = {"kind": "phantom_regions", "tr": cfg["phantom"]["tr"], "subjects": names}
    return out


def fmri_subjects(config: Config, dataset: str) -> list[str]:
    """Subject names of an fMRI dataset, in config order.

    Parameters
    ----------
    config : mapping
        The workflow's config.
    dataset : str
        A name of :func:`fmri_datasets` (a configured dataset, ``phantom`` or ``phantom_regions``).

    Returns
    -------
    list of str
        The keys of a ``subjects`` mapping, or the entries of a ``subjects`` list as strings.

    Raises
    ------
    KeyError
        If ``dataset`` is not a dataset.
    """
    subjects = fmri_datasets(config)[dataset]["subjects"]
    return list(subjects) if isinstance(subjects, dict) else [str(s) for s in subjects]


def needs_timeseries(config: Config, label: str) -> bool:
    """Whether the method behind a config label needs the time series (not only a covariance).

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``methods``).
    label : str
        A label under ``methods``.

    Returns
    -------
    bool
    """
    return method_input(config["methods"][label]) == "timeseries"


def method_input(entry: Mapping[str, Any]) -> str:
    """What the job gives a configured method: ``"covariance"`` or ``"timeseries"``.

    A time-series method (:data:`zerolag.METHOD_INPUTS`) gets the series; so does a zero-lag label whose
    ``params`` set ``covariance: long_run``, whose input, the long-run covariance, the job computes from the
    series (:func:`zerolag.workflow.jobs.run_method`).

    Parameters
    ----------
    entry : mapping
        One label of a ``methods`` section: ``{"method": …, "params": {…}}``.

    Returns
    -------
    str
    """
    from zerolag.methods.registry import METHOD_INPUTS

    if entry.get("params", {}).get("covariance") == LONG_RUN:
        return "timeseries"
    return METHOD_INPUTS[entry["method"]]


def peers_data(config: Config) -> str:
    """The ``{data}`` wildcard value of the peers' OU + HRF series (e.g. ``bold_T200000_tau0.1_tr1``).

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``peers.duration``, ``peers.tau`` and ``peers.tr``).

    Returns
    -------
    str
    """
    from zerolag.simulation.peers_data import BoldSeries

    cfg = config["peers"]
    return BoldSeries(cfg["duration"], cfg["tau"], cfg["tr"]).name


def netsim_simulations(config: Config) -> dict[str, dict[str, Any]]:
    """Generated NetSim-style simulations by name: their :class:`zerolag.netsim.NetSimSpec` fields.

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``netsim.simulations``).

    Returns
    -------
    dict
        Name → every key of the entry but ``name`` and ``model`` (see :func:`netsim_model`), in config
        order.
    """
    return {
        s["name"]: {k: v for k, v in s.items() if k not in ("name", "model")} for s in config["netsim"]["simulations"]
    }


def netsim_files(config: Config) -> dict[str, str]:
    """NetSim ``.mat`` files by simulation name.

    Parameters
    ----------
    config : mapping
        The workflow's config (uses ``netsim.files``).

    Returns
    -------
    dict
        Name → path, in config order.
    """
    return {f["name"]: f["path"] for f in config["netsim"]["files"]}


def netsim_names(config: Config) -> list[str]:
    """Simulations of Fig. S1A: the generated ones, then the NetSim files.

    Parameters
    ----------
    config : mapping
        The workflow's config.

    Returns
    -------
    list of str
    """
    return list(netsim_simulations(config)) + list(netsim_files(config))


def netsim_model_settings(config: Config, name: str | None = None) -> dict[str, Any]:
    """The generator's parameters for one simulation: ``netsim.model``, updated by the entry's ``model``.

    Parameters
    ----------
    config : mapping
        The workflow's config.
    name : str, optional
        A generated simulation (``netsim.simulations``); None for the shared parameters alone.

    Returns
    -------
    dict
        :class:`zerolag.netsim.NetSimModel` fields but ``balloon``.
    """
    settings = dict(config["netsim"]["model"])
    if name is not None:
        entry = next((s for s in config["netsim"]["simulations"] if s["name"] == name), None)
        if entry is None:
            raise KeyError(f"no generated NetSim-style simulation {name!r} in netsim.simulations")
        settings.update(entry.get("model", {}))
    return settings


def netsim_model(config: Config, name: str | None = None) -> NetSimModel:
    """The generator's parameters (config ``netsim.model``, the entry's ``model``, ``netsim.balloon``).

    Parameters
    ----------
    config : mapping
        The workflow's config.
    name : str, optional
        A generated simulation whose ``model`` entries replace the shared ones; None for the shared.

    Returns
    -------
    zerolag.netsim.NetSimModel

    Raises
    ------
    TypeError, ValueError
        If a key is unknown or a value out of range (as :class:`~zerolag.netsim.NetSimModel` and
        :class:`~zerolag.netsim.BalloonParameters` raise them).
    """
    from zerolag.netsim import BalloonParameters, NetSimModel

    return NetSimModel(**netsim_model_settings(config, name), balloon=BalloonParameters(**config["netsim"]["balloon"]))
