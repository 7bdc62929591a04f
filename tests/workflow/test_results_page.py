"""docs/RESULTS.md is what the committed tables give, and its verdicts follow the numbers."""

import json
import math

import pandas as pd
from support import ROOT

from zerolag.workflow.publish import publish
from zerolag.workflow.results_page import CLAIMS, Claim, Measured, render, score_of


def test_the_committed_page_is_what_the_committed_tables_give():
    page = render(ROOT / "docs/paper-scale", ROOT / "docs/quick-scale")
    committed = (ROOT / "docs/RESULTS.md").read_text()
    assert committed == page, (
        "docs/RESULTS.md is stale: python -m zerolag.workflow.results_page docs/paper-scale docs/quick-scale "
        "> docs/RESULTS.md"
    )


def test_every_published_paper_scale_table_has_its_provenance():
    ledger = json.loads((ROOT / "docs/paper-scale/provenance.json").read_text())
    tables = {p.stem for p in (ROOT / "docs/paper-scale").glob("*.csv")}
    assert tables <= set(ledger), f"tables without provenance: {sorted(tables - set(ledger))}"
    for name in tables:
        assert len(ledger[name]["commit"]) == 40 and len(ledger[name]["config_hash"]) == 64, name


def test_every_claim_is_measured_on_the_quick_scale_tables():
    # docs/quick-scale holds the tables of a `make reproduce` run: each claim's measure must work on them
    quick = ROOT / "docs/quick-scale"
    for claim in CLAIMS:
        table = pd.read_csv(quick / f"{claim.table}.csv", dtype={"subject": str})
        claim.measure(table)  # raises on a missing column or method


def test_verdicts_follow_the_numbers():
    table = pd.DataFrame({"method": ["m", "m"], "auc": [0.97, 0.99]})
    close = Claim("Fig. X", "x", "auc", score_of("auc"), paper=0.98, tolerance=0.02)
    assert close.verdict(close.measure(table)) == "reproduced"
    far = Claim("Fig. X", "x", "auc", score_of("auc"), paper=0.90, tolerance=0.02, differs_because="reason")
    assert far.verdict(far.measure(table)) == "differs: reason"
    at_least = Claim("Fig. X", "x", "auc", score_of("auc"), paper=0.985, at_least=True)
    assert at_least.verdict(at_least.measure(table)) == "differs"  # mean 0.98 < 0.985
    trend = Claim("Fig. X", "x", "t", lambda t: Measured(-0.2), paper=None)
    assert trend.verdict(Measured(-0.2)) == "differs" and trend.verdict(Measured(0.3)) == "reproduced"
    assert close.verdict(Measured(math.nan, n=0)) == "not measured"
    assert Measured(0.5, 0.1, 20).text() == "0.500 ± 0.100 (n = 20)"
    assert Measured(0.142, math.nan, 1).text(percent=True) == "14.2 %"


def test_render_marks_a_scale_not_run_and_publish_records_the_source(tmp_path):
    run = tmp_path / "run"
    (run / "results/tables").mkdir(parents=True)
    pd.DataFrame(
        {
            "method": ["zerolag_sampled_paper", "covariance"],
            "auc": [0.98, 0.93],
            "prs": [0.97, 0.5],
            "pcc": [0.95, 0.6],
            "pcc_all": [0.95, 0.29],
        }
    ).to_csv(run / "results/tables/fig2.csv", index=False)
    (run / "results/provenance.json").write_text(
        json.dumps({"code": {"commit": "a" * 40, "modified": False}, "config_sha256": "b" * 64})
    )
    (run / "results/figures").mkdir()
    (run / "results/figures/fig2.png").write_bytes(b"png")
    (run / "results/captions").mkdir()
    (run / "results/captions/fig2.rst").write_text("Measured: ``m`` AUC 0.980.\n")
    publish(run, tmp_path / "paper", ["fig2"], note="1 minute")
    page = render(tmp_path / "paper", tmp_path / "quick")
    assert "| example: G_est AUC | 0.980 | 0.980 | not run | reproduced |" in page
    assert "| example: covariance PCC (the paper's: all N² entries) (pcc_all) | 0.290 | 0.290 |" in page
    assert "| fig2 | `aaaaaaaaaaaa` | `bbbbbbbbbbbb` | 1 minute |" in page
    assert "paper scale not run yet" in page  # every other figure
    assert "![fig2 at paper scale](paper/fig2.png)" in page and "> Measured: `m` AUC 0.980." in page
    quick = render(tmp_path / "paper", tmp_path / "quick")
    assert quick == page  # nothing but the committed files: the same page again


