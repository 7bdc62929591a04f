"""Caption sentences are computed from the table: change the table, the sentence changes with it."""

import numpy as np
import pandas as pd
import pytest

from zerolag.workflow.captions import FACTS, capped_fits, facts, write_facts


def fig3_table(fn_share=(0.14, 0.16), fp_share=(0.03, 0.05), sign=(0.9, 1.0)):
    rows = [
        {
            "panel": "B",
            "value": 0.21,
            "method": "zerolag",
            "top_fraction": 0.1,
            "fn_share": fn,
            "fp_share": fp,
            "sign_accuracy": s,
            "stop_reason": "xtol+ftol",
        }
        for fn, fp, s in zip(fn_share, fp_share, sign, strict=True)
    ]
    rows.append(
        {
            "panel": "A",
            "value": 0.7,
            "method": "zerolag",
            "top_fraction": 0.1,
            "fn_share": 0.5,
            "fp_share": 0.5,
            "sign_accuracy": 0.0,
            "stop_reason": "max_iter",
        }
    )
    return pd.DataFrame(rows)


def test_fig3_reports_the_papers_error_shares_at_p_021_from_the_table():
    text = facts("fig3", fig3_table())
    assert "false negatives 15.0 %" in text and "false positives 4.0 %" in text
    assert "correct sign for 95.0 %" in text and "2 networks" in text
    assert "14.2 %, 3.3 %" in text  # the paper's, beside ours
    assert "15.0 %" not in facts("fig3", fig3_table(fn_share=(0.2, 0.2)))


def test_fig3_says_when_p_021_was_not_run():
    table = fig3_table()
    assert "not a point of this run" in facts("fig3", table[table["panel"] == "A"])


def test_capped_fits_are_counted_per_method_and_methods_without_an_optimiser_are_left_out():
    table = pd.DataFrame(
        {
            "method": ["paper"] * 4 + ["fast"] * 2 + ["ric"] * 2,
            "stop_reason": ["max_iter", "max_iter", "max_iter", "ftol", "converged", "converged", np.nan, np.nan],
        }
    )
    text = capped_fits(table)
    assert "``paper`` in 3 of 4 fits (75.0 %)" in text and "``fast`` in 0 of 2 fits (0.0 %)" in text
    assert "ric" not in text
    assert capped_fits(table[table["method"] == "ric"]) == ""


def test_fig5_names_the_best_tau_per_length_as_measured():
    rows = []
    for duration in (100, 1000):
        for tau, auc in ((0.1, 0.6), (1.0, 0.8 if duration == 100 else 0.7), (10.0, 0.65)):
            rows.append({"method": "m", "duration_s": duration, "tau_s": tau, "auc": auc + duration / 1e4})
    text = facts("fig5", pd.DataFrame(rows))
    assert "T = 100 s: τ = 1 s" in text and "T = 1000 s: τ = 1 s" in text
    assert "does not fall with length at 2 of 3 τ values" in text  # τ = 1 s: 0.81 at 100 s, 0.80 at 1000 s
    rows[4]["auc"] = 0.99  # τ = 1 s at T = 1000 s: now the best by far
    rows[3]["auc"] = 0.99 + 0.01  # τ = 0.1 s at T = 1000 s beats it
    assert "T = 1000 s: τ = 0.1 s" in facts("fig5", pd.DataFrame(rows))


def test_fig8_reports_both_orders():
    table = pd.DataFrame(
        {
            "subject": ["a", "b", "a", "b"],
            "order": ["symmetrise_first"] * 2 + ["threshold_first"] * 2,
            "pairs": [10] * 4,
            "both": [2, 4, 5, 5],
            "neither": [6, 4, 3, 3],
            "agree": [8, 8, 8, 8],
        }
    )
    text = facts("fig8", table)
    assert "the paper's way): on average 3.0 pairs in both, 5.0 in neither" in text
    assert "our variant): on average 5.0 pairs in both" in text


def test_every_figure_with_facts_rejects_an_empty_table_and_unknown_names(tmp_path):
    with pytest.raises(ValueError, match="empty"):
        facts("fig7", pd.DataFrame(columns=["method", "auc"]))
    with pytest.raises(KeyError, match="no caption facts"):
        facts("fig99", fig3_table())
    path = tmp_path / "fig3.csv"
    fig3_table().to_csv(path, index=False)
    out = tmp_path / "captions/fig3.rst"
    assert write_facts("fig3", path, out) == out.read_text()
    assert set(FACTS) >= {"fig2", "fig3", "fig4", "fig5", "fig7", "fig8"}


def test_figS1A_sets_the_generator_variants_beside_sim1():
    rows = []
    for sim, noise, delay, d in [("sim1", 0.3, 0.5, 1.0), ("noisy", 1.0, 0.5, 0.8), ("hrf_delays", 0.3, 1.0, 0.7)]:
        for method, directed in [("pairwise_lr", True), ("correlation", False)]:
            rows.append(
                {
                    "simulation": sim,
                    "source": "generated",
                    "method": method,
                    "directed": directed,
                    "thermal_noise": noise,
                    "hrf_delay_sd": delay,
                    "c_sensitivity": 0.5,
                    "d_accuracy": d if directed else 0.5,
                }
            )
    rows.append({**rows[0], "simulation": "sim2"})  # a plain simulation: the usual settings are sim1's
    text = facts("figS1A", pd.DataFrame(rows))
    assert (
        "d-accuracy on sim1 → noisy (thermal noise 1 × the BOLD sd) → hrf_delays (HRF delay sd 1 s): "
        "``pairwise_lr`` 1.00 → 0.80 → 0.70." in text
    )
    assert "correlation`` 1.00" not in text  # symmetric methods are left out of the comparison
    plain = pd.DataFrame(rows)
    plain[["thermal_noise", "hrf_delay_sd"]] = [0.3, 0.5]
    assert "harder generator" not in facts("figS1A", plain)
