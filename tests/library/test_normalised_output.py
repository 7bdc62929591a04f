"""The coupling in the units of ``G`` (``G_norm = −M_ij / M_ii``), the recovered noise sd, and the noise-aware fit.

The fit returns a factor ``M = U B₀`` of ``C⁻¹`` and ``G_est = −offdiag(M)``; the true factor is
``D^{-1/2}(1 − G)`` for noise covariance ``D = diag(σ²)``, so ``G_est`` has row ``i`` divided by ``σ_i``.
:func:`zerolag.estimation.fit.normalise_rows` divides each row of ``M`` by its diagonal instead:
``G_norm[i, j] = −M_ij / M_ii`` and ``σ̂_i = 1 / M_ii``, hence ``G_est[i, j] = −M_ij = G_norm[i, j] · M_ii =
G_norm[i, j] / σ̂_i`` for every fit, and ``G_norm = G``, ``σ̂ = σ`` exactly where the fit reaches the true factor.
Networks: ``NetworkSpec(40, 0.1, 0.7)``, σ log-uniform in a range, drawn after the network from the same
generator (as in ``test_unequal_noise.py``); noise-free covariances.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import zerolag
from zerolag import ZeroLagConnectivity
from zerolag.cli import main
from zerolag.estimation import fit as fit_module
from zerolag.estimation.fit import (
    NonPositiveDiagonalWarning,
    estimate_connectivity,
    fit_connectivity,
    fit_factor,
    inverse_sqrt,
    normalise_rows,
    normalised_connectivity,
)
from zerolag.estimation.optimizers import l1_cost
from zerolag.fmri.pipeline import prepare_timeseries
from zerolag.scoring.metrics import score
from zerolag.simulation.networks import NetworkSpec, coupling_strength, make_network

N = 40
J = coupling_strength(N, 0.1, 0.7)  # 0.369, the magnitude of every link
OFF = ~np.eye(N, dtype=bool)


def draw(seed: int, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """A network ``NetworkSpec(40, 0.1, 0.7)`` and noise sds log-uniform in ``[lo, hi]`` (one generator).

    Parameters
    ----------
    seed : int
        Seed of the generator; the network is drawn first, so it does not depend on the range.
    lo, hi : float
        Range of the noise standard deviations.

    Returns
    -------
    g : ndarray of shape (N, N)
        Coupling, row = target.
    sd : ndarray of shape (N,)
        Driving-noise standard deviations.
    """
    rng = np.random.default_rng(seed)
    g, _ = make_network(NetworkSpec(N, 0.1, 0.7), random_state=rng)
    return g, np.exp(rng.uniform(np.log(lo), np.log(hi), N))


def noisy_covariance(g: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``C = (1 − G)⁻¹ D (1 − G)⁻ᵀ`` with ``D = diag(sd²)`` (symmetrised)."""
    a = np.eye(len(sd)) - g
    c = np.linalg.solve(a, np.diag(sd**2)) @ np.linalg.inv(a).T
    return (c + c.T) / 2


# --- the identity: exact where the fit reaches the true factor --------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_true_factor_normalises_to_g_and_sigma_exactly(seed):
    g, sd = draw(seed, 0.5, 2.0)
    b = (np.eye(N) - g) / sd[:, None]  # D^{-1/2}(1 − G)
    g_norm, noise_sd = normalise_rows(b)
    np.testing.assert_allclose(g_norm, g, rtol=0, atol=1e-12)
    np.testing.assert_allclose(noise_sd, sd, rtol=1e-12)
    assert np.all(np.diag(g_norm) == 0)


