"""The tutorial branch of the workflow end to end on a tiny config, and its config validation."""

import numpy as np
import pandas as pd
import pytest
import yaml
from support import ROOT, load_config, run_snakemake, shipped_config, write_config

from zerolag.tutorial import neuromatch as tu

CONFIG = load_config("tiny_tutorial")
TINY_TUTORIAL = CONFIG["tutorial"]
MEASURES = ["pearson", "spearman", "kappa_topk", "kappa_median"]


def read(workdir, name):
    return pd.read_csv(workdir / f"results/tables/tutorial_{name}.csv")


@pytest.fixture(scope="module")
def built(workdir):
    config = write_config(workdir, "tiny_tutorial.yaml", CONFIG)
    result = run_snakemake(workdir, config, "tutorial")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


# `built` runs the tutorial_recorded job, which fails without the reference arithmetic: its tests skip there
@pytest.mark.reference_arithmetic
def test_recorded_numbers_are_reproduced_exactly(built):
    table = read(built, "recorded").set_index("n")
    assert list(table.index) == [6, 100]
    assert table.loc[6, "quality"] == 0.9596667994046594
    assert table.loc[100, "quality"] == 0.3629329824177816
    assert (table["quality"] == table["recorded"]).all() and table["exact"].all()
    assert list(table["quality_repr"].astype(str)) == ["0.9596667994046594", "0.3629329824177816"]


@pytest.mark.reference_arithmetic
def test_smoke_every_figure_and_table_is_built(built):
    """Smoke: every file exists and is not empty; the numbers are checked by the tests below."""
    for name in ("estimates", "size", "sparsity", "coarse", "side_by_side"):
        for suffix in ("pdf", "png"):
            assert (built / f"results/figures/tutorial_{name}.{suffix}").stat().st_size > 10_000
    assert any((built / "logs/tutorial/side_by_side/ou").rglob("N*.log"))
    assert (built / "results/benchmarks/tables/tutorial_bonus.tsv").exists()


@pytest.mark.reference_arithmetic
def test_estimates_table_holds_the_tutorial_network_and_its_estimate(built):
    cfg = TINY_TUTORIAL["estimates"]
    table = read(built, "estimates")
    n = cfg["n"]
    assert len(table) == n * n
    A = tu.create_connectivity(n, 42)
    X = tu.simulate_neurons(A, cfg["timesteps"], 42)
    assert np.array_equal(table["truth"].to_numpy().reshape(n, n), A)  # target-major, bit for bit through the CSV
    assert np.array_equal(table["estimate"].to_numpy().reshape(n, n), tu.correlation_for_all_neurons(X))
    selected = table["source"] == cfg["selected_neuron"]
    assert table.loc[~selected, "single_estimate"].isna().all()
    assert np.allclose(table.loc[selected, "single_estimate"], table.loc[selected, "estimate"])


@pytest.mark.reference_arithmetic
def test_experiment_tables_have_their_shape_and_ranges(built):
    size, sparsity, coarse = read(built, "size"), read(built, "sparsity"), read(built, "coarse")
    cfg = TINY_TUTORIAL
    assert len(size) == len(cfg["size"]["sizes"]) * len(cfg["size"]["seeds"])
    assert len(sparsity) == len(cfg["sparsity"]["sparsities"]) * len(cfg["sparsity"]["seeds"])
    assert list(coarse["group_size"]) == [4, 2] * len(cfg["coarse"]["seeds"])  # 16 neurons: 4 and 8 groups
    for table in (size, sparsity, coarse):
        values = table[MEASURES].to_numpy()
        finite = values[np.isfinite(values)]
        assert finite.size and np.all((finite >= -1) & (finite <= 1 + 1e-12))
    # 5 neurons, seed 2 draws no connection: NaN quality, as in the tutorial
    assert np.isnan(size.set_index(["n", "network_seed"]).loc[(5, 2), "pearson"])
    assert (size["simulation_seed"] == 42).all()
    row = size[(size["n"] == 10) & (size["network_seed"] == 1)].iloc[0]
    assert row["pearson"] == tu.get_sys_corr(10, cfg["size"]["timesteps"], 1)


