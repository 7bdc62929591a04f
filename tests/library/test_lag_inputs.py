"""The lag-inputs figure's library side: the VAR(1) generator, the job's rows, the long-run input of a configured
method, the caption's sentences and the plot."""

import copy
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from snakemake.utils import validate

from zerolag import NetworkSpec, estimate, long_run_bandwidth, long_run_covariance, make_network, seed_from
from zerolag.simulation.var import simulate_var1, var1_stationary_covariance
from zerolag.workflow.captions import facts
from zerolag.workflow.config import method_input, needs_timeseries
from zerolag.workflow.jobs import run_method
from zerolag.workflow.lag_inputs import lag_rows, noise_rows, noise_sd, series_name
from zerolag.workflow.plan import lag_inputs_jobs, method_specs

ROOT = Path(__file__).resolve().parents[2]
NET = "N30_p0.1_rho0.6_q0"  # the networks of benchmarks/long_run_covariance.py
FAST = method_specs({"fast": {"method": "zerolag", "params": {"optimizer": "fast"}}}, ["fast"])["fast"]


# --- the VAR(1) generator


def test_var1_has_its_stationary_covariance_and_the_coupling_at_lag_one():
    g = np.array([[0.0, 0.0, 0.0], [0.7, 0.0, 0.0], [0.0, -0.5, 0.0]])
    x = simulate_var1(g, 200_000, random_state=0)
    gamma0 = var1_stationary_covariance(g)
    assert np.allclose(gamma0, g @ gamma0 @ g.T + np.eye(3))
    assert np.allclose(np.cov(x.T), gamma0, atol=0.03)
    lag1 = x[1:].T @ x[:-1] / (len(x) - 1)  # E[x_t x_{t-1}ᵀ] = G Γ(0)
    assert np.allclose(lag1, g @ gamma0, atol=0.03)
    s = np.linalg.inv(np.eye(3) - g)
    assert np.allclose(long_run_covariance(x), s @ s.T, atol=0.1)  # the model's form
    assert np.array_equal(simulate_var1(g, 100, random_state=1), simulate_var1(g, 100, random_state=1))


