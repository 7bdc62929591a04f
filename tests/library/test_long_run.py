"""The long-run (zero-frequency) covariance, checked against known answers."""

import numpy as np
import pytest

import zerolag
import zerolag.estimation.longrun as longrun
from zerolag import (
    NetworkSpec,
    ZeroLagConnectivity,
    estimate_connectivity,
    long_run_bandwidth,
    long_run_covariance,
    make_network,
)

# a stable 5-node VAR(1) with self-loops, cross-couplings and correlated innovations ξ = L ε
A = np.array(
    [
        [0.5, 0.3, 0.0, 0.0, 0.0],
        [0.0, 0.6, 0.0, -0.3, 0.0],
        [0.2, 0.0, 0.4, 0.0, 0.0],
        [0.0, 0.0, 0.3, 0.7, 0.0],
        [0.0, 0.0, 0.0, 0.3, 0.2],
    ]
)
L = np.array(
    [
        [1.0, 0.0, 0.0, 0.0, 0.0],
        [0.5, 1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, 0.0, 0.0],
        [0.0, 0.3, 0.0, 0.8, 0.0],
        [0.0, 0.0, 0.0, 0.0, 1.2],
    ]
)


def var1(a: np.ndarray, n_samples: int, rng: np.random.Generator, chol: np.ndarray | None = None) -> np.ndarray:
    """``x_t = A x_{t−1} + ξ_t`` with ``ξ = chol · ε``, ``ε ~ N(0, 1)``, after 200 discarded steps.

    Parameters
    ----------
    a : ndarray of shape (N, N)
        Transition matrix (spectral radius < 1).
    n_samples : int
        Number of samples returned.
    rng : numpy.random.Generator
        Source of the innovations.
    chol : ndarray of shape (N, N) or None
        Colouring of the innovations (None: identity).

    Returns
    -------
    ndarray of shape (n_samples, N)
    """
    e = rng.standard_normal((n_samples + 200, a.shape[0]))
    if chol is not None:
        e = e @ chol.T
    x = np.empty_like(e)
    x[0] = e[0]
    for t in range(1, len(e)):
        x[t] = a @ x[t - 1] + e[t]
    return x[200:]


def relative_error(estimate: np.ndarray, truth: np.ndarray) -> float:
    return float(np.linalg.norm(estimate - truth) / np.linalg.norm(truth))


def lag_window(x: np.ndarray, b: int) -> np.ndarray:
    """The Bartlett estimator from its definition: ``Σ_{|k|<b} (1 − |k|/b) Γ̂(k)``, ``Γ̂(k) = Σ_t x_{t+k} x_tᵀ / T``."""
    x = x - x.mean(axis=0)
    t = x.shape[0]
    s = x.T @ x / t
    for k in range(1, b):
        gk = x[k:].T @ x[: t - k] / t
        s += (1 - k / b) * (gk + gk.T)
    return s


@pytest.fixture(scope="module")
def short_var1():
    return var1(A, 4000, np.random.default_rng(7), L)


# --- the estimators are what they say ---------------------------------------------------------------------


def test_bartlett_is_the_lag_window_and_batch_means_the_block_covariance(short_var1, monkeypatch):
    x = short_var1
    for b in (1, 2, 9, 40):
        np.testing.assert_allclose(long_run_covariance(x, bandwidth=b), lag_window(x, b), rtol=1e-12, atol=1e-12)
        m = len(x) // b
        means = x[: m * b].reshape(m, b, -1).mean(axis=1)
        np.testing.assert_allclose(
            long_run_covariance(x, method="batch_means", bandwidth=b), b * np.cov(means.T), rtol=1e-12, atol=1e-12
        )
    # bandwidth 1: the zero-lag covariance (Bartlett divides by T, batch means by T − 1)
    np.testing.assert_allclose(long_run_covariance(x, bandwidth=1), np.cov(x.T, ddof=0), rtol=1e-12)
    np.testing.assert_allclose(long_run_covariance(x, method="batch_means", bandwidth=1), np.cov(x.T), rtol=1e-12)
    # chunked accumulation (tiny chunks: windows and blocks straddle them) gives the same numbers
    full = [long_run_covariance(x, bandwidth=17), long_run_covariance(x, method="batch_means", bandwidth=17)]
    alpha = longrun._var1_alpha(x, x.mean(axis=0))
    monkeypatch.setattr(longrun, "_ROWS", 50)
    np.testing.assert_allclose(long_run_covariance(x, bandwidth=17), full[0], rtol=1e-12)
    np.testing.assert_allclose(long_run_covariance(x, method="batch_means", bandwidth=17), full[1], rtol=1e-12)
    assert longrun._var1_alpha(x, x.mean(axis=0)) == pytest.approx(alpha, rel=1e-12)


