"""Options of ZeroLagConnectivity and of estimate(), checked against known answers."""

import functools

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import zerolag.estimation.fit as fit
from zerolag import NetworkSpec, ZeroLagConnectivity, covariance_from_network, estimate_connectivity, make_network
from zerolag.estimation.fit import inverse_sqrt
from zerolag.methods.registry import estimate


def network_samples(n: int, n_samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A random network and samples of ``x = G x + v``, i.e. ``x = (1 − G)⁻¹ v``.

    Parameters
    ----------
    n : int
        Number of nodes.
    n_samples : int
        Number of time points.
    seed : int
        Seed of the generator.

    Returns
    -------
    g : ndarray of shape (n, n)
        The network, row = target, column = source.
    x : ndarray of shape (n_samples, n)
        The samples.
    """
    rng = np.random.default_rng(seed)
    g, _ = make_network(NetworkSpec(n, 0.2, 0.5), random_state=rng)
    return g, rng.standard_normal((n_samples, n)) @ np.linalg.inv(np.eye(n) - g).T


def blas_thread_counts() -> set[int]:
    """Thread counts of the BLAS pools loaded in this process."""
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


# --- assume_centered ---------------------------------------------------------------------------------------


def test_assume_centered_skips_the_mean_and_uses_the_second_moment():
    _, x = network_samples(10, 3000, seed=0)
    t = x.shape[0]
    shifted = x + np.linspace(1.0, 3.0, 10)  # a non-zero mean in every column
    default = ZeroLagConnectivity(standardize=False).fit(shifted)
    centred = ZeroLagConnectivity(assume_centered=True, standardize=False).fit(shifted)
    # the covariance is the raw second moment X'X / T: the mean is not removed
    np.testing.assert_allclose(centred.covariance_, shifted.T @ shifted / t, rtol=1e-12)
    np.testing.assert_allclose(default.covariance_, np.cov(shifted, rowvar=False), rtol=1e-12)
    np.testing.assert_allclose(centred.connectivity_, estimate_connectivity(shifted.T @ shifted / t), atol=1e-12)
    assert np.abs(centred.connectivity_ - default.connectivity_).max() > 0.1
    lw = ZeroLagConnectivity(covariance="ledoit_wolf", standardize=False)
    lw_c = ZeroLagConnectivity(covariance="ledoit_wolf", assume_centered=True, standardize=False)
    assert np.abs(lw_c.fit(shifted).connectivity_ - lw.fit(shifted).connectivity_).max() > 0.1


def test_assume_centered_on_centred_data_agrees_with_the_default():
    _, x = network_samples(8, 40, seed=1)  # few samples: T/(T − 1) is visibly not 1
    t = x.shape[0]
    xc = x - x.mean(axis=0)
    a = ZeroLagConnectivity(assume_centered=True, standardize=False).fit(xc)
    b = ZeroLagConnectivity(standardize=False).fit(xc)
    # the same up to the divisor: T (mean known) against T − 1 (mean estimated). C scaled by (T − 1)/T
    # scales (C⁻¹)^{1/2}, so U B₀ and the estimate, by √(T/(T − 1)); the optimal U is the same
    np.testing.assert_allclose(a.covariance_, b.covariance_ * (t - 1) / t, rtol=1e-12)
    np.testing.assert_allclose(a.connectivity_, b.connectivity_ * np.sqrt(t / (t - 1)), atol=2e-5)
    np.testing.assert_allclose(a.unitary_, b.unitary_, atol=1e-4)
    assert np.abs(a.connectivity_ - b.connectivity_).max() > 1e-3  # the scale is not a rounding error
    # Ledoit–Wolf divides by T either way: on centred data the option changes nothing
    lw = ZeroLagConnectivity(covariance="ledoit_wolf", standardize=False).fit(xc)
    lw_c = ZeroLagConnectivity(covariance="ledoit_wolf", assume_centered=True, standardize=False).fit(xc)
    np.testing.assert_allclose(lw_c.covariance_, lw.covariance_, rtol=1e-12)
    np.testing.assert_allclose(lw_c.connectivity_, lw.connectivity_, atol=1e-10)


def test_assume_centered_needs_one_sample_fewer():
    _, x = network_samples(6, 6, seed=6)  # T = N: singular unless the mean is known
    with pytest.raises(ValueError, match="singular below 7 samples"):
        ZeroLagConnectivity().fit(x)
    est = ZeroLagConnectivity(assume_centered=True).fit(x)
    assert np.isfinite(est.connectivity_).all()


# --- unitary_ ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["real", "complex"])
def test_unitary_is_unitary_and_turns_b0_into_one_minus_g(kind):
    g, x = network_samples(12, 5000, seed=2)
    if kind == "real":
        est = ZeroLagConnectivity().fit(x)
    else:
        phases = np.exp(1j * np.random.default_rng(3).uniform(-1, 1, g.shape))
        est = ZeroLagConnectivity(covariance="precomputed").fit(covariance_from_network(g * phases))
    u, c, g_est = est.unitary_, est.covariance_, est.connectivity_
    n = c.shape[0]
    assert u.shape == (n, n) and np.iscomplexobj(u) == (kind == "complex")
    np.testing.assert_allclose(u.conj().T @ u, np.eye(n), atol=1e-10)
    np.testing.assert_allclose(u @ u.conj().T, np.eye(n), atol=1e-10)
    m = u @ inverse_sqrt(c)  # U B₀
    np.testing.assert_allclose(m.conj().T @ m, np.linalg.inv(c), rtol=1e-8, atol=1e-10)  # (U B₀)ᴴ(U B₀) = C⁻¹
    # U B₀ = D (1 − G') with D the positive diagonal: its off-diagonal is −G_est
    d = np.diag(m)
    assert np.all(np.abs(d.imag) < 1e-12) and np.all(d.real > 0)
    np.testing.assert_allclose(m, np.diag(d) - g_est, atol=1e-12)
    assert not np.allclose(u, np.eye(n), atol=1e-3)  # the optimum is not the starting point


# --- n_threads ---------------------------------------------------------------------------------------------


def test_n_threads_sets_the_blas_pool_during_the_fit_only(monkeypatch):
    g, x = network_samples(30, 4000, seed=4)
    seen = []
    fast = fit.OPTIMIZERS["fast"]

    @functools.wraps(fast)  # keeps the signature: the option check reads it
    def spy(b0, **options):
        seen.append(blas_thread_counts())
        return fast(b0, **options)

    monkeypatch.setitem(fit.OPTIMIZERS, "fast", spy)
    before = blas_thread_counts()
    one = ZeroLagConnectivity(n_threads=1).fit(x)
    two = ZeroLagConnectivity(n_threads=2).fit(x)
    assert seen[0] == {1} and seen[-1] == {2}
    assert blas_thread_counts() == before  # restored after the fit
    # the same network: only the order of floating-point sums differs (the optimiser stops at ftol = 1e-4)
    np.testing.assert_allclose(two.connectivity_, one.connectivity_, atol=1e-5)
    assert np.abs(one.connectivity_).max() > 0.3
    seen.clear()
    ZeroLagConnectivity(n_threads=None).fit(x)
    assert seen == [before]  # None leaves the pools alone
    with pytest.raises(ValueError, match="n_threads must be a positive integer or None, got 0"):
        ZeroLagConnectivity(n_threads=0).fit(x)


# --- estimate() with a covariance and a time series -------------------------------------------------------


def test_estimate_uses_the_input_its_method_needs_when_given_both():
    g, x = network_samples(5, 2000, seed=5)
    c = covariance_from_network(g)  # not the sample covariance of x: which input was used shows in the result
    sample = np.cov(x, rowvar=False)
    assert np.abs(c - sample).max() > 1e-3
    # covariance methods: the covariance given takes precedence over the time series
    both, _ = estimate("covariance", c, timeseries=x)
    np.testing.assert_array_equal(both, np.where(np.eye(5, dtype=bool), 0, c))
    np.testing.assert_array_equal(estimate("zerolag", c, timeseries=x)[0], estimate("zerolag", c)[0])
    # … and the time series is used only without one (its sample covariance, ddof = 1)
    alone, _ = estimate("covariance", timeseries=x)
    np.testing.assert_allclose(alone, np.where(np.eye(5, dtype=bool), 0, sample), rtol=1e-12)
    # time-series methods use the samples whatever covariance is given
    np.testing.assert_array_equal(estimate("var1", c, timeseries=x)[0], estimate("var1", timeseries=x)[0])
    with pytest.raises(ValueError, match=r"method 'var1' needs the time series.*estimate\(method, timeseries=X\)"):
        estimate("var1", c)
    with pytest.raises(ValueError, match=r"method 'zerolag' needs a covariance \(or timeseries=X"):
        estimate("zerolag")
