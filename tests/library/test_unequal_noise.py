"""Unequal driving-noise variances: which way rows of ``G_est`` are scaled, what is exact, what was measured.

With driving noise ``v`` of covariance ``D = diag(σ²)`` the model ``x = Gx + v`` has
``C = (1 − G)⁻¹ D (1 − G)⁻ᵀ`` and ``C⁻¹ = BᵀB`` for the true factor ``B = D^{-1/2} (1 − G)``: row ``i`` of
``1 − G`` divided by ``σ_i``. The estimator returns ``G_est = −offdiag(U B₀)`` for the rotation ``U`` it finds
and normalises nothing (:func:`zerolag.estimation.fit.fit_connectivity`), so where it reaches the true factor
``G_est[i, j] = G[i, j] / σ_i``: each row is *divided* by the noise standard deviation of its target node.

That identity is exact. Whether the fit reaches the true factor is not: it is the sparsest (L1) rotation only
sometimes, already with equal variances. Measured on the noise-free covariances of networks
``NetworkSpec(40, 0.1, 0.7)`` drawn with seeds 0–9 (``σ_i`` log-uniform in the range, drawn after the network
from the same generator), ``optimizer="fast"``, errors ``|G_est − G/σ_i|`` (``J = 0.369`` is the link weight):

=================  ===========  ===========  ===========  ============  =====================
σ range            link error   link error   off-diag     AUC min /     fit's L1 cost below
                   median       max          error max    median        the true factor's
=================  ===========  ===========  ===========  ============  =====================
1 (equal)          7e-11        0.369        0.369        0.971/0.986   6 of 10
0.8–1.25           5e-11        0.413        0.413        0.968/0.991   6 of 10
0.5–2              0.013        0.651        0.651        0.889/0.948   4 of 10
=================  ===========  ===========  ===========  ============  =====================

(link error: over the true links; the median error against ``G`` itself is 0.042 and 0.141, against ``G·σ_i``
0.083 and 0.280, so the division is the relation the output follows). Seeds 0–19 (README): link error median
1e-11, 2e-7 and 0.014, max 0.369, 0.457 and 0.651 (any entry: 0.369, 0.501, 0.651); AUC min/median
0.930/0.985, 0.937/0.991, 0.889/0.948; the fit's cost is below the true factor's in 15, 12 and 9 of 20
networks; in the others the fit stops at a local minimum above it (the true factor is then the better point).
"""

import numpy as np
import pytest
from scipy.optimize import linprog

import zerolag
from zerolag.estimation.fit import fix_rows, inverse_sqrt
from zerolag.estimation.model import covariance as unit_variance_covariance
from zerolag.estimation.optimizers import l1_cost
from zerolag.scoring.metrics import score
from zerolag.simulation.networks import NetworkSpec, coupling_strength, make_network

N = 40
SPEC = NetworkSpec(N, 0.1, 0.7)
J = coupling_strength(N, 0.1, 0.7)  # 0.369, the magnitude of every link
SPREADS = {"equal": (1.0, 1.0), "narrow": (0.8, 1.25), "wide": (0.5, 2.0)}
SEEDS = range(10)
OFF = ~np.eye(N, dtype=bool)


def draw(seed: int, spread: str) -> tuple[np.ndarray, np.ndarray]:
    """A network of :data:`SPEC` and noise standard deviations, log-uniform over the spread's range.

    Parameters
    ----------
    seed : int
        Seed of the generator; the network is drawn first, so it is the same for every spread.
    spread : str
        A key of :data:`SPREADS`.

    Returns
    -------
    g : ndarray (N, N)
        Coupling matrix, row = target.
    sd : ndarray (N,)
        Driving-noise standard deviation of every node.
    """
    rng = np.random.default_rng(seed)
    g, _ = make_network(SPEC, random_state=rng)
    lo, hi = SPREADS[spread]
    return g, np.exp(rng.uniform(np.log(lo), np.log(hi), N))


