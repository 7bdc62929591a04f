import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from zerolag import (
    NetworkSpec,
    ZeroLagConnectivity,
    covariance_from_network,
    estimate_connectivity,
    make_network,
    score,
)
from zerolag.estimation.fit import NotConvergedWarning, fit_connectivity, fix_rows, inverse_sqrt
from zerolag.estimation.optimizers import l1_cost


@pytest.fixture(scope="module")
def fits_n100():
    """Three noise-free networks at the paper's defaults (N = 100, p = 0.1, ρ = 0.7), the paper's optimiser."""
    out = []
    for seed in range(3):
        g, truth = make_network(NetworkSpec(100, 0.1, 0.7), random_state=seed)
        c = covariance_from_network(g)
        out.append((g, c, *fit_connectivity(c, optimizer="paper")))
    return out


def test_recovers_noise_free_networks(fits_n100):
    scores = [score(g, g_est) for g, _, g_est, _, _ in fits_n100]
    assert np.mean([s["auc"] for s in scores]) >= 0.99
    assert np.mean([s["prs"] for s in scores]) >= 0.97
    assert np.mean([s["pcc"] for s in scores]) >= 0.95
    assert all(s["sign_accuracy"] >= 0.98 for s in scores)


def test_solution_is_a_valid_factor(fits_n100):
    for _, c, g_est, u, info in fits_n100:
        n = c.shape[0]
        assert np.allclose(u @ u.conj().T, np.eye(n), atol=1e-10)
        m = u @ inverse_sqrt(c)
        target = np.linalg.inv(c)
        assert np.linalg.norm(m.conj().T @ m - target) <= 1e-8 * np.linalg.norm(target)
        assert np.allclose(-np.where(np.eye(n, dtype=bool), 0, m), g_est)
        assert np.all(np.diag(g_est) == 0)
        assert np.all(np.diag(m).real > 0)
        assert info.converged and info.stop_reason == "xtol+ftol"
        assert info.final_cost < info.initial_cost
        assert info.final_cost == pytest.approx(l1_cost(m))
        assert info.n_iter > 10 and info.seconds > 0


def test_b0_is_positive_definite_square_root_of_inverse():
    g, _ = make_network(NetworkSpec(30, 0.1, 0.5), random_state=5)
    c = covariance_from_network(g)
    b0 = inverse_sqrt(c)
    assert np.allclose(b0, b0.T)
    assert np.all(np.linalg.eigvalsh(b0) > 0)
    assert np.allclose(b0 @ b0, np.linalg.inv(c))


def test_complex_hermitian_input_recovers_complex_network():
    rng = np.random.default_rng(1)
    g, truth = make_network(NetworkSpec(60, 0.1, 0.6), random_state=rng)
    g = g * np.exp(1j * rng.uniform(-np.pi / 3, np.pi / 3, g.shape))
    c = covariance_from_network(g)
    g_est, u, info = fit_connectivity(c)
    assert np.iscomplexobj(g_est)
    assert np.allclose(u @ u.conj().T, np.eye(60), atol=1e-10)
    m = u @ inverse_sqrt(c)
    assert np.allclose(m.conj().T @ m, np.linalg.inv(c), atol=1e-9)
    s = score(truth, g_est)
    assert s["auc"] > 0.99 and s["pcc"] > 0.95
    # the row phases are fixed (diagonal real positive), so the estimate matches G entry by entry
    assert np.median(np.abs(g_est - g)[truth != 0]) < 0.02


def test_signed_row_permutation_is_detected_and_undone():
    g, _ = make_network(NetworkSpec(20, 0.1, 0.5), random_state=2)
    m = np.eye(20) - g
    perm = np.roll(np.arange(20), 3)
    signs = np.where(np.arange(20) % 2, -1.0, 1.0)
    scrambled = signs[:, None] * m[perm]
    u_fixed, m_fixed, permuted, flips = fix_rows(np.eye(20), scrambled)
    assert permuted and flips == 10
    assert np.allclose(m_fixed, m)
    assert np.allclose(u_fixed @ scrambled, m)


def test_estimate_connectivity_returns_array_and_optional_info():
    g, _ = make_network(NetworkSpec(15, 0.2, 0.5), random_state=0)
    c = covariance_from_network(g)
    g_est = estimate_connectivity(c, max_iter=50)
    g_est2, info = estimate_connectivity(c, max_iter=50, return_info=True)
    assert g_est.shape == (15, 15)
    assert np.array_equal(g_est, g_est2)  # deterministic
    assert info.n_iter <= 50
    assert info.to_dict()["optimizer"] == "fast"  # the default