def test_assume_centered_and_float32(short_var1):
    x = short_var1 - short_var1.mean(axis=0)
    shifted = x + np.arange(1.0, 6.0)
    # the mean is removed unless assume_centered: then the raw lagged second moments are used
    np.testing.assert_allclose(long_run_covariance(shifted, bandwidth=5), long_run_covariance(x, bandwidth=5))
    np.testing.assert_allclose(long_run_covariance(x, bandwidth=5, assume_centered=True), lag_window(x, 5), rtol=1e-10)
    raw = long_run_covariance(shifted, bandwidth=5, assume_centered=True)
    assert np.abs(raw - lag_window(x, 5)).max() > 1
    m = len(x) // 5
    means = shifted[: m * 5].reshape(m, 5, -1).mean(axis=1)
    np.testing.assert_allclose(
        long_run_covariance(shifted, method="batch_means", bandwidth=5, assume_centered=True),
        5 * means.T @ means / m,
        rtol=1e-12,
    )
    # float32 is accumulated in float64
    single = long_run_covariance(x.astype(np.float32), bandwidth=5)
    assert single.dtype == np.float64
    np.testing.assert_allclose(single, long_run_covariance(x, bandwidth=5), rtol=1e-5)


# --- known answers ----------------------------------------------------------------------------------------


def test_var1_closed_form_error_shrinks_with_length():
    """``S = (1 − A)⁻¹ Σ_ξ (1 − A)⁻ᵀ``; the error falls about as T^{-1/3} (measured means: 0.17 → 0.07)."""
    r = np.linalg.inv(np.eye(5) - A)
    truth = r @ L @ L.T @ r.T
    for method, bound in (("bartlett", 0.1), ("batch_means", 0.12)):
        errors = {t: [] for t in (2000, 20_000)}
        for seed in range(4):
            x = var1(A, 20_000, np.random.default_rng(seed), L)
            for t in errors:
                errors[t].append(relative_error(long_run_covariance(x[:t], method=method), truth))
        short, long = np.mean(errors[2000]), np.mean(errors[20_000])
        assert long < bound, (method, errors)
        assert max(errors[20_000]) < 0.15, (method, errors)
        assert long < 0.6 * short, (method, errors)  # T^{-1/3}: 10× the samples, ~0.46× the error
        # the zero-lag covariance is far from S whatever T
        assert relative_error(np.cov(x.T), truth) > 0.5


def test_white_noise_network_zero_lag_and_long_run_agree():
    """``x = (1 − G)⁻¹ v`` i.i.d.: ``S = Γ(0)``; both estimates are within sampling error and recover G."""
    for seed in range(2):
        rng = np.random.default_rng(seed)
        g, _ = make_network(NetworkSpec(20, 0.15, 0.5), random_state=rng)
        r = np.linalg.inv(np.eye(20) - g)
        truth = r @ r.T
        x = rng.standard_normal((20_000, 20)) @ r.T
        c0, s = np.cov(x.T), long_run_covariance(x)
        assert long_run_bandwidth(x) <= 3  # no dependence to integrate
        own = relative_error(c0, truth)  # the zero-lag covariance's own sampling error (~0.025)
        assert relative_error(s, c0) < own
        assert relative_error(s, truth) < 1.5 * own
        # the estimator's own ceiling, from the exact covariance, is 0.89 and 0.98 for these two networks
        ceiling = zerolag.score(g, estimate_connectivity(truth))["auc"]
        auc0 = zerolag.score(g, estimate_connectivity(c0))["auc"]
        auc1 = zerolag.score(g, estimate_connectivity(s))["auc"]
        assert auc0 > ceiling - 0.06 and auc1 > ceiling - 0.06, (ceiling, auc0, auc1)  # measured: within 0.04
        assert abs(auc1 - auc0) < 0.05  # measured on seeds 0–5: at most 0.03


def test_ar1_networks_are_recovered_from_the_long_run_covariance_only():
    """``x_t = G x_{t−1} + ξ_t``: ``S = (1 − G)⁻¹ (1 − G)⁻ᵀ``, the model's form; ``Γ(0)`` is not.

    Measured on seeds 0–5: AUC 0.93–1.00 (long-run, bandwidth 22–29), 0.42–0.47 (zero-lag).
    """
    aucs = []
    for seed in range(3):
        rng = np.random.default_rng(seed)
        g, _ = make_network(NetworkSpec.from_name("N30_p0.1_rho0.6_q0"), random_state=rng)
        x = var1(g, 40_000, rng)
        est = ZeroLagConnectivity(covariance="long_run").fit(x)
        zero_lag = zerolag.score(g, estimate_connectivity(np.cov(x.T)))["auc"]
        long_run = zerolag.score(g, est.connectivity_)["auc"]
        assert abs(zero_lag - 0.5) < 0.1, zero_lag  # chance
        assert long_run >= 0.9, long_run
        assert 15 <= est.long_run_bandwidth_ <= 40
        aucs.append(long_run)
    assert np.mean(aucs) >= 0.93


# --- the estimator option ---------------------------------------------------------------------------------


