"""The workflow end to end on a tiny config, its lint, and its config validation."""

import os
import shutil
import subprocess

import pandas as pd
import pytest
import yaml
from support import ROOT, SNAKEMAKE, copy_workflow, load_config, run_snakemake, write_config

TINY = load_config("tiny")


@pytest.fixture(scope="module")
def fig3_table(workdir):
    config = write_config(workdir, "tiny.yaml", TINY)
    result = run_snakemake(workdir, config, "results/figures/fig3.pdf")
    assert result.returncode == 0, result.stderr[-3000:]
    return pd.read_csv(workdir / "results/tables/fig3.csv")


def test_fig3_table_has_one_row_per_point_network_and_method(fig3_table, workdir):
    points = sum(len(s["values"]) for s in TINY["fig3"]["sweeps"].values())
    assert len(fig3_table) == points * TINY["fig3"]["networks"] * len(TINY["fig3"]["methods"])
    for column in (
        "panel",
        "parameter",
        "value",
        "network",
        "rep",
        "method",
        "auc",
        "prs",
        "pcc",
        "tp",
        "fp",
        "fn",
        "tn",
        "sign_accuracy",
        "fnr_density",
        "converged",
        "seconds",
    ):
        assert column in fig3_table.columns
    assert fig3_table[["auc", "prs", "pcc"]].notna().all().all()
    assert fig3_table["auc"].between(0, 1).all() and fig3_table["prs"].between(0, 1).all()
    assert set(fig3_table["panel"]) == {"A", "B", "C", "D"}
    counts = fig3_table.groupby(["panel", "value", "method"]).size()
    assert (counts == TINY["fig3"]["networks"]).all()
    # the sweep value is the parameter of the network actually used
    for _, row in fig3_table.iterrows():
        assert row[row["parameter"]] == pytest.approx(row["value"])
    # a smoke check at this size (N = 12–16, 300 iterations): a symmetric or transposed estimate passes it too;
    # test_paper_point_is_recovered_as_directed_and_signed is the check that tells them apart
    means = fig3_table.groupby("method")["auc"].mean()
    assert means["zerolag"] > means["covariance"]


def test_smoke_fig3_figure_is_written(fig3_table, workdir):
    """Smoke: the figure files exist and are not empty; what they show is the table checked above."""
    for suffix in ("pdf", "png"):
        assert (workdir / f"results/figures/fig3.{suffix}").stat().st_size > 10_000


def test_shared_networks_and_wildcard_seeds(fig3_table, workdir):
    # the default spec appears in every panel but is drawn (and estimated) once per repetition
    default = "N16_p0.15_rho0.6_q0"
    shared = fig3_table[(fig3_table["network"] == default) & (fig3_table["method"] == "zerolag")]
    assert set(shared["panel"]) == {"A", "B", "C", "D"}
    assert shared.groupby("rep")["auc"].nunique().eq(1).all()

    from zerolag import NetworkSpec, covariance_from_network, estimate, make_network, score, seed_from

    # one job per spec: its run table holds every repetition and method once
    run = pd.read_csv(workdir / f"results/runs/noisefree/{default}.csv")
    assert len(run) == TINY["fig3"]["networks"] * len(TINY["fig3"]["methods"])
    # a row recomputed here from the seed alone: the network drawn with seed_from(name, rep), its exact covariance
    g, truth = make_network(NetworkSpec.from_name(default), random_state=seed_from(default, 1))
    g_est, _ = estimate("zerolag", covariance_from_network(g), **TINY["methods"]["zerolag"]["params"])
    expected = score(truth, g_est, top_fraction=TINY["scoring"]["top_fraction"])
    row = shared[shared["rep"] == 1].iloc[0]
    for key in ("auc", "prs", "pcc", "tp", "fp", "sign_accuracy"):
        assert row[key] == expected[key], key
    # every row records the seed its network was drawn with
    assert (
        fig3_table["seed"] == [seed_from(n, r) for n, r in zip(fig3_table["network"], fig3_table["rep"], strict=True)]
    ).all()


def test_every_job_logged_and_benchmarked(fig3_table, workdir):
    nets = set(fig3_table["network"])
    assert {p.stem for p in (workdir / "logs/runs/noisefree").glob("*.log")} == nets
    assert {p.stem for p in (workdir / "results/benchmarks/runs/noisefree").glob("*.tsv")} == nets
    for name in ("fig3_table", "fig3_figure"):
        assert (workdir / f"logs/{'tables' if name.endswith('table') else 'figures'}/fig3.log").is_file(), name


def test_rerun_has_nothing_to_do(fig3_table, workdir):
    result = run_snakemake(workdir, workdir / "tiny.yaml", "-n", "results/figures/fig3.pdf")
    assert result.returncode == 0
    assert "Nothing to be done" in result.stdout + result.stderr