def test_iteration_cap_is_reported_as_not_converged():
    g, _ = make_network(NetworkSpec(40, 0.1, 0.7), random_state=0)
    with pytest.warns(NotConvergedWarning, match="did not converge.*'max_iter' after 5 iterations.*Raise max_iter"):
        _, info = estimate_connectivity(covariance_from_network(g), max_iter=5, return_info=True)
    assert info.n_iter == 5 and not info.converged and info.stop_reason == "max_iter"
    with pytest.warns(NotConvergedWarning):
        x = np.random.default_rng(0).standard_normal((500, 40))
        est = ZeroLagConnectivity(optimizer="paper", optimizer_options={"max_iter": 5}).fit(x)
    assert est.converged_ is False


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.ones((3, 4)), "square"),
        (np.ones(3), "square"),
        (np.array([[2.0, 1.0], [0.0, 2.0]]), "not symmetric"),
        (np.array([[1.0, 2.0], [2.0, 1.0]]), "not positive definite"),
        (np.array([[1.0, np.nan], [np.nan, 1.0]]), "NaN or inf"),
        (np.array([[1.0, np.inf], [np.inf, 1.0]]), "NaN or inf"),
        (np.array([[1.0]]), "at least 2 nodes"),
        (np.array([[1.0, 1j], [1j, 2.0]]), "not Hermitian"),
        (np.array([["a", "b"], ["c", "d"]]), "numeric"),
        (np.zeros((3, 3)), "all zeros"),
    ],
)
def test_bad_input_raises_value_error_naming_the_problem(bad, message):
    with pytest.raises(ValueError, match=message):
        estimate_connectivity(bad)


def test_unknown_optimizer_is_named():
    with pytest.raises(ValueError, match="unknown optimizer 'newton'"):
        estimate_connectivity(np.eye(3), optimizer="newton")
    with pytest.raises(ValueError, match="'xtol' is not an option of optimizer 'fast'.*optimizer='paper'"):
        estimate_connectivity(np.eye(3), xtol=1e-3)


def test_estimator_fits_time_series_and_precomputed_covariance():
    rng = np.random.default_rng(0)
    g, _ = make_network(NetworkSpec(12, 0.2, 0.5), random_state=rng)
    # x = G x + v  ⇒  x = (1 − G)⁻¹ v
    x = rng.standard_normal((20_000, 12)) @ np.linalg.inv(np.eye(12) - g).T
    est = ZeroLagConnectivity(standardize=False).fit(x)
    assert est.connectivity_.shape == (12, 12)
    assert np.allclose(est.covariance_, np.cov(x, rowvar=False))
    pre = ZeroLagConnectivity(covariance="precomputed", optimizer_options=est.optimizer_options)
    pre.fit(est.covariance_)
    assert np.allclose(pre.connectivity_, est.connectivity_)
    assert est.n_features_in_ == 12 and isinstance(est.converged_, bool)
    assert est.n_iter_ == est.fit_info_.n_iter


def test_estimator_rejects_unknown_covariance_mode():
    with pytest.raises(ValueError, match="'empirical', 'ledoit_wolf', 'long_run' or 'precomputed'"):
        ZeroLagConnectivity(covariance="shrunk").fit(np.eye(3))


@parametrize_with_checks([ZeroLagConnectivity(optimizer_options={"max_iter": 50})])
def test_scikit_learn_conventions(estimator, check):
    check(estimator)


def test_fewer_samples_than_nodes_names_the_fix_and_shrinkage_works():
    rng = np.random.default_rng(1)
    g, truth = make_network(NetworkSpec(30, 0.1, 0.5), random_state=rng)
    x = rng.standard_normal((20, 30)) @ np.linalg.inv(np.eye(30) - g).T
    with pytest.raises(ValueError, match=r"20 samples .* 30 nodes.*covariance='ledoit_wolf'"):
        ZeroLagConnectivity().fit(x)
    est = ZeroLagConnectivity(covariance="ledoit_wolf").fit(x)
    assert np.isfinite(est.connectivity_).all() and est.converged_
    assert np.all(np.linalg.eigvalsh(est.covariance_) > 0)
    # with plenty of samples, shrinkage changes little and the network is recovered
    x = rng.standard_normal((20_000, 30)) @ np.linalg.inv(np.eye(30) - g).T
    assert score(truth, ZeroLagConnectivity(covariance="ledoit_wolf").fit(x).connectivity_)["auc"] > 0.9


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("nan", r"NaN or inf in 1 value\(s\), channel\(s\) \(columns\) \[2\], first at time point \(row\) 7: drop"),
        ("constant", r"constant \(zero-variance\) channel\(s\) \(columns\) \[4\].*remove those channels"),
        ("duplicate", r"identical channels \(columns 0 and 4;.*keep one channel of each pair"),
    ],
)
def test_bad_time_series_names_the_channel_and_the_fix(column, message):
    x = np.random.default_rng(0).standard_normal((300, 5))
    if column == "nan":
        x[7, 2] = np.nan
    elif column == "constant":
        x[:, 4] = 3.0
    else:
        x[:, 4] = -2 * x[:, 0] + 1
    with pytest.raises(ValueError, match=message):
        ZeroLagConnectivity().fit(x)


def test_shrinkage_accepts_duplicated_channels_but_not_constant_ones():
    x = np.random.default_rng(0).standard_normal((300, 5))
    x[:, 4] = x[:, 0]
    assert np.isfinite(ZeroLagConnectivity(covariance="ledoit_wolf").fit(x).connectivity_).all()
    x[:, 4] = 1.0
    with pytest.raises(ValueError, match="constant"):
        ZeroLagConnectivity(covariance="ledoit_wolf").fit(x)
