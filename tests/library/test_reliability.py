"""The reliability figure's library side: the rules' declarations on known answers, a row from its seeds, the
target of the coverage, the job plan, the caption's sentences and the plot."""

import numpy as np
import pandas as pd
import pytest
from support import shipped_config

from zerolag import NetworkSpec, bootstrap_connectivity, make_network, seed_from
from zerolag.estimation.surrogates import bh_q_values
from zerolag.simulation.observation import add_observation_noise
from zerolag.simulation.ou import simulate_bold
from zerolag.workflow.captions import facts
from zerolag.workflow.plan import reliability_jobs
from zerolag.workflow.reliability import (
    RULES,
    declared_links,
    exact_target,
    fewest_declarable,
    reliability_rows,
    rule_rows,
    series_name,
)

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # the block-length cap of short series
BOLD = {"dt": 0.1, "tau": 0.1}
FAST = {"options": {"optimizer": "fast"}}
SMALL = dict(
    noise_std=[0], bold=BOLD, n_resamples=40, n_surrogates=199, confidence=0.9, alphas=[0.05, 0.1],
    thresholds=[0.6, 0.9], top_fraction=0.1, label="fast", method=FAST,
)  # fmt: skip


def collider(n: int = 6) -> np.ndarray:
    """Node 2 driven strongly by node 0 (0.6) and weakly by nodes 1 and 3 (0.3, −0.3); the rest uncoupled."""
    g = np.zeros((n, n))
    g[2, [0, 1, 3]] = 0.6, 0.3, -0.3
    return g


# --- the rules on known answers


def test_the_null_network_declares_nothing_at_q_005():
    """No coupling: BH over either null's p-values declares no link (it could: 9 links at q ≤ 0.05 suffice, and
    one with the network null's pooled draws)."""
    net = "N10_p0.2_rho0_q0"
    rows = reliability_rows(net, 0, lengths=[10_000], **dict(SMALL, n_resamples=20))
    by = {(r["panel"], r["rule"], r["level"]): r for r in rows}
    for alpha in (0.05, 0.1):
        row = by[("rules", "surrogate_q", alpha)]
        assert row["n_declared"] == 0 and row["fewest_declarable"] <= 9 and row["n_true"] == 0
        assert np.isnan(row["power"]) and row["null"]
        network = by[("rules", "network_q", alpha)]
        assert network["n_declared"] == 0 and network["fewest_declarable"] == 1
    coverage = by[("coverage", "interval", 0.9)]
    assert coverage["coverage_target_absent"] == coverage["coverage_g_absent"]  # the target of G = 0 is 0
    assert np.isnan(coverage["coverage_target_true"]) and by[("rules", "interval", 0.9)]["n_hits"] == 0


def test_a_strong_link_is_declared_by_every_rule_with_its_sign():
    g = collider()
    x = simulate_bold(g, tau=0.1, dt=0.1, duration=2000, random_state=0)
    res = bootstrap_connectivity(x, n_resamples=40, n_surrogates=199, confidence=0.9, random_state=0)
    network = bootstrap_connectivity(
        x, n_resamples=0, n_surrogates=99, null_model="network", null_distribution="pooled", random_state=1
    )
    for rule, level in (("surrogate_q", 0.05), ("stability", 0.9), ("interval", 0.9)):
        assert declared_links(res, rule, level)[2, 0], rule
    assert declared_links(network, "network_q", 0.05)[2, 0]
    assert res.weights[2, 0] > 0.4
    rows = rule_rows(res, g, alphas=[0.05], thresholds=[0.9], network=network)
    assert [r["rule"] for r in rows] == list(RULES)
    for row in rows:
        assert row["n_hits"] >= 1 and row["sign_error"] == 0, row["rule"]
        assert row["fdp"] == row["n_false"] / max(row["n_declared"], 1)
        assert row["false_positive_rate"] == row["n_false"] / (30 - 3) and row["power"] == row["n_hits"] / 3
    assert rows[2]["bound"] == rows[2]["nominal"] == res.expected_false_selections(0.9)
    assert [r["rule"] for r in rule_rows(res, g, alphas=[0.05], thresholds=[0.9])] == [
        "surrogate_q", "stability", "interval"
    ]  # fmt: skip
    with pytest.raises(ValueError, match="unknown rule"):
        declared_links(res, "bonferroni", 0.05)
    with pytest.raises(ValueError, match="needs a result with null_model='network'"):
        declared_links(res, "network_q", 0.05)