def test_report_zip_holds_the_figure_its_table_and_captions(fig3_table, workdir):
    """`snakemake --report report.zip` (the workflow catalog's form) packs what the run built."""
    import zipfile

    result = run_snakemake(workdir, workdir / "tiny.yaml", "fig3", "--report", "report.zip")
    assert result.returncode == 0, result.stderr[-3000:]
    names = zipfile.ZipFile(workdir / "report.zip").namelist()
    assert "report/report.html" in names
    for suffix in ("fig3.pdf", "fig3.png", "fig3.csv"):
        assert any(name.endswith(suffix) for name in names), suffix
    # the caption ends with the sentences its table gave (results/captions/fig3.rst, included when rendered)
    facts = (workdir / "results/captions/fig3.rst").read_text()
    assert "Optimiser status (this run)" in facts
    html = zipfile.ZipFile(workdir / "report.zip").read("report/report.html").decode()
    assert "Optimiser status (this run)" in html


@pytest.fixture(scope="module")
def scaling_table(workdir):
    config = write_config(workdir, "tiny.yaml", TINY)
    result = run_snakemake(workdir, config, "scaling")
    assert result.returncode == 0, result.stderr[-3000:]
    return pd.read_csv(workdir / "results/tables/scaling.csv")


def test_scaling_figure_times_both_optimisers_on_the_same_networks(scaling_table):
    table = scaling_table
    cfg = TINY["scaling"]
    assert len(table) == len(cfg["sizes"]) * cfg["networks"] * len(cfg["optimizers"])
    assert sorted(table["n"].unique()) == cfg["sizes"]
    assert (table["seconds"] > 0).all() and table["auc"].between(0, 1).all() and table["converged"].all()
    # same networks for both: the same true cost; the fast optimiser's minimum is never higher
    by_method = table.pivot(index="network", columns="method", values=["true_cost", "final_cost"])
    assert (by_method[("true_cost", "paper")] == by_method[("true_cost", "fast")]).all()
    assert (by_method[("final_cost", "fast")] <= by_method[("final_cost", "paper")] + 1e-9).all()


def test_smoke_scaling_figure_is_written(scaling_table, workdir):
    """Smoke: the figure files exist and are not empty."""
    for suffix in ("pdf", "png"):
        assert (workdir / f"results/figures/scaling.{suffix}").stat().st_size > 10_000


# --- one point at the paper's defaults: what only a correct directed estimate achieves ------------------------

PAPER_POINT = "N100_p0.1_rho0.7_q0"  # the paper's Fig. 3 defaults: N = 100, p = 0.1, ρ = 0.7, no reciprocal links


@pytest.fixture(scope="module")
def paper_point(tmp_path_factory):
    """Fig. 3 with every sweep at the paper's default network, the shipped zerolag method (max_iter 10 000)."""
    work = copy_workflow(tmp_path_factory.mktemp("paper_point"))
    config = load_config("tiny")
    config["methods"]["zerolag"]["params"]["max_iter"] = 10_000  # the shipped value (config/config.yaml)
    config["fig3"]["defaults"] = {"n": 100, "p": 0.1, "rho": 0.7, "q": 0.0}
    for sweep in config["fig3"]["sweeps"].values():
        sweep["values"] = [config["fig3"]["defaults"][sweep["parameter"]]]
    result = run_snakemake(work, write_config(work, "point.yaml", config), "results/tables/fig3.csv")
    assert result.returncode == 0, result.stderr[-3000:]
    table = pd.read_csv(work / "results/tables/fig3.csv")
    return config, table[table["panel"] == "A"]  # the four panels share the one network spec


def test_paper_point_is_recovered_as_directed_and_signed(paper_point):
    """Noise-free, N = 100: AUC ≥ 0.99 and every sign right, which neither a symmetric estimate (the optimiser's
    starting point B₀, or the covariance) nor a transposed one reaches; one row recomputed here from its seed."""
    from zerolag import NetworkSpec, covariance_from_network, estimate, make_network, score, seed_from

    config, table = paper_point
    ours = table[table["method"] == "zerolag"].set_index("rep")
    assert list(ours.index) == list(range(config["fig3"]["networks"]))
    assert (ours["network"] == PAPER_POINT).all()
    assert (ours["auc"] >= 0.99).all() and (ours["sign_accuracy"] >= 0.98).all(), ours[["auc", "sign_accuracy"]]
    cov = table[table["method"] == "covariance"].set_index("rep")
    assert (ours["auc"] - cov["auc"] > 0.15).all()  # the covariance: ~0.72–0.77 on these networks
    for rep in ours.index:
        g, truth = make_network(NetworkSpec.from_name(PAPER_POINT), random_state=seed_from(PAPER_POINT, rep))
        g_est, _ = estimate("zerolag", covariance_from_network(g), **config["methods"]["zerolag"]["params"])
        expected = score(truth, g_est, top_fraction=config["scoring"]["top_fraction"])
        for key in ("auc", "prs", "pcc", "tp", "fp", "fn", "tn", "sign_accuracy"):
            assert ours.loc[rep, key] == expected[key], (rep, key)
        # the direction is in the estimate: its transpose scores near chance (~0.5 measured)
        transposed = score(truth, g_est.T, top_fraction=config["scoring"]["top_fraction"])
        assert expected["auc"] - transposed["auc"] > 0.3, (rep, transposed["auc"])