def test_collider_margin_is_positive_only_when_the_collider_alone_has_the_entry():
    from zerolag.workflow.results_page import collider_margin

    def fig1(chain, collider):
        return pd.DataFrame(
            {"network": ["chain", "collider"], "row": [2, 2], "column": [3, 3], "inverse_covariance": [chain, collider]}
        )

    assert collider_margin(fig1(0.0, -0.25)).mean == 0.25
    assert collider_margin(fig1(0.3, -0.25)).mean < 0  # another network with a (2, 3) entry: the claim fails
    assert collider_margin(fig1(0.0, 0.0)).mean == 0  # no entry at all: not positive, not reproduced


def test_a_pipe_in_a_statement_does_not_split_the_row(monkeypatch, tmp_path):
    import zerolag.workflow.results_page as page

    claim = Claim("Fig. X", "x", "the size |a| of a", score_of("auc"), paper=0.5, tolerance=0.1)
    monkeypatch.setattr(page, "CLAIMS", [claim])
    pd.DataFrame({"method": ["m"], "auc": [0.55]}).to_csv(tmp_path / "x.csv", index=False)
    row = next(line for line in render(tmp_path, tmp_path).splitlines() if "the size" in line)
    assert row.count(" | ") == 4 and "\\|a\\|" in row


def _reliability_rows(null, fdp, n_declared):
    common = {"panel": "rules", "n": 30, "n_resamples": 200, "n_surrogates": 200, "n_samples": 20000, "noise_std": 0}
    rows = []
    for rep in (0, 1):
        rows.append({**common, "null": null, "rep": rep, "rule": "network_q", "level": 0.1, "nominal": 0.1,
                     "bound": float("nan"), "fdp": fdp[rep], "n_false": 1, "power": 0.5, "n_declared": n_declared,
                     "false_positive_rate": 0.01})  # fmt: skip
        rows.append({**common, "null": null, "rep": rep, "rule": "stability", "level": 0.9, "nominal": float("nan"),
                     "bound": 2.0, "fdp": 0.1, "n_false": 3, "power": 0.4, "n_declared": 0,
                     "false_positive_rate": 0.0})  # fmt: skip
    return rows


def test_the_reliability_section_marks_an_error_above_its_nominal_bound(tmp_path):
    quick = tmp_path / "quick"
    quick.mkdir()
    rows = _reliability_rows(False, [0.05, 0.25], 4) + _reliability_rows(True, [0.0, 0.0], 0)
    rows[-2]["n_declared"] = 2  # one null series declares under the network q rule
    pd.DataFrame(rows).to_csv(quick / "reliability.csv", index=False)
    page = render(tmp_path / "paper", quick)
    section = page[page.index("## Beyond the paper") :]
    assert "### Paper scale\n\nNot run yet at this scale." in section
    assert "2 networks (N = 30) and 2 null twins, 200 resamples and 200 surrogates per series." in section
    # the mean FDP 0.15 is above α = 0.1: bold; V = 3 above the bound 2: bold
    assert "| network-null q ≤ α | 0.1 | FDP (≤ 0.10) | **0.15** / 0.50 | 1 of 2 |" in section
    assert "| selection frequency ≥ π | 0.9 | V (E ≤ 2.0) | **3.0** / 0.40 | 0 of 2 |" in section
    fmri = pd.DataFrame(
        {"dataset": "hcp", "subject": ["100", "101", "102", "group"], "n_regions": 94, "kept": 884,
         "reliable": [10, 30, 20, 5], "n_subjects": [1, 1, 1, 3], "q": 0.05, "sign_stability": 0.95,
         "null_model": "network", "smallest_q": [0.01, 0.02, 0.01, 0.004]}
    )  # fmt: skip
    fmri.to_csv(quick / "fmri_reliability.csv", index=False)
    section = render(tmp_path / "paper", quick)
    assert (
        "links reliable at q ≤ 0.05 against the network null with a sign stable in ≥ 0.95 of the resamples, "
        "10–30 per subject (median 20; 3 subjects) of the 884 kept; in the group (t-test across 3 subjects, "
        "q ≤ 0.05): 5 (smallest q 0.004)." in section
    )
