import numpy as np
import pytest

from zerolag import DIRECTED, METHOD_INPUTS, METHODS, NetworkSpec, covariance_from_network, estimate, make_network
from zerolag.methods.baselines import correlation, partial_correlation, precision, ric


@pytest.fixture(scope="module")
def cov():
    g, _ = make_network(NetworkSpec(30, 0.1, 0.6), random_state=4)
    return 2.5 * covariance_from_network(g)  # arbitrary scale: RIC normalises by mean(diag C)


@pytest.mark.parametrize("method", sorted(m for m in METHODS if METHOD_INPUTS[m] == "covariance"))
def test_every_covariance_method_gives_zero_diagonal_and_right_symmetry(method, cov):
    g, info = estimate(method, cov)
    assert g.shape == cov.shape and np.all(np.diag(g) == 0) and isinstance(info, dict)
    assert np.allclose(g, g.T) == (method not in DIRECTED)


def test_unknown_method_is_named(cov):
    with pytest.raises(ValueError, match="unknown connectivity method 'lasso'"):
        estimate("lasso", cov)


def test_correlation_and_partial_correlation_by_hand():
    c = np.array([[4.0, 2.0], [2.0, 9.0]])
    assert correlation(c)[0, 1] == pytest.approx(2 / 6)
    p = np.linalg.inv(c)
    assert partial_correlation(c)[0, 1] == pytest.approx(-p[0, 1] / np.sqrt(p[0, 0] * p[1, 1]))
    assert precision(c)[0, 1] == pytest.approx(-p[0, 1])
    # two variables: partial correlation equals correlation
    assert partial_correlation(c)[0, 1] == pytest.approx(correlation(c)[0, 1])


def test_ric_tends_to_partial_correlation(cov):
    assert np.allclose(ric(cov, lam=0), partial_correlation(cov))
    assert np.allclose(ric(cov, lam=1e-4), partial_correlation(cov), atol=1e-4)


def test_ric_solves_fslnets_problem_with_penalised_diagonal(cov):
    """KKT conditions of min −log det X + tr(Cn X) + ρ Σ_ij |X_ij| (diagonal included), ρ = λ/1000."""
    lam = 5.0
    rho = lam / 1000
    cn = cov / np.mean(np.diag(cov))
    from sklearn.covariance import graphical_lasso

    _, x = graphical_lasso(cn + rho * np.eye(30), alpha=rho, tol=1e-8, enet_tol=1e-10)
    w = np.linalg.inv(x)
    grad = w - cn  # must equal ρ·sign(X) where X ≠ 0 and lie in [−ρ, ρ] elsewhere
    nz = np.abs(x) > 1e-10
    assert np.allclose(grad[nz], rho * np.sign(x[nz]), atol=1e-6)
    assert np.all(np.abs(grad[~nz]) <= rho + 1e-6)
    d = np.sqrt(np.diag(x))
    expected = -x / np.outer(d, d)
    np.fill_diagonal(expected, 0)
    assert np.allclose(ric(cov, lam=lam), expected, atol=1e-5)
    assert np.sum(ric(cov, lam=50) == 0) > np.sum(ric(cov, lam=5) == 0)  # sparser with more penalty


def test_ric_rejects_bad_input(cov):
    with pytest.raises(ValueError, match="lambda"):
        ric(cov, lam=-1)
    with pytest.raises(ValueError, match="complex"):
        ric(cov.astype(complex), lam=5)
