"""The reliability figure end to end on a tiny config: the table's rows, a row from its seeds, the caption, the
report."""

import zipfile

import numpy as np
import pandas as pd
import pytest
from support import load_config, run_snakemake, write_config

from zerolag import NetworkSpec, bootstrap_connectivity, make_network, seed_from
from zerolag.simulation.ou import simulate_bold
from zerolag.workflow.reliability import RULES, declared_links, series_name

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # the block-length cap of short series
TINY = load_config("tiny_reliability")
CFG = TINY["reliability"]
NET = NetworkSpec(CFG["network"]["n"], CFG["network"]["p"], CFG["network"]["rho"]).name
NULL = NetworkSpec(CFG["network"]["n"], CFG["network"]["p"], 0.0).name


@pytest.fixture(scope="module")
def built(workdir):
    config = write_config(workdir, "tiny_reliability.yaml", TINY)
    result = run_snakemake(workdir, config, "reliability")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


@pytest.fixture(scope="module")
def table(built):
    return pd.read_csv(built / "results/tables/reliability.csv")


def test_table_has_a_row_per_network_series_rule_and_level_and_a_coverage_row(table):
    series = 2 * CFG["networks"] * len(CFG["lengths"]) * len(CFG["noise_std"])
    rules, coverage = table[table["panel"] == "rules"], table[table["panel"] == "coverage"]
    assert len(rules) == series * (2 * len(CFG["alphas"]) + len(CFG["thresholds"]) + 1) and len(coverage) == series
    assert set(table["network"]) == {NET, NULL} and set(table.loc[table["null"], "network"]) == {NULL}
    assert list(dict.fromkeys(rules["rule"])) == list(RULES)
    assert (table["n_resamples"] == CFG["n_resamples"]).all() and (table["n_surrogates"] == CFG["n_surrogates"]).all()
    assert (rules["n_false"] <= rules["n_declared"]).all() and (rules.loc[table["null"], "n_hits"] == 0).all()
    coupled = coverage[~coverage["null"]]
    assert coupled[["coverage_target_true", "coverage_g_true", "target_to_g"]].notna().all().all()
    assert np.isinf(table.loc[table["noise_std"] == 0, "snr"]).all() and (table["snr"] > 0).all()


def test_a_row_recomputed_from_its_seeds(table):
    """The coupled network's interval row at the shorter length without noise, from the names alone."""
    rep, length = 0, min(CFG["lengths"])
    g, _ = make_network(NetworkSpec.from_name(NET), random_state=seed_from(NET, rep))
    name = series_name(max(CFG["lengths"]), CFG["bold"])
    x = simulate_bold(g, tau=0.1, dt=0.1, duration=max(CFG["lengths"]) * 0.1, random_state=seed_from(NET, rep, name))
    res = bootstrap_connectivity(
        x[:length], n_resamples=CFG["n_resamples"], n_surrogates=CFG["n_surrogates"], confidence=CFG["confidence"],
        random_state=seed_from(NET, rep, name, length, "0", "bootstrap"), optimizer="fast",
    )  # fmt: skip
    row = table[
        (table["network"] == NET) & (table["rep"] == rep) & (table["n_samples"] == length)
        & (table["noise_std"] == 0) & (table["rule"] == "interval") & (table["panel"] == "rules")
    ].iloc[0]  # fmt: skip
    declared = declared_links(res, "interval", CFG["confidence"])
    assert row["data"] == name and row["n_declared"] == declared.sum() and row["n_false"] == (declared & (g == 0)).sum()


def test_caption_is_filled_from_the_table_and_the_report_renders(built, table):
    facts = (built / "results/captions/reliability.rst").read_text()
    null = table[table["null"] & (table["rule"] == "interval") & (table["panel"] == "rules")]
    assert f"interval declared a link in {int((null['n_declared'] > 0).sum())} of {len(null)} series" in facts
    assert "1 network and 1 null network" in facts and "nan" not in facts and "{" not in facts
    assert "Network-null BH q ≤ α" in facts and "Block lengths chosen from the data" in facts
    assert (built / "results/figures/reliability.png").stat().st_size > 10_000
    result = run_snakemake(built, built / "tiny_reliability.yaml", "reliability", "--report", "report.zip")
    assert result.returncode == 0, result.stderr[-3000:]
    html = zipfile.ZipFile(built / "report.zip").read("report/report.html").decode()
    assert "Which links can be trusted: the resampling statistics on ground truth" in html
    assert "{{" not in html and "{%" not in html and "snakemake.config" not in html
