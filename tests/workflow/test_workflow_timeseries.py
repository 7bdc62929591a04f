"""The time-series figures (1, 2, 4, 5, 7 and the frequency-resolved example) end to end on a tiny config."""

import numpy as np
import pandas as pd
import pytest
import yaml
from support import load_config, resource_excess, run_snakemake, write_config

from zerolag import inverse_covariance
from zerolag.simulation.networks import three_node_examples

TINY_TS = load_config("tiny_timeseries")
FIGURES = ("fig1", "fig2", "fig4", "fig5", "fig7", "freq")


def table(workdir, name):
    return pd.read_csv(workdir / f"results/tables/{name}.csv")


@pytest.fixture(scope="module")
def built(workdir):
    config = write_config(workdir, "tiny_ts.yaml", TINY_TS)
    result = run_snakemake(workdir, config, *FIGURES)
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def test_smoke_every_figure_is_built_and_logged(built):
    """Smoke: every file exists and is not empty; the numbers are checked by the tests below."""
    for name in FIGURES:
        for suffix in ("pdf", "png"):
            assert (built / f"results/figures/{name}.{suffix}").stat().st_size > 10_000, name
    assert any((built / "logs/runs").rglob("ou_T*/*/rep0/scores.log"))
    assert any((built / "results/benchmarks/runs").rglob("ou_T*/*/rep0/scores.tsv"))


def test_fig1_only_the_collider_links_nodes_2_and_3(built):
    fig1 = table(built, "fig1")
    assert len(fig1) == 3 * 9
    for name, g in three_node_examples(0.5).items():
        part = fig1[fig1["network"] == name].sort_values(["row", "column"])
        assert np.allclose(part["inverse_covariance"].to_numpy().reshape(3, 3), inverse_covariance(g))
        assert np.array_equal(part["coupling"].to_numpy().reshape(3, 3), g)
    entry = fig1[(fig1["row"] == 2) & (fig1["column"] == 3)].set_index("network")["inverse_covariance"]
    assert entry["collider"] == pytest.approx(0.25)
    assert entry["chain"] == 0 and entry["reversed chain"] == 0


def test_fig2_directed_estimate_beats_the_covariance(built):
    fig2 = table(built, "fig2").set_index("method")
    assert list(fig2.index) == ["zerolag_sampled_paper", "covariance"]
    assert (fig2["duration"] == 20000).all() and (fig2["tau"] == 0.1).all()
    est, cov = fig2.loc["zerolag_sampled_paper"], fig2.loc["covariance"]
    assert est["prs"] > cov["prs"] and est["pcc"] > cov["pcc"]
    assert est["n_iter"] <= 400 + 200  # capped CG + the final line search: recorded, not hidden
    assert not bool(cov["directed"]) and bool(est["directed"])


def test_fig4_noise_and_observed_fraction(built, workdir):
    fig4 = table(built, "fig4")
    cfg = TINY_TS["fig4"]
    points = len(cfg["A"]["noise_std"]) + len(cfg["B"]["observed"])
    assert len(fig4) == points * cfg["networks"] * len(cfg["methods"])
    a, b = fig4[fig4["panel"] == "A"], fig4[fig4["panel"] == "B"]
    # the measured SNR is var(signal)/var(noise) ≈ 1/σ² (the signal is standardised)
    assert np.allclose(a["snr"], 1 / a["value"] ** 2, rtol=0.02)
    assert (b["n_observed"] == (b["value"] * 24).round().astype(int)).all()
    est = a[a["method"] == "zerolag_sampled"].groupby("value")["auc"].mean()
    assert est[0.5] > est[30] and est[30] < 0.7  # SNR 0.001: chance level
    # one simulation job per network serves every noise level; Fig. 4B's scores are of the observed part
    runs = sorted((workdir / "results/runs/ou_T20000_tau0.1").glob("N16_*/rep*/scores.csv"))
    assert len(runs) == 2  # Figs. 4A and 7 (and 2, 5) share the simulations of the two N = 16 networks
    for path in runs:
        run = pd.read_csv(path)
        assert {"ou_T20000_tau0.1_sig0.5_obs1", "ou_T20000_tau0.1_sig30_obs1"} <= set(run["data"])
    observed = pd.read_csv(next((workdir / "results/runs/ou_T20000_tau0.1").glob("N24_*/rep0/scores.csv")))
    half = observed[observed["data"] == "ou_T20000_tau0.1_sig0_obs0.5"]
    assert (half["n_observed"] == 12).all() and len(half) == len(cfg["methods"])
    # the observed subset is seeded by network, repetition and fraction: recomputed here, it has 12 nodes
    from zerolag import seed_from
    from zerolag.simulation.observation import choose_observed

    net = half["network"].iloc[0]
    nodes = choose_observed(24, fraction=0.5, random_state=seed_from(net, 0, "observed", "0.5"))
    assert len(nodes) == 12 and np.all(np.diff(nodes) > 0)


def test_fig5_grid_and_the_data_length_trend(built):
    fig5 = table(built, "fig5")
    assert len(fig5) == 4
    assert set(zip(fig5["duration_s"], fig5["tau_s"], strict=True)) == {
        (500, 0.1),
        (500, 1.0),
        (20000, 0.1),
        (20000, 1.0),
    }
    auc = fig5.set_index(["duration_s", "tau_s"])["auc"]
    assert auc[(20000, 0.1)] > auc[(500, 0.1)] and auc[(20000, 1.0)] > auc[(500, 1.0)]
    # one simulation per (τ, network) at the longest length; the shorter length is its first 500 s
    assert set(fig5["data"]) == {
        "ou_T20000_tau0.1_first500_sig0_obs1",
        "ou_T20000_tau1_first500_sig0_obs1",
        "ou_T20000_tau0.1_sig0_obs1",
        "ou_T20000_tau1_sig0_obs1",
    }
    assert (fig5["duration"] == fig5["duration_s"]).all()