@pytest.mark.parametrize(
    ("g", "n", "message"),
    [
        (np.eye(2), 10, "spectral radius is 1 >= 1"),
        (np.zeros((2, 3)), 10, "square coupling matrix"),
        (np.zeros((2, 2)), 0, "n_samples must be a whole number"),
    ],
)
def test_var1_refuses_unstable_networks_and_bad_sizes(g, n, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        simulate_var1(g, n, random_state=0)


# --- the job's rows: known answers


def _by_input(rows, n_samples):
    return {r["input"]: r for r in rows if r["n_samples"] == n_samples}


def test_ar1_zero_lag_input_is_at_chance_and_the_long_run_input_recovers_the_network():
    rows = lag_rows(NET, 0, kinds={"ar1": {}}, lengths=[20_000], label="fast", method=FAST, top_fraction=0.1)
    by = _by_input(rows, 20_000)
    assert by["zero_lag"]["auc"] < 0.55 and by["long_run"]["auc"] > 0.9
    assert by["long_run"]["bandwidth"] > 5 and by["zero_lag"]["bandwidth"] == 1
    assert by["long_run"]["verdict"] == by["zero_lag"]["verdict"] == "long_run"
    assert by["long_run"]["data"] == series_name("ar1", {}, 20_000) == "ar1_T20000"


def test_partial_correlation_reference_is_scored_beside_each_input():
    """The reference is the partial correlation of the same input, scored as every undirected baseline."""
    from zerolag import score
    from zerolag.methods.baselines import partial_correlation

    rows = lag_rows(NET, 0, kinds={"ar1": {}}, lengths=[20_000], label="fast", method=FAST, top_fraction=0.1)
    by = _by_input(rows, 20_000)
    g, truth = make_network(NetworkSpec.from_name(NET), random_state=by["zero_lag"]["seed"])
    x = simulate_var1(g, 20_000, random_state=seed_from(NET, 0, "ar1_T20000"))
    expected = score(truth, partial_correlation(long_run_covariance(x)), top_fraction=0.1)
    assert by["long_run"]["partial_correlation_auc"] == expected["auc"]
    assert by["long_run"]["partial_correlation_pcc"] == expected["pcc"]
    # AR(1): the zero-lag covariance misleads the undirected reference too; the long-run one does not
    assert by["zero_lag"]["partial_correlation_auc"] < 0.65 < 0.85 < by["long_run"]["partial_correlation_auc"]


def test_white_noise_both_inputs_agree():
    rows = lag_rows(NET, 0, kinds={"iid": {}}, lengths=[10_000], label="fast", method=FAST, top_fraction=0.1)
    by = _by_input(rows, 10_000)
    assert abs(by["zero_lag"]["auc"] - by["long_run"]["auc"]) < 0.02 and by["zero_lag"]["auc"] > 0.9
    assert by["long_run"]["bandwidth"] <= 3 and by["zero_lag"]["verdict"] == "zero_lag"


def test_fast_sampled_ou_both_inputs_agree_within_sampling_error():
    settings = {"dt": 0.1, "tau": 1.0}
    rows = lag_rows(NET, 0, kinds={"ou": settings}, lengths=[40_000], label="fast", method=FAST, top_fraction=0.1)
    by = _by_input(rows, 40_000)
    assert abs(by["zero_lag"]["auc"] - by["long_run"]["auc"]) < 0.05 and min(r["auc"] for r in by.values()) > 0.85
    assert by["zero_lag"]["verdict"] == "zero_lag"


def test_lengths_are_prefixes_of_one_series():
    rows = lag_rows(NET, 1, kinds={"ar1": {}}, lengths=[3000, 1000], label="fast", method=FAST, top_fraction=0.1)
    assert [r["n_samples"] for r in rows] == [1000, 1000, 3000, 3000]
    assert {r["data"] for r in rows} == {"ar1_T3000"}  # one series, named (and seeded) by its longest length
    again = lag_rows(NET, 1, kinds={"ar1": {}}, lengths=[1000, 3000], label="fast", method=FAST, top_fraction=0.1)
    assert [r["auc"] for r in again] == [r["auc"] for r in rows]


def test_noise_sd_is_log_uniform_and_one_pattern_for_every_spread():
    sd1, sd2, sd3 = (noise_sd(1000, s, random_state=5) for s in (1, 2, 3))
    assert np.array_equal(sd1, np.ones(1000))
    assert sd3.min() >= 1 / 3 and sd3.max() <= 3 and sd3.min() < 0.4 and sd3.max() > 2.5
    assert np.allclose(np.log(sd2) / np.log(2), np.log(sd3) / np.log(3))
    with pytest.raises(ValueError, match="at least 1"):
        noise_sd(10, 0.5, random_state=0)


def test_noise_rows_equal_noise_exact_unequal_noise_normalised_and_noise_aware_better():
    rows = noise_rows(NET, 0, spreads=[1, 3], label="fast", method=FAST, top_fraction=0.1)
    by = {(r["spread"], r["output"]): r for r in rows}
    assert len(rows) == 6 and by[(3.0, "G_est")]["data"] == "noisefree_spread3"
    for output in ("G_est", "G_norm"):
        assert by[(1.0, output)]["median_link_error"] < 1e-8  # equal unit noise: G_est = G_norm = G
    err = {o: by[(3.0, o)]["median_link_error"] for o in ("G_est", "G_norm", "G_norm_noise_aware")}
    assert err["G_norm_noise_aware"] < err["G_norm"] < err["G_est"], err
    assert by[(3.0, "G_est")]["noise_sd_max"] <= 3 and by[(3.0, "G_est")]["noise_sd_min"] >= 1 / 3


# --- the workflow's long-run input for a configured method (fmri.methods, peers.methods)


def test_a_long_run_label_gets_the_series_and_estimates_from_its_long_run_covariance():
    g, _ = make_network(NetworkSpec.from_name(NET), random_state=3)
    x = simulate_var1(g, 5000, random_state=3)
    entry = {"method": "zerolag", "params": {"optimizer": "fast", "covariance": "long_run"}}
    spec = method_specs({"lr": entry}, ["lr"])["lr"]
    assert spec["input"] == method_input(entry) == "timeseries"
    assert method_input({"method": "zerolag", "params": {"covariance": "empirical"}}) == "covariance"
    assert needs_timeseries({"methods": {"lr": entry}}, "lr")
    g_est, record, _ = run_method(spec, timeseries=x)
    expected, _ = estimate("zerolag", long_run_covariance(x), optimizer="fast")
    assert np.array_equal(g_est, expected)
    assert record["covariance"] == "long_run" and record["long_run_bandwidth"] == long_run_bandwidth(x)
    assert record["method_options"] == entry["params"]
    plain = method_specs({"z": {"method": "zerolag", "params": {"optimizer": "fast"}}}, ["z"])["z"]
    g_zero, record_zero, _ = run_method(plain, np.cov(x.T))
    assert "long_run_bandwidth" not in record_zero and not np.array_equal(g_zero, g_est)
    with pytest.raises(ValueError, match="needs the time series"):
        run_method(spec, np.cov(x.T))
    bad = {**plain, "options": {"covariance": "ledoit_wolf"}}
    with pytest.raises(ValueError, match="covariance must be 'empirical' or 'long_run'"):
        run_method(bad, np.cov(x.T))


def _config():
    return yaml.safe_load((ROOT / "config/config.yaml").read_text())


def test_schema_takes_covariance_long_run_in_fmri_methods_and_refuses_other_values():
    config = _config()
    config["fmri"]["methods"]["zerolag_long_run"] = {
        "method": "zerolag",
        "params": {"optimizer": "paper", "covariance": "long_run", "xtol": 1e-3},
    }
    validate(copy.deepcopy(config), str(ROOT / "config/schema.yaml"))
    config["fmri"]["methods"]["zerolag_long_run"]["params"]["covariance"] = "lagged"
    with pytest.raises(Exception, match="lagged"):
        validate(config, str(ROOT / "config/schema.yaml"))


def test_one_job_per_network_of_the_configured_spec():
    config = _config()
    assert lag_inputs_jobs(config) == [(NET, rep) for rep in range(config["lag_inputs"]["networks"])]


# --- the caption's sentences and the plot


def _table():
    rows = []
    for rep in (0, 1):
        for kind, aucs in (("ar1", (0.44, 0.93)), ("bold", (0.92, 0.70))):
            for n_samples in (1000, 4000):
                for source, auc in zip(("zero_lag", "long_run"), aucs, strict=True):
                    rows.append(
                        {"panel": "lag", "kind": kind, "n_samples": n_samples, "input": source, "rep": rep,
                         "method": "fast", "auc": auc + 0.01 * rep, "prs": 0.5, "pcc": 0.5,
                         "bandwidth": 1 if source == "zero_lag" else 40, "bandwidth_clipped": kind == "bold",
                         "verdict": "long_run" if kind == "ar1" else "zero_lag",
                         "agreement": 0.3 if kind == "ar1" else 0.95, "stop_reason": "converged",
                         "partial_correlation_auc": auc - 0.1, "partial_correlation_prs": 0.4,
                         "partial_correlation_pcc": 0.4}
                    )  # fmt: skip
        for spread in (1.0, 3.0):
            for output, err in (("G_est", 0.2), ("G_norm", 0.04), ("G_norm_noise_aware", 0.005)):
                rows.append(
                    {"panel": "noise", "spread": spread, "output": output, "rep": rep, "method": "fast",
                     "auc": 0.9, "prs": 0.5, "pcc": 0.5, "median_link_error": err * (spread > 1),
                     "stop_reason": "converged"}
                )  # fmt: skip
    return pd.DataFrame(rows)


def test_caption_reports_the_longest_length_the_verdicts_and_the_noise_panel():
    text = facts("lag_inputs", _table())
    assert "longest length (4,000 samples, 2 networks)" in text
    assert (
        "AR(1) 0.445 (zero-lag) and 0.935 (long-run, median bandwidth 40; partial correlation 0.340 and 0.830)" in text
    )
    assert (
        "OU + HRF 0.925 (zero-lag) and 0.705 (long-run, median bandwidth 40, clipped in 2 of 2; "
        "partial correlation 0.820 and 0.600)" in text
    )
    assert "AR(1) ``long_run`` 4 of 4 (agreement at the longest length 0.30)" in text
    assert "at s = 3, G_est AUC 0.900 (median error 0.2)" in text
    changed = _table()
    changed.loc[(changed["kind"] == "ar1") & (changed["input"] == "long_run"), "auc"] = 0.6
    assert "0.935" not in facts("lag_inputs", changed) and "0.600 (long-run" in facts("lag_inputs", changed)


def test_plot_draws_a_column_per_kind_and_the_diagnostic_and_noise_column():
    from zerolag.plotting.lag_inputs import plot_lag_inputs

    fig = plot_lag_inputs(_table())
    assert len(fig.axes) == 3 * (2 + 1)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "partial correlation of the long-run covariance" in labels and len(fig.axes[0].lines) >= 4
    without = plot_lag_inputs(_table().drop(columns=[f"partial_correlation_{k}" for k in ("auc", "prs", "pcc")]))
    assert not any("partial" in t.get_text() for t in without.legends[0].get_texts())
    with pytest.raises(ValueError, match="lacks the columns"):
        plot_lag_inputs(_table().drop(columns=["verdict"]))