def test_lint_is_clean():
    result = subprocess.run([SNAKEMAKE, "--lint"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c["fig3"].update(netwroks=3), "netwroks"),
        (lambda c: c["fig3"]["defaults"].update(rho=1.2), "rho"),
        (lambda c: c["fig3"].update(networks="three"), "networks"),
        (lambda c: c["methods"]["zerolag"].update(method="lasso"), "lasso"),
        (lambda c: c["fig3"]["sweeps"]["B"].update(values=[0.1, 1.5]), "['sweeps']['B']['values'][1]"),
        (lambda c: c["fig3"]["sweeps"]["C"].update(values=[12, 16.5]), "['sweeps']['C']['values'][1]"),
        (lambda c: c["methods"]["zerolag"]["params"].update(max_iters=10), "max_iters"),
        (lambda c: c["methods"]["covariance"]["params"].update(lam=5), "['methods']['covariance']['params']"),
        (lambda c: c["fig3"].update(methods=["zerolag", "lasso"]), "lasso"),
        (lambda c: c["fig3"].update(plot_method="covariance", methods=["zerolag"]), "fig3.plot_method"),
        (lambda c: c["methods"]["zerolag"].update(params={"optimizer": "fast", "xtol": 0.5}), "'xtol'"),
        (lambda c: c["scaling"].update(connfinder="/nonexistent/connFinder"), "scaling.connfinder"),
        (lambda c: c["scaling"].update(optimizers=["paper", "newton"]), "newton"),
    ],
)
def test_bad_config_fails_naming_the_field(workdir, change, expected):
    bad = yaml.safe_load(yaml.safe_dump(TINY))
    change(bad)
    config = write_config(workdir, "bad.yaml", bad)
    result = run_snakemake(workdir, config, "-n")
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr


def test_schema_lists_exactly_each_optimisers_options():
    import inspect

    from zerolag.estimation.optimizers import OPTIMIZERS

    schema = yaml.safe_load((ROOT / "config/schema.yaml").read_text())
    rule = schema["$defs"]["zerolag_params"]["allOf"][0]
    listed = {"paper": rule["then"]["propertyNames"]["enum"], "fast": rule["else"]["propertyNames"]["enum"]}
    for name, options in listed.items():
        accepted = set(inspect.signature(OPTIMIZERS[name]).parameters) - {"b0"}
        # covariance (empirical | long_run) is the job's choice of input, not an optimiser option
        assert set(options) == accepted | {"optimizer", "n_threads", "covariance"}, name
    assert set(schema["$defs"]["zerolag_params"]["properties"]) == set().union(*listed.values())


def test_schema_lists_exactly_the_library_methods():
    from zerolag import METHODS

    schema = yaml.safe_load((ROOT / "config/schema.yaml").read_text())
    label = schema["properties"]["methods"]["additionalProperties"]
    assert set(label["properties"]["method"]["enum"]) == set(METHODS)


@pytest.mark.parametrize("overlay", [None, "paper.yaml"])
def test_shipped_configs_are_valid_and_spell_out_every_key(overlay):
    import jsonschema
    from snakemake.utils import update_config

    schema = yaml.safe_load((ROOT / "config/schema.yaml").read_text())
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    if overlay:  # merged as Snakemake merges --configfile into the Snakefile's configfile
        update_config(config, yaml.safe_load((ROOT / "config" / overlay).read_text()))
    jsonschema.Draft202012Validator(schema).validate(config)
    sections = ("scoring", "fig3", "scaling", "timeseries", "fig1", "fig2", "fig4", "fig5", "fig7", "freq")
    for section in (*sections, "lag_inputs", "reliability"):
        assert set(config[section]) == set(schema["properties"][section]["properties"]), section
    for panel in ("A", "B"):
        assert set(config["fig4"][panel]) == set(schema["properties"]["fig4"]["properties"][panel]["properties"])


def test_unwritable_output_directory_fails_before_any_job_naming_it(tmp_path):
    work = copy_workflow(tmp_path / "readonly")
    results = work / "results"
    results.mkdir()
    results.chmod(0o555)
    locked = []
    if os.access(results, os.W_OK):  # root ignores modes: make the directory immutable instead
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(results)]).returncode != 0:
            pytest.skip("cannot make a directory unwritable here (root without a working chattr)")
        locked.append(results)
    try:
        config = write_config(work, "tiny.yaml", TINY)
        result = run_snakemake(work, config, "fig1")
    finally:
        for path in locked:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        results.chmod(0o755)
    assert result.returncode != 0
    assert f"{results} is not writable" in result.stderr + result.stdout
    assert "--directory DIR" in result.stderr + result.stdout
    assert not (work / "logs" / "tables").exists()  # no job started