def test_fig7_same_networks_for_both_methods(built):
    fig7 = table(built, "fig7")
    assert len(fig7) == 4
    assert set(fig7["method"]) == {"zerolag_sampled", "ric"}
    pairs = {m: sorted(zip(g["network"], g["rep"], strict=True)) for m, g in fig7.groupby("method")}
    assert pairs["zerolag_sampled"] == pairs["ric"] and len(set(pairs["ric"])) == 2
    assert fig7[["auc", "prs"]].apply(lambda c: c.between(0, 1)).all().all()
    prs = fig7.groupby("method")["prs"].mean()
    assert prs["zerolag_sampled"] > prs["ric"]  # RIC is symmetric: it cannot tell i → j from j → i


def test_freq_each_band_recovers_its_own_network(built):
    freq = table(built, "freq")
    assert len(freq) == 3 * 2  # bands × reference networks
    coupled = freq[freq["coupled_here"]]
    assert sorted(coupled["band"]) == [0, 1] and (coupled["auc"] > 0.8).all()
    for band in (0, 1):
        rows = freq[freq["band"] == band].set_index("coupled_here")["auc"]
        assert rows[True] > rows[False] + 0.2
    quiet = freq[freq["band"] == 2]
    assert quiet["auc"].between(0.2, 0.8).all()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c["fig2"].update(methods=["zerolag_sampled_paper", "lasso"]), "fig2.methods names 'lasso'"),
        (lambda c: c["fig2"].update(methods=["covariance", "zerolag_sampled"]), "fig2.methods must start"),
        (lambda c: c["fig4"]["B"].update(observed=[0.05, 1.0]), "fig4.B.observed value 0.05"),
        (lambda c: c["fig5"].update(durations=[1, 20000]), "config: fig5: a duration of 1 s"),
        (lambda c: c["freq"].update(bands=[[0.5, 1.5], [6.0, 7.0]]), "config: freq: band (6, 7) Hz"),
        (lambda c: c["freq"].update(nperseg=100000), "freq.nperseg"),
        (lambda c: c["fig4"]["A"].update(tau=0), "['fig4']['A']['tau']"),
        (lambda c: c["fig7"]["network"].update(rho=1.0), "['fig7']['network']['rho']"),
        (lambda c: c["timeseries"].update(dt=-0.1), "['timeseries']['dt']"),
        (lambda c: c["fig4"]["A"].update(noise_std=[-1]), "['fig4']['A']['noise_std'][0]"),
    ],
)
def test_bad_timeseries_config_fails_naming_the_field(workdir, change, expected):
    bad = yaml.safe_load(yaml.safe_dump(TINY_TS))
    change(bad)
    config = write_config(workdir, "bad_ts.yaml", bad)
    result = run_snakemake(workdir, config, "-n", *FIGURES)
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr, (result.stdout + result.stderr)[-2000:]


def declared_resources(workdir, *targets):
    """benchmark path → (threads, mem_mb, runtime in minutes) of every job, from a forced dry run."""
    result = run_snakemake(workdir, workdir / "tiny_ts.yaml", "-n", "--forceall", *targets)
    assert result.returncode == 0, result.stderr[-2000:]
    jobs, current = {}, {}
    for line in (result.stdout + result.stderr).splitlines():
        line = line.strip()
        if line.startswith(("rule ", "localrule ")):
            current = {"threads": 1}
        elif line.startswith("benchmark:"):
            current["benchmark"] = line.split(":", 1)[1].strip()
        elif line.startswith("threads:"):
            current["threads"] = int(line.split(":", 1)[1])
        elif line.startswith("resources:") and "benchmark" in current:
            fields = dict(f.split("=", 1) for f in line.split(":", 1)[1].replace(" ", "").split(","))
            jobs[current["benchmark"]] = (current["threads"], int(fields["mem_mb"]), int(fields["runtime"]))
    return jobs


def test_declared_resources_hold_for_every_job(built):
    """Every job that ran stayed within its declared memory, runtime and threads (resource honesty).

    Other pytest workers run Snakemake on the same cores meanwhile, so a job's wall time (``s`` of its
    benchmark) includes the time it waited for a core: on its own it says little about the declared runtime.
    The checks (``support.resource_excess``) hold whatever the load: the peak memory within ``mem_mb``; the
    wall time within the runtime or, when load stretched it beyond, the CPU seconds the job used
    (``cpu_time``, with what its threads could have used after Snakemake's last sample), which bound how long
    the CPU-bound job takes on a core of its own; and ``cpu_time ≤ threads · s + 1 s``, which load only makes
    easier to meet. A runtime or memory declared too small still fails on any machine under any load; more
    threads used than declared fail when the cores are free to show it.
    """
    jobs = declared_resources(built, *FIGURES)
    assert len(jobs) >= 15  # the simulations, the frequency run, every table and figure
    measured = 0
    for path, (threads, mem_mb, runtime) in jobs.items():
        tsv = built / path
        if not tsv.exists():
            continue
        row = pd.read_csv(tsv, sep="\t").iloc[-1]
        measured += 1
        excess = resource_excess(row, threads, mem_mb, runtime)
        assert not excess, (path, excess)
    assert measured == len(jobs)