def noisy_covariance(g: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``C = (1 − G)⁻¹ D (1 − G)⁻ᵀ`` with ``D = diag(sd²)``, built by hand (symmetrised)."""
    a = np.eye(len(sd)) - g
    c = np.linalg.solve(a, np.diag(sd**2)) @ np.linalg.inv(a).T
    return (c + c.T) / 2


def true_factor(g: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``B = D^{-1/2} (1 − G)``: row ``i`` of ``1 − G`` divided by ``sd[i]``."""
    return (np.eye(len(sd)) - g) / sd[:, None]


def pair_rotation_slopes(m: np.ndarray) -> np.ndarray:
    """One-sided slopes of the L1 cost when two rows of ``m`` are rotated, for every ordered pair.

    ``slopes[i, j]`` is ``d/dθ ‖offdiag(R(θ) m)‖₁`` at ``θ = 0⁺`` for the rotation that adds ``θ · m[j]`` to
    row ``i`` and ``−θ · m[i]`` to row ``j``; ``(j, i)`` is the opposite direction. An entry that is zero
    contributes ``|change|``, a non-zero one ``sign · change``; diagonal entries do not count.
    """
    n = m.shape[0]

    def row_terms(sign_of: np.ndarray) -> np.ndarray:
        # t[r, s] = Σ_{c ≠ r} φ(m[r, c], sign_of · m[s, c])
        x, d = m[:, None, :], sign_of * m[None, :, :]
        phi = np.where(x != 0, np.sign(x) * d, np.abs(d))
        phi[np.arange(n), :, np.arange(n)] = 0.0  # column r of row r is the diagonal
        return phi.sum(axis=2)

    slopes = row_terms(1.0) + row_terms(-1.0).T
    np.fill_diagonal(slopes, np.inf)
    return slopes


def rotate_rows(m: np.ndarray, i: int, j: int, theta: float) -> np.ndarray:
    """``R(θ) m`` with ``R`` the rotation of rows ``i`` and ``j`` of :func:`pair_rotation_slopes`."""
    r = np.eye(m.shape[0])
    r[i, i] = r[j, j] = np.cos(theta)
    r[i, j], r[j, i] = np.sin(theta), -np.sin(theta)
    return r @ m


def is_stationary(m: np.ndarray) -> bool:
    """Whether no rotation ``exp(tA) m`` (``A`` skew) lowers ``‖offdiag(m)‖₁`` to first order in ``t``.

    The one-sided derivative along ``A`` is ``max ⟨S, A m⟩`` over the subgradients ``S`` (``sign(m)`` off the
    diagonal where ``m ≠ 0``, anything in [−1, 1] where ``m = 0``, 0 on the diagonal); it is ≥ 0 for every
    skew ``A`` exactly when some ``S`` makes ``S mᵀ`` symmetric: a linear feasibility problem.
    """
    n = m.shape[0]
    iu, ju = np.triu_indices(n, 1)
    off = ~np.eye(n, dtype=bool)
    s0 = np.where(off, np.sign(m), 0.0)
    zi, zj = np.nonzero(off & (m == 0))
    k = np.arange(zi.size)
    # free entry (a, b) of S adds m[:, b] to row a of S mᵀ, and m[:, b] to column a of m Sᵀ
    effect = np.zeros((n, n, zi.size))
    effect[zi, :, k] += m[:, zj].T
    effect[:, zi, k] -= m[:, zj]
    rhs = -(s0 @ m.T - m @ s0.T)[iu, ju]
    res = linprog(np.zeros(zi.size), A_eq=effect[iu, ju], b_eq=rhs, bounds=(-1, 1), method="highs")
    assert res.status in (0, 2), res.message  # 0 feasible, 2 infeasible
    return res.status == 0


@pytest.fixture(scope="module")
def fits() -> dict[str, list[dict]]:
    """The fast fit of every network of :data:`SEEDS` at every spread, with its errors, AUC and costs."""
    out = {}
    for spread in SPREADS:
        rows = []
        for seed in SEEDS:
            g, sd = draw(seed, spread)
            g_est, info = zerolag.estimate("zerolag", noisy_covariance(g, sd), optimizer="fast")
            link = g != 0
            rows.append(
                {
                    "error": np.abs(g_est - g / sd[:, None]),
                    "link": link,
                    "error_vs_g": np.abs(g_est - g)[link],
                    "error_vs_g_times_sd": np.abs(g_est - g * sd[:, None])[link],
                    "auc": score(g, g_est)["auc"],
                    "cost": np.abs(g_est).sum(),
                    "reported_cost": info["final_cost"],
                    "true_cost": l1_cost(true_factor(g, sd)),
                }
            )
        out[spread] = rows
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_true_factor_is_exact_and_its_off_diagonal_is_g_divided_by_sigma(seed):
    """``BᵀB = C⁻¹`` for ``B = D^{-1/2}(1 − G)``; the rotation to it gives ``G/σ_i`` row by row, exactly."""
    g, sd = draw(seed, "wide")
    c = noisy_covariance(g, sd)
    b = true_factor(g, sd)
    np.testing.assert_allclose(b.T @ b, np.linalg.inv(c), rtol=0, atol=1e-10 * np.abs(np.linalg.inv(c)).max())
    # unit variances: the library's model covariance is the same construction with D = 1
    np.testing.assert_allclose(noisy_covariance(g, np.ones(N)), unit_variance_covariance(g), rtol=1e-12, atol=1e-12)
    b0 = inverse_sqrt(c)
    u = b @ np.linalg.inv(b0)  # the rotation that takes the start B₀ = (C⁻¹)^{1/2} to the true factor
    np.testing.assert_allclose(u.T @ u, np.eye(N), atol=1e-10)
    m = u @ b0
    u2, m2, permuted, flips = fix_rows(u, m)  # the estimator's own repair step leaves it as it is
    assert not permuted and flips == 0
    np.testing.assert_allclose(np.diag(m2), 1 / sd, rtol=1e-10)  # the diagonal it drops is 1/σ_i
    g_est = -m2 * OFF
    np.testing.assert_allclose(g_est, g / sd[:, None], rtol=0, atol=1e-10)  # divided by σ of the target
    link = g != 0
    assert np.abs(g_est - g * sd[:, None])[link].max() > 0.1 * J  # not multiplied …
    assert np.abs(g_est - g * sd[None, :])[link].max() > 0.1 * J  # … nor scaled by σ of the source


def test_the_fit_returns_g_divided_by_sigma_where_it_reaches_the_true_factor():
    """Seed 4, σ in 0.8–1.25: the fast fit reaches the true factor, ``G_est = G/σ_i`` to 1e-8 and AUC = 1.

    (Seeds 4 and 15 of 0–19 are reached at this spread, seed 4 alone with equal variances, none at 0.5–2.)
    """
    g, sd = draw(4, "narrow")
    g_est, info = zerolag.estimate("zerolag", noisy_covariance(g, sd), optimizer="fast")
    np.testing.assert_allclose(g_est, g / sd[:, None], rtol=0, atol=1e-8)
    assert info["final_cost"] == pytest.approx(l1_cost(true_factor(g, sd)), abs=1e-8)
    assert score(g, g_est)["auc"] == 1.0
    link = g != 0
    assert np.abs(g_est - g)[link].max() > 0.05 * J and np.abs(g_est - g * sd[:, None])[link].max() > 0.1 * J


def test_link_errors_and_auc_under_unequal_noise(fits):
    """Seeds 0–9 (module docstring): errors against ``G/σ_i``, their bounds, AUC bounds and its drop at 0.5–2."""
    for row in (r for rows in fits.values() for r in rows):
        assert row["reported_cost"] == pytest.approx(row["cost"], abs=1e-9)  # FitInfo's cost is ‖G_est‖₁
    stats = {}
    for spread, rows in fits.items():
        link_err = np.concatenate([r["error"][r["link"]] for r in rows])
        stats[spread] = {
            "median": np.median(link_err),
            "max": max(r["error"][OFF].max() for r in rows),
            "vs_g": np.median(np.concatenate([r["error_vs_g"] for r in rows])),
            "vs_g_sd": np.median(np.concatenate([r["error_vs_g_times_sd"] for r in rows])),
            "auc": np.array([r["auc"] for r in rows]),
        }
    equal, narrow, wide = stats["equal"], stats["narrow"], stats["wide"]
    assert equal["median"] < 1e-8 and narrow["median"] < 1e-8  # measured 7e-11, 5e-11
    assert wide["median"] < 0.02  # measured 0.013
    for s in (narrow, wide):  # the output follows G/σ_i, not G nor G·σ_i
        assert s["median"] < 0.2 * s["vs_g"] and s["median"] < 0.1 * s["vs_g_sd"]
    assert narrow["vs_g"] > 0.03 and wide["vs_g"] > 0.1  # measured 0.042, 0.141
    for s in stats.values():  # a whole link (J = 0.369) is missed or invented, never much more
        assert 0.9 * J < s["max"] < 2 * J  # measured 0.369, 0.413, 0.651
    assert equal["auc"].min() > 0.96 and narrow["auc"].min() > 0.96  # measured 0.971, 0.968
    assert wide["auc"].min() > 0.88  # measured 0.889
    assert np.median(wide["auc"]) < np.median(equal["auc"]) - 0.02  # measured 0.948 vs 0.986
    assert abs(np.median(narrow["auc"]) - np.median(equal["auc"])) < 0.01  # 0.991 vs 0.986: no loss


def test_the_l1_minimum_is_not_the_true_factor(fits):
    """At every spread the fit finds points of lower L1 cost than the true factor, away from ``G/σ_i``.

    Measured (seeds 0–9): the fit's cost is below the true factor's in 6, 6 and 4 of 10 networks (equal,
    0.8–1.25, 0.5–2), by up to 1.09, 0.83 and 0.43, and every such estimate is off ``G/σ_i`` by at least one
    link weight (max error ≥ 0.336). "The fit's cost ≤ the true factor's" is not general: in 3, 3 and 6 of 10
    the fit stops at a local minimum above it (the true factor is the better point there).
    """
    for spread, rows in fits.items():
        below = [r for r in rows if r["cost"] < r["true_cost"] - 1e-6]
        assert len(below) >= 3, spread
        for r in below:
            assert r["error"][OFF].max() > 0.8 * J, spread  # measured ≥ 0.336 (J = 0.369)
    g, sd = draw(5, "wide")
    g_est, info = zerolag.estimate("zerolag", noisy_covariance(g, sd), optimizer="fast")
    assert info["final_cost"] < l1_cost(true_factor(g, sd)) - 0.4  # measured 0.425 lower
    assert np.abs(g_est - g / sd[:, None]).max() > J


def test_unequal_noise_can_make_the_true_factor_not_even_a_local_minimum():
    """Seed 13: the true factor is a stationary point of the L1 cost at σ = 1, not at σ in 0.5–2.

    At σ = 1 the linear program of :func:`is_stationary` finds a subgradient with no rotational part, and
    every two-row rotation raises the cost (smallest slope 0.214). At 0.5–2 rotating rows 19 and 37 of
    ``D^{-1/2}(1 − G)`` lowers the cost at slope −0.596, so the L1 minimum moves away from the true factor
    however well the optimiser does. Over seeds 0–19 the true factor is stationary in 11 networks at σ = 1,
    11 at 0.8–1.25 and 5 at 0.5–2 (a two-row rotation lowers it in 9, 9 and 13).
    """
    g, sd = draw(13, "equal")
    b = true_factor(g, sd)
    assert is_stationary(b)
    assert pair_rotation_slopes(b).min() == pytest.approx(0.214, abs=1e-3)
    g, sd = draw(13, "wide")
    b = true_factor(g, sd)
    slopes = pair_rotation_slopes(b)
    i, j = np.unravel_index(np.argmin(slopes), slopes.shape)
    assert slopes[i, j] == pytest.approx(-0.596, abs=1e-3)
    theta = 1e-3
    lowered = l1_cost(rotate_rows(b, i, j, theta)) - l1_cost(b)
    assert lowered == pytest.approx(slopes[i, j] * theta, rel=0.01)  # an actual step, not only a slope
    assert not is_stationary(b)
