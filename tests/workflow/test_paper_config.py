"""config/paper.yaml, merged over config/config.yaml as Snakemake merges it, is the paper's configuration.

``snakemake reproduce_all --configfile config/paper.yaml`` loads config/config.yaml (the Snakefile's
``configfile:``) and merges config/paper.yaml over it with ``snakemake.utils.update_config``: mappings merge
key by key, lists and scalars are replaced whole. These tests build that merged config, validate it against
config/schema.yaml and check the paper's parameters in it, each expected value written once next to where it
comes from: the paper (Schiefer et al. 2018, PLoS Comput Biol 14:e1006056; ../shared/seeds/), the authors'
notebook (as restated in ../shared/PAPER.md), or our choice. They also keep the overlay minimal: every value in
paper.yaml must differ from config.yaml's.
"""

import copy
from pathlib import Path

import pytest
from snakemake.common.configfile import load_configfile
from snakemake.utils import update_config, validate

ROOT = Path(__file__).resolve().parents[2]
QUICK = ROOT / "config/config.yaml"
PAPER = ROOT / "config/paper.yaml"
SCHEMA = ROOT / "config/schema.yaml"

# --- the paper's values -------------------------------------------------------------------------------------

# Methods, "Network models": "20 repetitions were simulated"; Fig. 3 caption "20 realizations"; Fig. 7 "20
# different networks". The frequency-resolved example (beyond the paper) and the peers table use as many.
NETWORKS_PER_POINT = 20
# Results, Fig. 3: "The default values of the parameters used in our study were N = 100, p = 0.1 and ρ = 0.7";
# no weak background (q = 0) outside panel D.
FIG3_DEFAULTS = {"n": 100, "p": 0.1, "rho": 0.7, "q": 0.0}
# Fig. 3A: ρ from 0.1 to 0.9 (PAPER.md §6; the step is not given).
FIG3_RHO_RANGE = (0.1, 0.9)
# Fig. 3B: p = 0.025 … 0.275 in steps of 0.025 (the authors' notebook, PAPER.md §6), and p = 0.21, where the
# Results quote the shares of false negatives and false positives.
FIG3_P_VALUES = sorted([0.025 * k for k in range(1, 12)] + [0.21])
# Fig. 3C: N = 20 … 170 in steps of 15 (the authors' notebook, PAPER.md §6).
FIG3_N_VALUES = list(range(20, 171, 15))
# Fig. 3D: a weak background whose spectral radius is 20 % of the skeleton's (PAPER.md §6); the q range is ours.
FIG3_BACKGROUND_FRACTION = 0.2
# Estimation step 5 (PAPER.md §2): the paper's optimiser, κ = 2000, noise-free covariances xtol = gtol = 0.5,
# ftol = 1e-4, at most 10 000 iterations (the authors' notebook).
NOISE_FREE_ZEROLAG = {"optimizer": "paper", "kappa": 2000, "xtol": 0.5, "gtol": 0.5, "ftol": 1.0e-4, "max_iter": 10000}
# Same step, sampled data: xtol = gtol = 1e-3, ftol = 1e-5, at most 10 000 iterations (the authors' notebook).
SAMPLED_ZEROLAG = {"optimizer": "paper", "xtol": 1.0e-3, "gtol": 1.0e-3, "ftol": 1.0e-5, "max_iter": 10000}
# Methods, "Simulation of time series": "Δt = 0.1 s ... connection probability p = 0.1 ... spectral radius of
# ρ = 0.3" (the notebook too; the Results quote ρ = 0.74) and N = 100 (Results, Fig. 4: "We used N = 100").
TS_NETWORK = {"n": 100, "p": 0.1, "rho": 0.3}
DT = 0.1
# Results, Fig. 4: "τ = 0.1 s as default values of the parameters".
TAU = 0.1
# The authors' notebook's example simulated 200 000 s (PAPER.md §4).
DURATION = 200000
# Fig. 4 caption: "The total number of nodes in the network was N = 180."
FIG4B_N = 180
# Fig. 4A: σ_obs ∈ {0.5, 1, 2, 5, 10, 30} (the authors' notebook, PAPER.md §6).
FIG4A_NOISE_STD = [0.5, 1, 2, 5, 10, 30]
# Fig. 7 / Discussion: Regularized Inverse Covariance as in FSLNets, λ = 5 (PAPER.md §6).
RIC_LAMBDA = 5
# Results, fMRI: "a threshold of 10% was applied, ... 810 connections for each dataset".
TOP_FRACTION = 0.1
# Methods, fMRI data: "Seven healthy subjects ... TR = 0.1 s, 12000 time points"; our phantom mimics them.
FMRI_SUBJECTS = 7
MREG_TR = 0.1
MREG_VOLUMES = 12000
# Results, fMRI: connections "in at least 4 subjects" (PAPER.md §6: 301 connections in ≥ 4 subjects).
MIN_SUBJECTS = 4
# NetSim (Smith et al. 2011, PAPER.md §8): 50 subjects; sim1-4 have 5/10/15/50 nodes, 10-minute sessions.
NETSIM_SUBJECTS = 50
NETSIM_SIZES = {"sim1": 5, "sim2": 10, "sim3": 15, "sim4": 50}
NETSIM_DURATION = 600