def test_fewest_declarable_is_what_bh_can_declare_with_that_many_surrogates():
    m, s = 90, 199
    for alpha in (0.05, 0.1, 0.2):
        k = fewest_declarable(m, s, alpha)
        p = np.full((10, 10), 0.5)
        p[~np.eye(10, dtype=bool)] = np.r_[np.full(k, 1 / (s + 1)), np.full(m - k, 0.5)]
        np.fill_diagonal(p, np.nan)
        q = bh_q_values(p)
        assert np.sum(q <= alpha) == k  # k links at the smallest p-value are declared
        p[p == 1 / (s + 1)] = 0.5
        p.flat[1::11][: k - 1] = 1 / (s + 1)  # k − 1 of them are not
        assert np.sum(bh_q_values(p) <= alpha) == 0, alpha
    assert fewest_declarable(870, 200, 0.05) == 87


def test_exact_target_is_zero_without_coupling_and_shrinks_with_observation_noise():
    g = collider()
    assert np.array_equal(exact_target(np.zeros((5, 5)), bold=BOLD, noise_std=0, options={}), np.zeros((5, 5)))
    clean = exact_target(g, bold=BOLD, noise_std=0, options={})
    noisy = exact_target(g, bold=BOLD, noise_std=1, options={})
    true = g != 0
    assert np.allclose(clean[true], g[true], atol=0.1)  # equal noise, the same HRF: close to G itself
    assert np.all(np.abs(noisy[true]) < np.abs(clean[true])) and np.all(np.sign(noisy[true]) == np.sign(g[true]))
    assert np.all(np.diag(clean) == 0)


def test_a_row_recomputed_from_its_seeds():
    net, rep, length, sigma = "N8_p0.2_rho0.5_q0", 1, 4000, 0.5
    settings = dict(SMALL, noise_std=[sigma], n_resamples=20, n_surrogates=39)
    rows = reliability_rows(net, rep, lengths=[length, 2000], **settings)
    assert [r["n_samples"] for r in rows] == [2000] * 8 + [length] * 8
    g, _ = make_network(NetworkSpec.from_name(net), random_state=seed_from(net, rep))
    name = series_name(length, BOLD)
    x = simulate_bold(g, tau=0.1, dt=0.1, duration=length * 0.1, random_state=seed_from(net, rep, name))
    y, snr = add_observation_noise(x, sigma, random_state=seed_from(net, rep, name, "observation_noise"))
    res = bootstrap_connectivity(
        y, n_resamples=20, n_surrogates=39, confidence=0.9,
        random_state=seed_from(net, rep, name, length, f"{sigma:g}", "bootstrap"), optimizer="fast",
    )  # fmt: skip
    row = next(r for r in rows if r["n_samples"] == length and r["rule"] == "stability" and r["level"] == 0.6)
    assert row["data"] == name and row["snr"] == snr and row["block_length"] == res.block_length
    assert row["n_declared"] == int(declared_links(res, "stability", 0.6).sum())
    assert row["n_false"] == int((declared_links(res, "stability", 0.6) & (g == 0)).sum())


def test_one_job_per_network_and_per_null_twin():
    config = shipped_config("config.yaml")
    cfg = config["reliability"]
    net = NetworkSpec(cfg["network"]["n"], cfg["network"]["p"], cfg["network"]["rho"]).name
    null = NetworkSpec(cfg["network"]["n"], cfg["network"]["p"], 0).name
    reps = range(cfg["networks"])
    assert reliability_jobs(config) == [(net, r) for r in reps] + [(null, r) for r in reps]
    assert null == net.replace(f"rho{cfg['network']['rho']:g}", "rho0")


# --- the caption's sentences and the plot