def test_estimator_long_run_option(short_var1):
    x = short_var1
    est = ZeroLagConnectivity(covariance="long_run", standardize=False).fit(x)
    b = long_run_bandwidth(x)
    assert est.long_run_bandwidth_ == b and isinstance(b, int) and b > 1
    np.testing.assert_allclose(est.covariance_, long_run_covariance(x, bandwidth=b), rtol=1e-12)
    pre = ZeroLagConnectivity(covariance="precomputed").fit(long_run_covariance(x))
    np.testing.assert_allclose(est.connectivity_, pre.connectivity_, atol=1e-12)
    assert pre.long_run_bandwidth_ is None
    assert ZeroLagConnectivity().fit(x).long_run_bandwidth_ is None
    centred = ZeroLagConnectivity(covariance="long_run", assume_centered=True, standardize=False).fit(x)
    np.testing.assert_allclose(
        centred.covariance_,
        long_run_covariance(x, bandwidth=centred.long_run_bandwidth_, assume_centered=True),
        rtol=1e-12,
    )
    assert not np.array_equal(centred.covariance_, est.covariance_)
    bad = x.copy()
    bad[7, 2] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN or inf in 1 value\(s\), channel\(s\) \(columns\) \[2\]"):
        ZeroLagConnectivity(covariance="long_run").fit(bad)


def test_exported():
    import zerolag.estimation

    assert zerolag.long_run_covariance is long_run_covariance is zerolag.estimation.long_run_covariance
    assert zerolag.long_run_bandwidth is long_run_bandwidth is zerolag.estimation.long_run_bandwidth
    assert {"long_run_covariance", "long_run_bandwidth"} <= set(zerolag.__all__) & set(zerolag.estimation.__all__)


# --- bad input --------------------------------------------------------------------------------------------


def test_bad_input_errors_name_the_argument_and_the_fix(short_var1):
    x = short_var1[:600]  # T = 600, N = 5
    bad = x.copy()
    bad[10, 2] = np.nan
    with pytest.raises(ValueError, match=r"x contains NaN or inf; remove or impute"):
        long_run_covariance(bad)
    with pytest.raises(ValueError, match=r"x contains NaN or inf"):
        long_run_bandwidth(bad)
    with pytest.raises(ValueError, match=r"bandwidth = 300 is at least half the series length \(T = 600.*below T/2"):
        long_run_covariance(x, bandwidth=300)
    with pytest.raises(
        ValueError, match=r"too short for bandwidth = 150.*N \+ 1 = 6.*bandwidth ≤ T // \(N \+ 1\) = 100"
    ):
        long_run_covariance(x, bandwidth=150)
    long_run_covariance(x, bandwidth=100)  # exactly N + 1 bandwidths: allowed
    with pytest.raises(ValueError, match=r"too short for bandwidth = 101"):
        long_run_covariance(x, method="batch_means", bandwidth=101)
    for b in (0, -3, 2.5, "10", True):
        with pytest.raises(ValueError, match=r"bandwidth must be"):
            long_run_covariance(x, bandwidth=b)
    assert np.array_equal(long_run_covariance(x, bandwidth=4.0), long_run_covariance(x, bandwidth=np.int64(4)))
    with pytest.raises(ValueError, match=r"method must be one of 'bartlett', 'batch_means', got 'parzen'"):
        long_run_covariance(x, method="parzen")
    with pytest.raises(ValueError, match=r"2-D array of shape \(time, nodes\)"):
        long_run_covariance(x[:, 0])
    with pytest.raises(ValueError, match=r"fewer samples \(5\) than needed for 5 nodes"):
        long_run_covariance(x[:5], bandwidth=1)
    duplicated = np.column_stack([x, x[:, 0]])
    with pytest.raises(ValueError, match=r"singular zero-lag covariance \(constant or duplicated channels"):
        long_run_bandwidth(duplicated)


def test_automatic_bandwidth_is_clipped_with_a_warning():
    # a near-unit-root series of 200 samples: the plug-in asks for far more than T // (N + 1) = 33
    x = var1(np.diag([0.995, 0.99, 0.99, 0.99, 0.99]), 200, np.random.default_rng(3))
    with pytest.warns(UserWarning, match=r"exceeds the largest its 200 samples allow for 5 nodes \(33"):
        b = long_run_bandwidth(x)
    assert b == longrun.max_long_run_bandwidth(200, 5) == 33
    with pytest.warns(UserWarning, match="biased towards the zero-lag covariance"):
        np.testing.assert_array_equal(long_run_covariance(x), long_run_covariance(x, bandwidth=33))


def test_deterministic(short_var1):
    x = short_var1
    first = [long_run_covariance(x), long_run_covariance(x, method="batch_means"), long_run_bandwidth(x)]
    again = [long_run_covariance(x.copy()), long_run_covariance(x, method="batch_means"), long_run_bandwidth(x)]
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert first[2] == again[2]
    # same data, same network: the estimator too
    a = ZeroLagConnectivity(covariance="long_run").fit(x)
    b = ZeroLagConnectivity(covariance="long_run").fit(x.copy())
    np.testing.assert_array_equal(a.connectivity_, b.connectivity_)
    assert a.long_run_bandwidth_ == b.long_run_bandwidth_
    s = long_run_covariance(x)
    assert np.allclose(s, s.T) and np.linalg.eigvalsh(s).min() > 0
