"""The lag-inputs figure end to end on a tiny config, and a region time-series subject estimated from its
long-run covariance (``fmri.methods``: ``covariance: long_run``)."""

import json
import zipfile

import numpy as np
import pandas as pd
import pytest
from support import load_config, run_snakemake, write_config

from zerolag import NetworkSpec, estimate, long_run_covariance, make_network, score, seed_from
from zerolag.simulation.var import simulate_var1
from zerolag.workflow.lag_inputs import series_name, simulate_series

TINY = load_config("tiny_lag_inputs")
CFG = TINY["lag_inputs"]
NET = NetworkSpec(CFG["network"]["n"], CFG["network"]["p"], CFG["network"]["rho"]).name
FMRI_NET = NetworkSpec(30, 0.1, 0.6)
FMRI_SEED = 0


@pytest.fixture(scope="module")
def built(workdir):
    g, _ = make_network(FMRI_NET, random_state=FMRI_SEED)
    (workdir / "lagged").mkdir()
    np.save(workdir / "lagged/s1.npy", simulate_var1(g, 20_000, random_state=FMRI_SEED))
    config = write_config(workdir, "tiny_lag_inputs.yaml", TINY)
    result = run_snakemake(workdir, config, "lag_inputs", "results/fmri/lagged/s1/network.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


@pytest.fixture(scope="module")
def table(built):
    return pd.read_csv(built / "results/tables/lag_inputs.csv")


def test_table_has_a_row_per_network_kind_length_input_and_per_spread_output(table):
    lag, noise = table[table["panel"] == "lag"], table[table["panel"] == "noise"]
    assert len(lag) == CFG["networks"] * len(CFG["kinds"]) * len(CFG["lengths"]) * 2
    assert len(noise) == CFG["networks"] * len(CFG["spreads"]) * 3
    assert set(lag["input"]) == {"zero_lag", "long_run"} and set(lag["kind"]) == set(CFG["kinds"])
    assert set(noise["output"]) == {"G_est", "G_norm", "G_norm_noise_aware"}
    assert set(lag["verdict"]) <= {"zero_lag", "long_run", "undetermined"}
    assert (lag.loc[lag["input"] == "zero_lag", "bandwidth"] == 1).all()
    assert lag[["partial_correlation_auc", "partial_correlation_prs", "partial_correlation_pcc"]].notna().all().all()
    # the diagnostic belongs to the series: the same on both inputs' rows
    both = lag.groupby(["rep", "kind", "n_samples"])[["verdict", "agreement"]].nunique()
    assert (both == 1).all().all()


def test_ar1_needs_the_long_run_input_and_the_diagnostic_says_so(table):
    longest = table[(table["panel"] == "lag") & (table["n_samples"] == max(CFG["lengths"]))]
    ar1 = longest[longest["kind"] == "ar1"].groupby("input")["auc"].mean()
    assert ar1["zero_lag"] < 0.6  # at chance: the zero-lag covariance is not of the model's form
    assert ar1["long_run"] > ar1["zero_lag"] + 0.3
    reference = longest[longest["kind"] == "ar1"].groupby("input")["partial_correlation_auc"].mean()
    assert reference["long_run"] > reference["zero_lag"] + 0.2  # the undirected reference is misled as well
    assert (longest.loc[longest["kind"] == "ar1", "verdict"] == "long_run").all()
    iid = longest[longest["kind"] == "iid"].groupby("input")["auc"].mean()
    assert abs(iid["zero_lag"] - iid["long_run"]) < 0.03 and iid.min() > 0.85  # both the model's form
    assert (longest.loc[longest["kind"] != "ar1", "verdict"] == "zero_lag").all()


def test_a_row_recomputed_from_its_seed(table):
    """The AR(1) long-run row of repetition 1 at the shorter length, from the names alone."""
    rep, length = 1, min(CFG["lengths"])
    g, truth = make_network(NetworkSpec.from_name(NET), random_state=seed_from(NET, rep))
    name = series_name("ar1", {}, max(CFG["lengths"]))
    x = simulate_series("ar1", g, max(CFG["lengths"]), settings={}, random_state=seed_from(NET, rep, name))[:length]
    g_est, _ = estimate("zerolag", long_run_covariance(x), **TINY["methods"]["zerolag_sampled_fast"]["params"])
    row = table[
        (table["panel"] == "lag")
        & (table["kind"] == "ar1")
        & (table["rep"] == rep)
        & (table["n_samples"] == length)
        & (table["input"] == "long_run")
    ].iloc[0]
    assert row["data"] == name and row["auc"] == score(truth, g_est)["auc"]


def test_normalised_output_recovers_g_under_unequal_noise(table):
    noise = table[table["panel"] == "noise"].groupby(["spread", "output"])["median_link_error"].mean()
    low, high = min(CFG["spreads"]), max(CFG["spreads"])
    assert noise[(low, "G_est")] < 1e-6 and noise[(low, "G_norm")] < 1e-6  # equal noise: exact
    assert noise[(high, "G_norm_noise_aware")] < noise[(high, "G_norm")] < noise[(high, "G_est")]


def test_caption_is_filled_from_the_table(built, table):
    facts = (built / "results/captions/lag_inputs.rst").read_text()
    ar1 = table[(table["kind"] == "ar1") & (table["n_samples"] == max(CFG["lengths"]))]
    expected = ar1.groupby("input")["auc"].mean()
    assert f"AR(1) {expected['zero_lag']:.3f} (zero-lag) and {expected['long_run']:.3f} (long-run" in facts
    assert "nan" not in facts and "{" not in facts
    result = run_snakemake(built, built / "tiny_lag_inputs.yaml", "lag_inputs", "--report", "report.zip")
    assert result.returncode == 0, result.stderr[-3000:]
    html = zipfile.ZipFile(built / "report.zip").read("report/report.html").decode()
    assert "Zero-lag or long-run input (beyond the paper)" in html and "Lag diagnostic" in html
    assert "{{" not in html and "{%" not in html and "snakemake.config" not in html


def test_fmri_subject_estimates_from_the_long_run_covariance(built):
    """A lagged network as region time series: the long-run label recovers it, the zero-lag label does not."""
    network = pd.read_csv(built / "results/fmri/lagged/s1/network.csv", keep_default_na=False)
    g, truth = make_network(FMRI_NET, random_state=FMRI_SEED)
    n = g.shape[0]
    rows, cols = network["target_index"].to_numpy() - 1, network["source_index"].to_numpy() - 1
    aucs = {}
    for label in ("zerolag_fmri", "zerolag_long_run"):
        m = np.zeros((n, n))
        m[rows, cols] = network[label].to_numpy()
        aucs[label] = score(truth, m)["auc"]
    assert aucs["zerolag_long_run"] > 0.85 and aucs["zerolag_fmri"] < 0.6, aucs
    log = (built / "logs/fmri/lagged/s1.log").read_text()
    assert "zerolag_long_run: long-run covariance, bandwidth" in log
    # the subject's record holds the lag diagnostic, whose verdict names the long-run input
    record = json.loads((built / "results/fmri/lagged/s1/record.json").read_text())
    assert record["lag_diagnostic"]["verdict"] == "long_run", record["lag_diagnostic"]
    assert "lag diagnostic: long_run" in log