# --- the merge ------------------------------------------------------------------------------------------------


def _merged() -> dict:
    """config/config.yaml with config/paper.yaml merged over it, as ``--configfile config/paper.yaml`` does."""
    config = load_configfile(str(QUICK))
    update_config(config, load_configfile(str(PAPER)))
    return config


@pytest.fixture(scope="module")
def paper() -> dict:
    return _merged()


def _contains(values: list, expected: float) -> bool:
    return any(value == pytest.approx(expected) for value in values)


def test_merged_config_is_valid(paper):
    validate(copy.deepcopy(paper), str(SCHEMA), set_default=False)


def test_twenty_networks_per_point(paper):
    for section in ("fig3", "fig4", "fig5", "fig7", "peers", "freq"):
        assert paper[section]["networks"] == NETWORKS_PER_POINT, section


def test_fig3_defaults_and_sweeps(paper):
    fig3 = paper["fig3"]
    assert fig3["defaults"] == pytest.approx(FIG3_DEFAULTS)
    assert fig3["background_fraction"] == FIG3_BACKGROUND_FRACTION
    sweeps = {panel["parameter"]: panel["values"] for panel in fig3["sweeps"].values()}
    assert [fig3["sweeps"][letter]["parameter"] for letter in "ABCD"] == ["rho", "p", "n", "q"]
    rho = sweeps["rho"]
    assert (min(rho), max(rho)) == pytest.approx(FIG3_RHO_RANGE)
    assert sweeps["p"] == pytest.approx(FIG3_P_VALUES)
    assert sweeps["n"] == FIG3_N_VALUES
    assert min(sweeps["q"]) == 0.0  # panel D starts from the skeleton alone
    for parameter, values in sweeps.items():
        assert values == sorted(values), parameter
    # ρ, p and q sweeps pass through the default point (the notebook's N grid 20, 35, ... 170 skips N = 100)
    for parameter in ("rho", "p", "q"):
        assert _contains(sweeps[parameter], FIG3_DEFAULTS[parameter]), parameter


def test_noise_free_zerolag_is_the_paper_optimiser(paper):
    fig3 = paper["fig3"]
    assert fig3["plot_method"] in fig3["methods"]
    method = paper["methods"][fig3["plot_method"]]
    assert method["method"] == "zerolag"
    assert method["params"] == pytest.approx(NOISE_FREE_ZEROLAG)


def _zerolag_labels(paper: dict) -> dict[str, str]:
    """Where each sampled-data figure names its zero-lag estimator (its first method)."""
    return {
        "fig2": paper["fig2"]["methods"][0],
        "fig4": paper["fig4"]["methods"][0],
        "fig5": paper["fig5"]["methods"][0],
        "fig7": paper["fig7"]["methods"][0],
        "freq": paper["freq"]["method"],
        "peers": paper["peers"]["methods"][0],
        "netsim": paper["netsim"]["methods"][0],
    }


def test_sampled_data_zerolag_is_the_paper_optimiser(paper):
    for figure, label in _zerolag_labels(paper).items():
        method = paper["methods"][label]
        assert method["method"] == "zerolag", figure
        # the whole params dict: no quick-scale key (e.g. a fast-optimiser option) survives the merge
        assert method["params"] == pytest.approx(SAMPLED_ZEROLAG), (figure, label)