@pytest.mark.reference_arithmetic
def test_bonus_table_times_the_run(built):
    bonus = read(built, "bonus")
    assert len(bonus) == 1
    row = bonus.iloc[0]
    assert row["n"] == 32 and row["timesteps"] == 500 and row["n_groups"] == 4
    assert row["seconds_simulation"] > 0
    A = tu.create_connectivity(32, 42)
    corr, _, _ = tu.get_coarse_corr(4, tu.simulate_neurons(A, 500, 42), A)
    assert row["coarse_quality"] == corr


@pytest.mark.reference_arithmetic
def test_side_by_side_table(built):
    table = read(built, "side_by_side")
    cfg = TINY_TUTORIAL["side_by_side"]
    methods = list(tu.COMPARED_METHODS)
    assert len(table) == 2 * len(cfg["sizes"]) * cfg["reps"] * len(methods)
    assert set(table["network"]) == {"tutorial", "paper"}
    assert set(table["status"]) <= {"ok", "empty", "unstable"}
    # the tutorial's 5-neuron network of seed 2 is empty: kept, labelled, not scored
    empty = table[(table["network"] == "tutorial") & (table["n"] == 5) & (table["rep"] == 2)]
    assert list(empty["status"]) == ["empty"] * 3 and empty["auc"].isna().all()
    ok = table[table["status"] == "ok"]
    assert set(ok["n"]) == set(cfg["sizes"])
    assert ok[["auc", "prs", "auc_reversed"]].apply(lambda c: c.between(0, 1)).all().all()
    assert ok[["pcc", "quality"]].apply(lambda c: c.between(-1, 1)).all().all()
    zerolag = ok[ok["method"] == "zerolag"]
    assert zerolag["n_iter"].notna().all() and zerolag["seconds"].notna().all()
    # the tutorial's network of repetition r is its legacy seed r, bit for bit
    lagged = ok[(ok["network"] == "tutorial") & (ok["method"] == "lagged_correlation")].iloc[0]
    A = tu.create_connectivity(int(lagged["n"]), int(lagged["rep"]), cfg["sparsity"])
    X = tu.simulate_neurons(A, cfg["timesteps"], int(lagged["rep"]))
    assert lagged["quality"] == tu.pearson_quality(A, tu.correlation_for_all_neurons(X))
    # lagged correlation recovers the small sigmoid network (the tutorial's point)
    small = ok[(ok["network"] == "tutorial") & (ok["n"] == 12) & (ok["method"] == "lagged_correlation")]
    assert small["auc"].min() > 0.9


@pytest.mark.reference_arithmetic
def test_rerun_has_nothing_to_do(built):
    result = run_snakemake(built, built / "tiny_tutorial.yaml", "-n", "tutorial")
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t["estimates"].update(selected_neuron=6), "tutorial.estimates.selected_neuron"),
        (lambda t: t["coarse"].update(n=24), "tutorial.coarse.n"),
        (lambda t: t["bonus"].update(n_groups=5), "tutorial.bonus.n_groups"),
        (lambda t: t["side_by_side"]["zerolag"].update(xtol=1e-3), "xtol"),
        (lambda t: t["side_by_side"].update(repz=2), "repz"),
        (lambda t: t["side_by_side"]["paper_network"].update(rho=1.0), "rho"),
        (lambda t: t["sparsity"].update(sparsities=[0.5, 1.0]), "['sparsity']['sparsities'][1]"),
        (lambda t: t["size"].update(seeds=[0, -1]), "['size']['seeds'][1]"),
    ],
)
def test_bad_tutorial_config_fails_naming_the_field(workdir, change, expected):
    bad = yaml.safe_load(yaml.safe_dump(CONFIG))
    change(bad["tutorial"])
    config = write_config(workdir, "bad_tutorial.yaml", bad)
    result = run_snakemake(workdir, config, "-n", "tutorial")
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["config.yaml", "paper.yaml"])
def test_shipped_configs_spell_out_every_tutorial_key(name):
    schema = yaml.safe_load((ROOT / "config/schema.yaml").read_text())["properties"]["tutorial"]
    config = shipped_config(name)["tutorial"]
    assert set(config) == set(schema["properties"])
    for section, sub in schema["properties"].items():
        assert set(config[section]) == set(sub["properties"]), section
    # the recorded contrast of the tutorial (6 and 100 neurons) is among the side-by-side sizes
    assert {6, 25, 100} <= set(config["side_by_side"]["sizes"])