def test_a_fit_that_reaches_the_true_factor_gives_g_and_sigma():
    """Seed 4, σ in 0.8–1.25 (``test_unequal_noise.py``): ``G_est = G/σ_i``, and ``G_norm = G``, ``σ̂ = σ``."""
    g, sd = draw(4, 0.8, 1.25)
    c = noisy_covariance(g, sd)
    m, u, _ = fit_factor(c)
    g_est, _, _ = fit_connectivity(c)
    np.testing.assert_allclose(g_est, g / sd[:, None], rtol=0, atol=1e-8)
    g_norm, noise_sd = normalise_rows(m)
    np.testing.assert_allclose(g_norm, g, rtol=0, atol=1e-8)
    np.testing.assert_allclose(noise_sd, sd, rtol=1e-8)
    link = g != 0
    assert np.abs(g_est - g)[link].max() > 0.05 * J  # G_est itself is not G: its rows are divided by σ_i


@pytest.mark.parametrize(("seed", "lo", "hi"), [(5, 0.5, 2.0), (3, 1 / 3, 3.0), (13, 1.0, 1.0)])
def test_g_est_is_g_norm_divided_by_sigma_hat_row_by_row(seed, lo, hi):
    """``G_est[i, j] = −M_ij = G_norm[i, j] · M_ii = G_norm[i, j] / σ̂_i`` for every fit, reached or not."""
    g, sd = draw(seed, lo, hi)
    c = noisy_covariance(g, sd)
    m, u, info = fit_factor(c)
    g_est = estimate_connectivity(c)
    g_norm, noise_sd = normalise_rows(m)
    np.testing.assert_array_equal(g_est, np.where(OFF, -m, 0))  # fit_factor and estimate_connectivity agree
    np.testing.assert_allclose(g_est, g_norm * np.diag(m)[:, None], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(g_est, g_norm / noise_sd[:, None], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(noise_sd, 1 / np.diag(m), rtol=1e-15)
    assert np.all(np.isfinite(g_norm)) and np.all(noise_sd > 0) and np.all(np.diag(g_norm) == 0)
    # M is the factor of the fit: U B₀, a factor of C⁻¹
    np.testing.assert_allclose(m, u @ inverse_sqrt(c), atol=1e-12)
    # recovered from G_est and C alone, the diagonal (so both outputs) is the same to rounding
    g_norm2, noise_sd2 = normalised_connectivity(g_est, c)
    np.testing.assert_allclose(g_norm2, g_norm, rtol=0, atol=1e-10)
    np.testing.assert_allclose(noise_sd2, noise_sd, rtol=1e-10)


def test_with_equal_variances_the_row_scales_are_one_and_g_norm_is_g_est():
    """σ = 1, seed 4 (reached): ``σ̂ = 1`` and ``G_norm = G_est = G``; the paper's 4-node example too."""
    g, sd = draw(4, 1.0, 1.0)
    c = noisy_covariance(g, sd)
    m, _, _ = fit_factor(c)
    g_norm, noise_sd = normalise_rows(m)
    np.testing.assert_allclose(noise_sd, 1, rtol=1e-8)
    np.testing.assert_allclose(g_norm, np.where(OFF, -m, 0), rtol=0, atol=1e-8)
    np.testing.assert_allclose(g_norm, g, rtol=0, atol=1e-8)
    collider = np.zeros((4, 4))
    collider[3, :3] = [0.5, 0.5, -0.5]
    est = ZeroLagConnectivity(covariance="precomputed").fit(zerolag.covariance_from_network(collider))
    np.testing.assert_allclose(est.noise_sd_, 1, rtol=1e-9)
    np.testing.assert_allclose(est.connectivity_normalised_, est.connectivity_, atol=1e-9)


def test_missed_rows_have_sigma_hat_away_from_sigma_even_with_equal_variances():
    """Seed 0, σ = 1: the fit misses the true factor (a link's error 0.369) and some ``σ̂_i`` is 8 % off."""
    g, sd = draw(0, 1.0, 1.0)
    m, _, _ = fit_factor(noisy_covariance(g, sd))
    g_norm, noise_sd = normalise_rows(m)
    assert np.abs(g_norm - g).max() == pytest.approx(J, abs=0.01)
    assert 0.05 < np.abs(np.log(noise_sd)).max() < 0.12  # measured 0.084


# --- the estimator, the CLI --------------------------------------------------------------------------------


def test_estimator_attributes():
    g, sd = draw(5, 0.5, 2.0)
    c = noisy_covariance(g, sd)
    est = ZeroLagConnectivity(covariance="precomputed").fit(c)
    m = est.unitary_ @ inverse_sqrt(c)
    g_norm, noise_sd = normalise_rows(m)
    np.testing.assert_allclose(est.connectivity_normalised_, g_norm, atol=1e-12)
    np.testing.assert_allclose(est.noise_sd_, noise_sd, rtol=1e-12)
    assert est.connectivity_normalised_.shape == (N, N) and est.noise_sd_.shape == (N,)
    np.testing.assert_allclose(est.connectivity_, est.connectivity_normalised_ / est.noise_sd_[:, None], atol=1e-14)
    np.testing.assert_array_equal(est.connectivity_, estimate_connectivity(c))  # unchanged by the new output
    assert est.get_params()["noise_aware"] is False


def directed_series(g: np.ndarray, sd: np.ndarray, n_samples: int, seed: int) -> np.ndarray:
    """Samples of ``x = G x + v`` with white ``v`` of standard deviations ``sd``: ``x = (1 − G)⁻¹ v``."""
    v = np.random.default_rng(seed).standard_normal((n_samples, len(sd))) * sd
    return v @ np.linalg.inv(np.eye(len(sd)) - g).T


# three sources converge on node 3 (identifiable directions), node 4 is driven by node 3, node 5 is alone
CLI_G = np.zeros((6, 6))
CLI_G[3, :3] = [0.6, 0.5, -0.5]
CLI_G[4, 3] = 0.4
CLI_SD = np.array([1.64, 0.52, 1.37, 0.64, 1.65, 1.06])  # recovered: the sink d's noise is small (a larger one
# reverses a link: unequal variances can move the L1 minimum, see test_unequal_noise.py)
NAMES = ["a", "b", "c", "d", "e", "f"]


def read_network(out) -> pd.DataFrame:
    return pd.read_csv(out, keep_default_na=False)


def as_matrix(table: pd.DataFrame, column: str) -> np.ndarray:
    pos = {name: k for k, name in enumerate(NAMES)}
    a = np.zeros((len(NAMES), len(NAMES)))
    a[table["target"].map(pos).to_numpy(), table["source"].map(pos).to_numpy()] = table[column].to_numpy()
    return a


def test_cli_writes_the_normalised_weight_and_the_noise_sd_beside_the_weight(tmp_path):
    x = directed_series(CLI_G, CLI_SD, 40000, seed=1)
    path = tmp_path / "ts.csv"
    pd.DataFrame(x, columns=NAMES).to_csv(path, index=False)
    out = tmp_path / "net.csv"
    assert main(["estimate", str(path), "-o", str(out), "--no-standardize"]) == 0
    table = read_network(out)
    columns = list(table.columns)
    assert columns[columns.index("weight") : columns.index("weight") + 3] == [
        "weight",
        "weight_normalised",
        "target_noise_sd",
    ]
    # against the library on the same covariance
    c = np.cov(prepare_timeseries(path, standardize=False).signals, rowvar=False)
    est = ZeroLagConnectivity(covariance="precomputed").fit(c)
    np.testing.assert_allclose(as_matrix(table, "weight"), est.connectivity_, rtol=0, atol=1e-12)
    np.testing.assert_allclose(as_matrix(table, "weight_normalised"), est.connectivity_normalised_, atol=1e-10)
    sd_of_target = table.groupby("target")["target_noise_sd"].agg(["min", "max"]).loc[NAMES]
    np.testing.assert_allclose(sd_of_target["min"], sd_of_target["max"], rtol=0)  # one value per target
    np.testing.assert_allclose(sd_of_target["min"], est.noise_sd_, rtol=1e-10)
    np.testing.assert_allclose(table["weight"], table["weight_normalised"] / table["target_noise_sd"], atol=1e-12)
    # and against the truth, to sampling error: the normalised weight is G, the weight is G/σ_target
    np.testing.assert_allclose(as_matrix(table, "weight_normalised"), CLI_G, atol=0.03)
    np.testing.assert_allclose(sd_of_target["min"], CLI_SD, rtol=0.03)
    assert np.abs(as_matrix(table, "weight") - CLI_G).max() > 0.1
    # the other methods have no factor: no such columns
    assert main(["estimate", str(path), "-o", str(tmp_path / "ric.csv"), "--method", "ric"]) == 0
    assert "weight_normalised" not in read_network(tmp_path / "ric.csv").columns


# --- a diagonal that is not positive ---------------------------------------------------------------------


def test_a_non_positive_diagonal_gives_nan_rows_with_a_warning():
    g, sd = draw(1, 0.5, 2.0)
    m = (np.eye(N) - g) / sd[:, None]
    m[3, 3] = 0.0  # zero
    m[7, 7] = -0.5  # negative
    m[11, 11] = 1e-18  # zero up to rounding (N ε max|row| is 3e-14 here)
    with pytest.warns(NonPositiveDiagonalWarning, match=r"3 diagonal entries of the factor \(rows 3, 7, 11\)"):
        g_norm, noise_sd = normalise_rows(m)
    bad = [3, 7, 11]
    good = np.setdiff1d(np.arange(N), bad)
    assert np.all(np.isnan(noise_sd[bad])) and np.all(np.isnan(g_norm[bad][:, good]))
    assert np.all(np.diag(g_norm) == 0)
    np.testing.assert_allclose(g_norm[good], g[good], atol=1e-12)  # the other rows are untouched
    np.testing.assert_allclose(noise_sd[good], sd[good], rtol=1e-12)
    # a small but clearly positive diagonal is a (large) noise scale, not an error
    m = (np.eye(N) - g) / sd[:, None]
    m[5, 5] = 1e-6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g_norm, noise_sd = normalise_rows(m)
    assert noise_sd[5] == pytest.approx(1e6) and np.all(np.isfinite(g_norm))
    # a complex diagonal must be real: a phase left on it counts as not positive
    mc = ((np.eye(N) - g) / sd[:, None]).astype(complex)
    mc[2, 2] *= np.exp(0.3j)
    with pytest.warns(NonPositiveDiagonalWarning, match=r"row 2\)"):
        _, noise_sd = normalise_rows(mc)
    assert np.isnan(noise_sd[2]) and np.isfinite(np.delete(noise_sd, 2)).all()
    with pytest.raises(ValueError, match="square"):
        normalise_rows(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN or inf"):
        normalise_rows(np.full((2, 2), np.nan))


def test_a_g_est_not_from_this_covariance_has_no_diagonal_to_recover():
    """``|M_jj|² = (C⁻¹)_jj − Σ_i |G_est[i, j]|² ≤ 0``: that row is NaN, with the warning."""
    g, sd = draw(1, 0.5, 2.0)
    c = noisy_covariance(g, sd)
    g_est = estimate_connectivity(c)
    g_est[0, 9] = 10 * np.sqrt(np.linalg.inv(c)[9, 9])  # column 9 now outweighs (C⁻¹)_99
    with pytest.warns(NonPositiveDiagonalWarning, match=r"row 9\)"):
        g_norm, noise_sd = normalised_connectivity(g_est, c)
    assert np.isnan(noise_sd[9]) and np.isnan(g_norm[9, 0]) and np.isfinite(np.delete(noise_sd, 9)).all()
    with pytest.raises(ValueError, match="shape"):
        normalised_connectivity(g_est[:5, :5], c)


def test_cli_leaves_the_cells_of_a_non_positive_row_empty_and_says_so(tmp_path, capsys, monkeypatch):
    x = directed_series(CLI_G, CLI_SD, 5000, seed=2)
    path = tmp_path / "ts.csv"
    pd.DataFrame(x, columns=NAMES).to_csv(path, index=False)

    def zero_diagonal_of_d(g_est, covariance):
        m = -np.array(g_est)
        np.fill_diagonal(m, 1.0)
        m[3, 3] = 0.0
        return normalise_rows(m)

    monkeypatch.setattr(fit_module, "normalised_connectivity", zero_diagonal_of_d)
    out = tmp_path / "net.csv"
    assert main(["estimate", str(path), "-o", str(out)]) == 0
    assert "warning: 1 diagonal entry of the factor (row 3) is not positive" in capsys.readouterr().err
    table = read_network(out)
    of_d = table["target"] == "d"
    assert (table.loc[of_d, "weight_normalised"] == "").all() and (table.loc[of_d, "target_noise_sd"] == "").all()
    assert (table.loc[~of_d, "target_noise_sd"].astype(float) == 1.0).all()
    assert np.isfinite(table["weight"].astype(float)).all()  # the weight itself is unaffected


# --- the noise-aware fit -----------------------------------------------------------------------------------


def test_noise_aware_fit_reaches_the_true_factor_where_the_plain_fit_does_not():
    """Seed 4, σ in 0.5–2: plain misses a link (error 0.369, AUC 0.994); noise-aware gives G and σ exactly."""
    g, sd = draw(4, 0.5, 2.0)
    c = noisy_covariance(g, sd)
    plain, _, _ = fit_factor(c)
    m, u, info = fit_factor(c, noise_aware=True)
    g_norm, noise_sd = normalise_rows(plain)
    assert np.abs(g_norm - g).max() == pytest.approx(J, abs=1e-3) and score(g, g_norm)["auc"] < 0.995
    g_norm, noise_sd = normalise_rows(m)
    np.testing.assert_allclose(g_norm, g, rtol=0, atol=1e-8)
    np.testing.assert_allclose(noise_sd, sd, rtol=1e-8)
    # still a factor of C⁻¹ from B₀, with its record
    np.testing.assert_allclose(u @ u.T, np.eye(N), atol=1e-10)
    np.testing.assert_allclose(m, u @ inverse_sqrt(c), atol=1e-10)
    assert info.final_cost == pytest.approx(l1_cost(m), abs=1e-12)
    record = info.options["noise_aware"]
    assert record["stop"] == "fixed_point" and 1 <= record["rounds"] <= record["max_rounds"] == 10
    assert info.converged


def test_noise_aware_fit_scores_better_at_unequal_noise():
    """Seeds 0–4, σ in 0.5–2: AUC of G_norm, plain → noise-aware, measured 0.957 → 0.994, 0.954 → 0.993,
    0.958 → 0.993, 0.901 → 0.977, 0.994 → 1.000; the registry and the estimator pass the option on."""
    for seed in range(5):
        g, sd = draw(seed, 0.5, 2.0)
        c = noisy_covariance(g, sd)
        plain = ZeroLagConnectivity(covariance="precomputed").fit(c)
        aware = ZeroLagConnectivity(covariance="precomputed", noise_aware=True).fit(c)
        before, after = score(g, plain.connectivity_normalised_)["auc"], score(g, aware.connectivity_normalised_)["auc"]
        assert after > before + 0.005 and after > 0.975, seed
        if seed == 0:
            g_est, info = zerolag.estimate("zerolag", c, noise_aware=True)
            np.testing.assert_allclose(g_est, aware.connectivity_, atol=1e-12)
            assert info["options"]["noise_aware"]["rounds"] >= 1


def test_noise_aware_fit_changes_nothing_where_the_plain_fit_is_the_true_factor():
    """Seed 4, σ = 1: the plain fit is the true factor; one refit finds σ̂ = 1 again and stops."""
    g, sd = draw(4, 1.0, 1.0)
    c = noisy_covariance(g, sd)
    plain, _, plain_info = fit_factor(c)
    m, _, info = fit_factor(c, noise_aware=True)
    np.testing.assert_allclose(m, plain, atol=1e-10)
    assert info.options["noise_aware"]["rounds"] == 1 and info.options["noise_aware"]["stop"] == "fixed_point"
    assert "noise_aware" not in plain_info.options  # the plain record is as before
