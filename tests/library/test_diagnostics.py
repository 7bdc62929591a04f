"""The lag diagnostic: is the zero-lag covariance the right input? Checked on data whose answer is known."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import zerolag
from zerolag import LagStructureWarning, NetworkSpec, ZeroLagConnectivity, lag_diagnostic, make_network
from zerolag.cli import main
from zerolag.estimation.diagnostics import AGREEMENT_THRESHOLD, MIN_SIGNAL_TO_NOISE
from zerolag.simulation.ou import simulate_bold

NETWORK = NetworkSpec.from_name("N20_p0.1_rho0.6_q0")


def var1(g: np.ndarray, n_samples: int, rng: np.random.Generator) -> np.ndarray:
    """``x_t = G x_{t−1} + ξ_t`` after 200 discarded steps: the coupling acts over one sample."""
    e = rng.standard_normal((n_samples + 200, g.shape[0]))
    x = np.empty_like(e)
    x[0] = e[0]
    for t in range(1, len(e)):
        x[t] = g @ x[t - 1] + e[t]
    return x[200:]


def iid(g: np.ndarray, n_samples: int, rng: np.random.Generator) -> np.ndarray:
    """``x = (1 − G)⁻¹ v``, independent samples: the zero-lag and long-run covariances are the same."""
    return rng.standard_normal((n_samples, g.shape[0])) @ np.linalg.inv(np.eye(g.shape[0]) - g).T


@pytest.fixture(scope="module")
def networks():
    return [make_network(NETWORK, random_state=seed)[0] for seed in range(2)]


def test_lagged_coupling_is_detected_and_the_advised_input_recovers_the_network(networks):
    """AR(1): the verdict is long_run; the zero-lag estimate is at chance, the long-run one is not."""
    for seed, g in enumerate(networks):
        x = var1(g, 20_000, np.random.default_rng(seed))
        d = lag_diagnostic(x)
        assert d.verdict == "long_run", d
        assert d.agreement < AGREEMENT_THRESHOLD and d.signal_to_noise >= MIN_SIGNAL_TO_NOISE
        assert abs(d.lag1_autocorrelation) < 0.05  # no self-loops: the autocorrelation alone would miss it
        with pytest.warns(LagStructureWarning, match="covariance='long_run'"):
            plain = ZeroLagConnectivity(standardize=False).fit(x)
        assert plain.lag_diagnostic_ == d
        with warnings.catch_warnings():
            warnings.simplefilter("error", LagStructureWarning)  # no warning when the advice is followed
            advised = ZeroLagConnectivity(covariance="long_run", standardize=False).fit(x)
        assert advised.lag_diagnostic_.verdict == "long_run"
        auc_plain = zerolag.score(g, plain.connectivity_)["auc"]
        auc_advised = zerolag.score(g, advised.connectivity_)["auc"]
        r = np.linalg.inv(np.eye(len(g)) - g)  # the estimator's own ceiling, from the exact S(0): 0.83 and 0.96
        ceiling = zerolag.score(g, zerolag.estimate_connectivity(r @ r.T))["auc"]
        # measured: 0.56 and 0.44 from the zero-lag covariance, 0.82 and 0.96 from the long-run one
        assert abs(auc_plain - 0.5) < 0.15 and auc_advised > ceiling - 0.05, (auc_plain, auc_advised, ceiling)


@pytest.mark.parametrize("kind", ["iid", "bold"])
def test_zero_lag_structure_is_accepted(networks, kind):
    """Independent samples, and BOLD (every channel the same slow filter of a fast network): zero_lag."""
    for seed, g in enumerate(networks):
        rng = np.random.default_rng(seed)
        if kind == "iid":
            x = iid(g, 10_000, rng)
        else:  # OU + HRF at the paper's τ = 0.1 s, sampled every 0.1 s
            x = simulate_bold(g, tau=0.1, dt=0.1, duration=1000.0, random_state=rng)
        with warnings.catch_warnings():
            warnings.simplefilter("error", LagStructureWarning)
            est = ZeroLagConnectivity().fit(x)
        d = est.lag_diagnostic_
        assert d.verdict == "zero_lag", d
        assert d.raw_agreement >= AGREEMENT_THRESHOLD
        if kind == "iid":
            assert d.raw_agreement > 0.99 and abs(d.lag0_fraction - 1) < 0.05 and d.bandwidth <= 3
        else:
            assert d.lag1_autocorrelation > 0.9 and d.lag0_fraction < 0.1 and d.bandwidth_clipped


def test_short_series_are_undetermined_not_misjudged(networks):
    """Too short to split: NaN and a message naming the length needed; short AR(1): never zero_lag."""
    g = networks[0]
    rng = np.random.default_rng(5)
    d = lag_diagnostic(var1(g, 2 * (20 + 2) - 1, rng))
    assert d.verdict == "undetermined" and np.isnan(d.agreement) and "at least 44 samples" in d.message
    verdicts = [lag_diagnostic(var1(g, 100, np.random.default_rng(s))).verdict for s in range(6)]
    assert "zero_lag" not in verdicts, verdicts


def test_degenerate_input(networks):
    x = iid(networks[0], 2000, np.random.default_rng(0))
    dup = np.column_stack([x, x[:, 0]])
    d = lag_diagnostic(dup)
    assert d.verdict == "undetermined" and "singular" in d.message
    with pytest.raises(ValueError, match="constant"):
        lag_diagnostic(np.column_stack([x, np.ones(len(x))]))
    with pytest.raises(ValueError, match="at least 2 nodes"):
        lag_diagnostic(x[:, :1])
    with pytest.raises(ValueError, match="NaN"):
        lag_diagnostic(np.where(np.arange(x.size).reshape(x.shape) == 7, np.nan, x))


def test_record_is_json_and_the_option_turns_it_off(networks):
    x = iid(networks[0], 40, np.random.default_rng(1))  # too short to split: NaN fields become null
    record = lag_diagnostic(x).as_dict()
    assert json.loads(json.dumps(record))["agreement"] is None
    assert ZeroLagConnectivity(diagnose=False).fit(x).lag_diagnostic_ is None
    c = np.cov(x.T)
    assert ZeroLagConnectivity(covariance="precomputed").fit(c).lag_diagnostic_ is None


def test_cli_records_the_diagnostic_and_follows_the_advice(networks, tmp_path, capsys):
    g = networks[1]
    x = var1(g, 20_000, np.random.default_rng(3))
    names = [f"r{i}" for i in range(g.shape[0])]
    src = tmp_path / "ar1.tsv"
    pd.DataFrame(x, columns=names).to_csv(src, sep="\t", index=False)
    aucs = {}
    for cov in ("empirical", "long_run"):
        out = tmp_path / f"{cov}.csv"
        capsys.readouterr()
        assert main(["estimate", str(src), "-o", str(out), "--covariance", cov]) == 0
        err = capsys.readouterr().err
        record = json.loads(out.with_name(out.name + ".fit.json").read_text())
        assert record["covariance"] == cov and record["lag_diagnostic"]["verdict"] == "long_run"
        other = record["lag_diagnostic"]["other_input"]
        assert other["covariance"] != cov and other["weight_correlation"] < 0.5
        if cov == "empirical":
            assert err.count("--covariance long_run") == 1, err  # the advice, once
            assert record["long_run_bandwidth"] is None
        else:
            assert "the input these data need" in err and "--covariance long_run" not in err
            assert isinstance(record["long_run_bandwidth"], int) and record["long_run_bandwidth"] > 1
        table = pd.read_csv(out)
        est = np.zeros_like(g)
        pos = {n: k for k, n in enumerate(names)}
        est[table["target"].map(pos), table["source"].map(pos)] = table["weight"]
        aucs[cov] = zerolag.score(g, est)["auc"]
    assert aucs["long_run"] > 0.9 and abs(aucs["empirical"] - 0.5) < 0.15, aucs
    out = tmp_path / "off.csv"
    assert main(["estimate", str(src), "-o", str(out), "--no-diagnostic"]) == 0
    assert "lag_diagnostic" not in json.loads(out.with_name(out.name + ".fit.json").read_text())
    assert "lag diagnostic" not in capsys.readouterr().err