def test_sampled_data_figures_run_both_optimisers_on_the_same_simulations(paper):
    fast = {"method": "zerolag", "params": {"optimizer": "fast"}}
    for figure in ("fig2", "fig4", "fig5", "fig7"):
        methods = paper[figure]["methods"]
        assert paper["methods"][methods[0]]["params"] == pytest.approx(SAMPLED_ZEROLAG), figure
        assert [m for m in methods if paper["methods"][m] == fast], f"{figure}: no fast-optimiser method"


def test_time_series_figures(paper):
    assert paper["timeseries"]["dt"] == DT
    fig4 = paper["fig4"]
    panels = {"fig2": paper["fig2"], "fig4A": fig4["A"], "fig4B": fig4["B"], "fig7": paper["fig7"]}
    panels["peers"] = paper["peers"]  # Fig. 7's networks and signal
    for name, panel in panels.items():
        network = dict(TS_NETWORK, n=FIG4B_N) if name == "fig4B" else TS_NETWORK
        assert panel["network"] == pytest.approx(network), name
        assert panel["tau"] == TAU, name
        assert panel["duration"] == DURATION, name
    assert fig4["A"]["noise_std"] == pytest.approx(FIG4A_NOISE_STD)
    assert max(fig4["B"]["observed"]) == 1.0  # the fully observed network is a point of Fig. 4B
    fig5 = paper["fig5"]
    assert fig5["network"] == pytest.approx(TS_NETWORK)
    assert _contains(fig5["taus"], TAU)  # the grid holds the default point
    assert _contains(fig5["durations"], DURATION)
    fig7 = paper["fig7"]
    ric = paper["methods"][fig7["methods"][1]]
    assert ric == {"method": "ric", "params": {"lam": RIC_LAMBDA}}


def test_scoring_threshold(paper):
    assert paper["scoring"]["top_fraction"] == TOP_FRACTION


def test_fmri(paper):
    fmri = paper["fmri"]
    estimator = fmri["methods"][fmri["estimator"]]
    assert estimator["method"] == "zerolag"
    assert estimator["params"] == pytest.approx(SAMPLED_ZEROLAG)
    assert fmri["methods"][fmri["ric"]] == {"method": "ric", "params": {"lam": RIC_LAMBDA}}
    assert fmri["top_fraction"] == TOP_FRACTION
    assert fmri["min_subjects"] == MIN_SUBJECTS
    phantom = fmri["phantom"]
    assert phantom["subjects"] == FMRI_SUBJECTS
    assert (phantom["tr"], phantom["n_volumes"]) == (MREG_TR, MREG_VOLUMES)


def test_tutorial_side_by_side_uses_the_paper_optimiser(paper):
    side = paper["tutorial"]["side_by_side"]
    assert side["zerolag"] == pytest.approx(SAMPLED_ZEROLAG)
    assert side["paper_network"] == pytest.approx(
        {"p": FIG3_DEFAULTS["p"], "rho": FIG3_DEFAULTS["rho"], "tau": TAU, "dt": DT}
    )


def test_netsim(paper):
    netsim = paper["netsim"]
    assert netsim["subjects"] == NETSIM_SUBJECTS
    simulations = {sim["name"]: sim for sim in netsim["simulations"]}
    assert len(simulations) == len(netsim["simulations"])  # names are unique
    for name, nodes in NETSIM_SIZES.items():
        assert simulations[name]["nodes"] == nodes, name
        assert simulations[name]["duration"] == NETSIM_DURATION, name


# --- the overlay holds only what differs ---------------------------------------------------------------------

_MISSING = object()


def _same_leaves(overlay, quick, path=()):
    """Paths of paper.yaml whose value equals config.yaml's there (a list is one leaf: it replaces whole)."""
    if isinstance(overlay, dict):
        if not overlay:
            yield path  # an empty mapping merges as nothing
        for key, value in overlay.items():
            sub = quick.get(key, _MISSING) if isinstance(quick, dict) else _MISSING
            yield from _same_leaves(value, sub, (*path, key))
    elif quick is not _MISSING and type(overlay) is type(quick) and overlay == quick:
        yield path


def test_overlay_holds_only_differences():
    overlay = load_configfile(str(PAPER))
    quick = load_configfile(str(QUICK))
    assert list(_same_leaves(overlay, quick)) == []