def _table() -> pd.DataFrame:
    """Two networks and their null twins, two lengths, two noise levels; FDP 0.3 (coupled) at every α."""
    rows = []
    for null in (False, True):
        for rep in (0, 1):
            for length in (1000, 4000):
                for sigma in (0.0, 1.0):
                    common = {"null": null, "rep": rep, "n_samples": length, "noise_std": sigma, "n_resamples": 100,
                              "n_surrogates": 99, "block_length": 40 if sigma == 0 else 8,
                              "block_length_capped": length == 1000, "n_not_converged": 0}  # fmt: skip
                    power = np.nan if null else 0.5 + 0.1 * (length == 4000)
                    for alpha in (0.05, 0.2):
                        declared = 0 if null or alpha == 0.05 else 10
                        rows.append(
                            {**common, "panel": "rules", "rule": "surrogate_q", "level": alpha, "nominal": alpha,
                             "bound": np.nan, "fewest_declarable": 18 if alpha == 0.05 else 5,
                             "n_declared": declared, "n_false": 3 * (declared > 0), "n_hits": 7 * (declared > 0),
                             "fdp": 0.3 * (declared > 0), "power": power, "sign_error": 0.0 if declared else np.nan,
                             "false_positive_rate": 0.01}
                        )  # fmt: skip
                    for alpha in (0.05, 0.2):
                        declared = 0 if null else 8
                        rows.append(
                            {**common, "panel": "rules", "rule": "network_q", "level": alpha, "nominal": alpha,
                             "bound": np.nan, "fewest_declarable": 1, "n_declared": declared,
                             "n_false": declared // 8, "n_hits": declared - declared // 8,
                             "fdp": 0.125 * (declared > 0), "power": power, "sign_error": 0.0 if declared else np.nan,
                             "false_positive_rate": 0.002}
                        )  # fmt: skip
                    rows.append(
                        {**common, "panel": "rules", "rule": "stability", "level": 0.9, "nominal": 4.5, "bound": 4.5,
                         "fewest_declarable": np.nan, "n_declared": 6, "n_false": 6 if null else 2 + 4 * rep,
                         "n_hits": 0 if null else 4, "fdp": 1.0 if null else 0.3, "power": power,
                         "sign_error": np.nan if null else 0.25, "false_positive_rate": 0.02}
                    )  # fmt: skip
                    rows.append(
                        {**common, "panel": "rules", "rule": "interval", "level": 0.95, "nominal": 0.05,
                         "bound": np.nan, "fewest_declarable": np.nan, "n_declared": 20, "n_false": 10,
                         "n_hits": 0 if null else 10, "fdp": 0.5, "power": power, "sign_error": 0.0,
                         "false_positive_rate": 0.08 if sigma else 0.04}
                    )  # fmt: skip
                    rows.append(
                        {**common, "panel": "coverage", "rule": "interval", "level": 0.95,
                         "coverage_target_true": np.nan if null else 0.9, "coverage_target_absent": 0.93,
                         "coverage_g_true": np.nan if null else 0.6, "coverage_g_absent": 0.93,
                         "target_to_g": np.nan if null else (0.95 if sigma == 0 else 0.45),
                         "estimate_to_target": np.nan if null else (0.6 if length == 1000 else 0.9)}
                    )  # fmt: skip
    return pd.DataFrame(rows)


def test_caption_reports_what_the_table_measured():
    text = facts("reliability", _table())
    assert "2 networks and 2 null networks, 100 resamples and 99 surrogates per series" in text
    assert (
        "α = 0.05: FDP 0.00, above α in 0 of 4; nothing declared in any series in 4 of 4 (BH declares at least 18 "
        "links at once or none)" in text
    )
    assert "α = 0.2: FDP 0.30, above α in 4 of 4; power 0.50–0.60" in text
    assert "Network-null BH q ≤ α, absent links of the fitted network, pooled (means over networks in each of" in text
    assert "α = 0.05: FDP 0.12, above α in 4 of 4; power 0.50–0.60; α = 0.2: FDP 0.12, above α in 0 of 4" in text
    assert "network q ≤ 0.05 declared a link in 0 of 8 series" in text
    assert "π = 0.9: V 4.0 against the bound 4.5, within it in 4 of 8 series" in text
    assert "share of absent links declared 0.040–0.080 (nominal at most 0.05; above it in 2 of 4 cells)" in text
    assert "The target is 0.95 G at σ = 0, 0.45 G at σ = 1" in text
    assert "the estimate is 0.60 × the target at 1,000 samples and 0.90 × at 4,000" in text
    assert "Block lengths chosen from the data: 40 samples at σ = 0, 8 samples at σ = 1; capped" in text
    assert "q ≤ 0.2 declared a link in 0 of 8 series (mean 0.0 links)" in text
    assert "π = 0.9 declared a link in 8 of 8 series (mean 6.0 links, bound 4.5)" in text
    assert "nan" not in text
    changed = _table()
    changed.loc[changed["rule"] == "interval", "false_positive_rate"] = 0.01
    assert "above it in 0 of 4 cells" in facts("reliability", changed)


def test_plot_draws_eight_panels_with_the_nominal_lines():
    from zerolag.plotting.reliability import plot_reliability

    fig = plot_reliability(_table())
    assert len(fig.axes) == 8
    a, b, c, d = fig.axes[:4]
    for ax in (a, b):
        assert "FDP = α (nominal)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert a.get_title().startswith("surrogate BH") and b.get_title().startswith("network-null BH")
    assert "V = bound" in [t.get_text() for t in c.get_legend().get_texts()]
    assert any("1 − confidence" in t.get_text() for t in d.get_legend().get_texts())
    assert fig.axes[7].get_title() == "block length chosen from the data"
    assert "2 networks and 2 null networks" in fig.legends[0].get_title().get_text()
    assert plot_reliability(_table()[~_table()["null"]]).axes[6].get_title() == ""  # no null networks: empty
    with pytest.raises(ValueError, match="lacks the columns"):
        plot_reliability(_table().drop(columns=["fdp"]))
