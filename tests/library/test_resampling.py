"""Resampling statistics of the estimate: block bootstrap and surrogate null, on data whose answers are known."""

import math

import numpy as np
import pytest
from scipy import stats

import zerolag
from zerolag import BootstrapResult, bootstrap_connectivity, estimate_connectivity
from zerolag.estimation.bootstrap import STARTS_PER_BLOCK, BlockSums, block_grid, data_block_length
from zerolag.estimation.fit import fit_factor, inverse_sqrt
from zerolag.estimation.link_statistics import stability_selection_bound
from zerolag.estimation.surrogates import SurrogateSpectrum, phase_randomise
from zerolag.simulation.ou import simulate_bold

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def filtered_network(g: np.ndarray, n_samples: int, phi: float, rng: np.random.Generator) -> np.ndarray:
    """``x = (1 − G)⁻¹ v`` with every channel the same AR(1) filter (coefficient ``phi``) of it.

    One filter for all channels multiplies the whole covariance by ``1 / (1 − phi²)``: the zero-lag input keeps
    the network's structure, and the samples are autocorrelated, as the block bootstrap needs.
    """
    v = rng.standard_normal((n_samples + 100, g.shape[0])) @ np.linalg.inv(np.eye(g.shape[0]) - g).T
    for t in range(1, len(v)):
        v[t] += phi * v[t - 1]
    return v[100:]


def independent_ar1(n_samples: int, phis: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Independent AR(1) channels with their own coefficients: no coupling at all."""
    x = rng.standard_normal((n_samples + 100, len(phis)))
    for t in range(1, len(x)):
        x[t] += phis * x[t - 1]
    return x[100:]


def collider(n: int = 5) -> np.ndarray:
    """Node 2 driven by three nodes: strongly by node 0 (0.6), weakly by nodes 1 and 3 (0.3, −0.3).

    The L1 fit recovers this target's row exactly from the exact covariance; with two inputs, or one input
    much stronger than the others, it prefers a reversed solution (a lone link's reverse has the lower cost).
    """
    g = np.zeros((n, n))
    g[2, [0, 1, 3]] = 0.6, 0.3, -0.3
    return g


def test_surrogate_p_values_are_uniform_without_coupling():
    """Independent AR(1) channels: the per-link p-values of three series, pooled, are uniform (KS at 0.01)."""
    p = []
    for seed in range(3):
        rng = np.random.default_rng(seed)
        x = independent_ar1(600, rng.uniform(0.2, 0.7, size=6), rng)
        res = bootstrap_connectivity(x, n_resamples=0, n_surrogates=99, random_state=seed)
        assert res.mean is None and res.block_length is None
        p.append(res.p[~np.eye(6, dtype=bool)])
    p = np.concatenate(p)
    assert np.all((p >= 0.01) & (p <= 1)) and np.allclose(p * 100, np.round(p * 100))  # (1 + k) / (1 + 99)
    assert stats.kstest(p, "uniform").pvalue > 0.01, np.sort(p)


def test_pooled_null_p_values_are_uniform_for_alike_channels_and_reach_below_the_per_link_floor():
    """Independent channels with one spectrum: pooled p-values are uniform; a strong link goes below 1 / (1 + R)."""
    p = []
    for seed in range(3):
        rng = np.random.default_rng(10 + seed)
        x = independent_ar1(600, np.full(6, 0.5), rng)
        res = bootstrap_connectivity(x, n_resamples=0, n_surrogates=49, random_state=seed, null_distribution="pooled")
        p.append(res.p[~np.eye(6, dtype=bool)])
    assert stats.kstest(np.concatenate(p), "uniform").pvalue > 0.01
    x = filtered_network(collider(), 3000, 0.6, np.random.default_rng(1))
    pooled = bootstrap_connectivity(x, n_resamples=0, n_surrogates=49, random_state=2, null_distribution="pooled")
    n = x.shape[1]
    assert pooled.p[2, 0] < 1 / 50 and pooled.p[2, 0] == pytest.approx(1 / (1 + 49 * n * (n - 1)))
    with pytest.raises(ValueError, match="null_distribution must be one of"):
        bootstrap_connectivity(x, n_resamples=0, n_surrogates=49, null_distribution="max")


@pytest.mark.parametrize("scheme", ["moving", "stationary"])
def test_a_strong_link_is_significant_and_sign_stable(scheme):
    g = collider()
    x = filtered_network(g, 3000, 0.6, np.random.default_rng(1))
    res = bootstrap_connectivity(x, n_resamples=40, n_surrogates=119, scheme=scheme, random_state=2)
    # G / σ: the filter scales the noise sd by 1 / √(1 − 0.6²) = 1.25, so 0.6 becomes 0.48
    assert res.weights[2, 0] > 0.4 and res.p[2, 0] < 0.01 and res.q[2, 0] == np.nanmin(res.q)
    assert res.sign_stability[2, 0] >= 0.95 and res.selection_frequency[2, 0] >= 0.95
    assert res.ci_low[2, 0] > 0 and res.ci_low[2, 0] <= res.mean[2, 0] <= res.ci_high[2, 0]
    b = data_block_length(x, scheme=scheme)  # the default block length, rounded to whole chunks
    stride = max(1, math.ceil(b / STARTS_PER_BLOCK))
    assert res.block_stride == stride and res.block_length == stride * max(1, round(b / stride)) > 1
    assert np.isnan(np.diag(res.p)).all() and np.isnan(np.diag(res.sign_stability)).all()


def test_fixed_random_state_gives_the_same_result_for_any_n_jobs():
    x = filtered_network(collider(4), 500, 0.5, np.random.default_rng(3))
    options = dict(n_resamples=40, n_surrogates=20, random_state=7)
    one = bootstrap_connectivity(x, **options)
    again = bootstrap_connectivity(x, **options)
    two = bootstrap_connectivity(x, n_jobs=2, **options)
    for name in ("weights", "resample_weights", "resample_costs", "surrogate_weights", "ci_low", "p", "q"):
        np.testing.assert_array_equal(getattr(again, name), getattr(one, name), err_msg=name)
        np.testing.assert_array_equal(getattr(two, name), getattr(one, name), err_msg=name)
    other = bootstrap_connectivity(x, **{**options, "random_state": 8})
    assert not np.array_equal(other.resample_weights, one.resample_weights)
    network = dict(n_resamples=0, n_surrogates=40, random_state=7, null_model="network", null_distribution="pooled")
    one, again, two = (bootstrap_connectivity(x, n_jobs=jobs, **network) for jobs in (1, 1, 2))
    for name in ("surrogate_weights", "null_links", "p", "q"):
        np.testing.assert_array_equal(getattr(again, name), getattr(one, name), err_msg=name)
        np.testing.assert_array_equal(getattr(two, name), getattr(one, name), err_msg=name)


def test_warm_and_cold_refits_reach_the_same_minima():
    g = zerolag.make_network(zerolag.NetworkSpec.from_name("N10_p0.2_rho0.6_q0"), random_state=0)[0]
    x = filtered_network(g, 2000, 0.5, np.random.default_rng(4))
    options = dict(n_resamples=20, confidence=0.9, random_state=5)
    warm = bootstrap_connectivity(x, warm_start=True, **options)
    cold = bootstrap_connectivity(x, warm_start=False, **options)
    # the same resamples; the objective is not convex: the warm refits reach minima up to 3 % lower, at most 1 % higher
    gap = (warm.resample_costs - cold.resample_costs) / cold.resample_costs
    assert np.max(np.abs(gap)) < 0.04 and np.median(gap) <= 0.005, gap


def test_warm_start_option_of_the_fit():
    g = collider(4)
    c = zerolag.covariance_from_network(g)
    m, u, _ = fit_factor(c)
    m_warm, u_warm, info = fit_factor(c, u0=u)
    assert info.initial_cost == pytest.approx(info.final_cost, abs=1e-6)  # started at the minimum, stayed
    np.testing.assert_allclose(m_warm, m, atol=1e-6)
    np.testing.assert_allclose(u_warm @ inverse_sqrt(c), m_warm, atol=1e-12)  # U composed with u0: M = U B₀
    np.testing.assert_allclose(estimate_connectivity(c, u0=u), -m * (1 - np.eye(4)), atol=1e-6)
    with pytest.raises(ValueError, match="u0 must be unitary"):
        fit_factor(c, u0=2 * np.eye(4))
    with pytest.raises(ValueError, match="4 × 4"):
        fit_factor(c, u0=np.eye(3))


@pytest.mark.parametrize("scheme", ["moving", "stationary"])
@pytest.mark.parametrize("stride", [1, 3])
@pytest.mark.parametrize("assume_centered", [False, True])
def test_block_sum_covariance_is_that_of_the_resampled_series(scheme, stride, assume_centered):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((301, 4)) + [5.0, -2.0, 0.0, 1.0]
    grid = block_grid(len(x), 4, 12, stride)
    sums = BlockSums(x, grid, scheme, assume_centered=assume_centered)
    chunks = x[: grid.n_samples].reshape(grid.n_chunks, grid.stride, 4)
    for _ in range(3):
        index = sums.draw(rng)
        assert index.shape == (grid.n_chunks,) and index.min() >= 0 and index.max() < grid.n_chunks
        series = chunks[index].reshape(-1, 4)
        expected = series.T @ series / len(series) if assume_centered else np.cov(series.T)
        got = sums.covariances_from_counts(np.bincount(index, minlength=grid.n_chunks))[0]
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    if scheme == "moving":  # whole blocks of consecutive chunks, the last one cut short
        runs = index[: grid.n_chunks // grid.block_chunks * grid.block_chunks].reshape(-1, grid.block_chunks)
        assert np.all(np.diff(runs, axis=1) == 1)


def test_surrogates_keep_each_spectrum_and_their_covariance_is_that_of_the_series():
    rng = np.random.default_rng(7)
    x = independent_ar1(500, np.array([0.3, 0.6, 0.8]), rng) @ [[1, 0.5, 0], [0, 1, 0.5], [0, 0, 1]] + 3.0
    seed = np.random.SeedSequence(11)
    y = phase_randomise(x, random_state=np.random.default_rng(seed))
    np.testing.assert_allclose(np.abs(np.fft.rfft(y, axis=0)), np.abs(np.fft.rfft(x, axis=0)), atol=1e-9)
    np.testing.assert_allclose(SurrogateSpectrum(x).covariances([seed])[0], np.cov(y.T), atol=1e-12)
    assert abs(np.corrcoef(x.T)[0, 1]) > 0.3 and abs(np.corrcoef(y.T)[0, 1]) < 0.15


def test_surrogate_phasors_are_cos_and_sin_to_rounding_and_keep_the_draws_of_one_array():
    from zerolag.estimation.surrogates import _cos_sin, _random_phases

    turns = np.concatenate([[0.0, 0.25, 0.5, 0.75, 1 - 2**-53, 2**-13], np.random.default_rng(3).random(20000)])
    cos, sin, scratch = (np.empty_like(turns) for _ in range(3))
    _cos_sin(turns.copy(), cos, sin, scratch)
    np.testing.assert_allclose(cos, np.cos(2 * np.pi * turns), rtol=0, atol=1e-15)
    np.testing.assert_allclose(sin, np.sin(2 * np.pi * turns), rtol=0, atol=1e-15)
    for t in (7, 5000, 4097):  # odd and even lengths, one block and several
        phases = _random_phases(np.random.default_rng(4), t, 3)
        rng = np.random.default_rng(4)
        expected = np.exp(2j * np.pi * rng.random((t // 2 + 1, 3)))
        expected[0] = 1
        if t % 2 == 0:
            expected[-1] = np.where(rng.random(3) < 0.5, 1.0, -1.0)
        np.testing.assert_allclose(phases, expected, rtol=0, atol=1e-15)


def test_table_and_stability_selection():
    x = filtered_network(collider(4), 800, 0.3, np.random.default_rng(8))
    res = bootstrap_connectivity(x, n_resamples=20, confidence=0.9, random_state=0)
    assert isinstance(res, BootstrapResult) and res.p is None
    table = res.to_frame(labels=["a", "b", "c", "d"])
    assert len(table) == 12 and "p" not in table and table["kept"].sum() == 2  # round(0.1 · 4²)
    row = table[(table["target"] == "c") & (table["source"] == "a")].iloc[0]  # row = target, column = source
    assert row["weight"] == res.weights[2, 0] and row["sign_stability"] == res.sign_stability[2, 0]
    assert row["kept"] and res.stable_links(0.9)[2, 0] and not res.stable_links(0.9).diagonal().any()
    assert res.expected_false_selections(0.9) == pytest.approx(stability_selection_bound(2, 12, 0.9)) == 4 / 9.6
    with pytest.raises(ValueError, match=r"\(0.5, 1\]"):
        res.expected_false_selections(0.5)
    with_null = bootstrap_connectivity(x, n_resamples=0, n_surrogates=19, random_state=0)
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_allclose(with_null.q[off], stats.false_discovery_control(with_null.p[off]))
    assert list(with_null.to_frame().columns) == ["target", "source", "weight", "kept", "p", "q"]


@pytest.fixture(scope="module")
def series():
    rng = np.random.default_rng(9)
    x = filtered_network(collider(4), 400, 0.3, rng)
    nan = x.copy()
    nan[5, 1] = np.nan
    return {"x": x, "slow": independent_ar1(200, np.full(3, 0.97), rng), "covariance": np.cov(x.T), "nan": nan}


@pytest.mark.parametrize(
    "data, options, message",
    [
        ("x", dict(n_resamples=10), "n_resamples = 10 is too few"),
        ("x", dict(n_resamples=40, block_length=200), "block_length = 200 is at least half"),
        ("x", dict(n_resamples=40, block_length=8, block_stride=9), "block_stride"),
        ("x", dict(scheme="circular"), "scheme"),
        ("x", dict(n_resamples=0), "both 0"),
        ("slow", dict(n_resamples=0, n_surrogates=20), r"too short for surrogates \(n_surrogates"),
        ("covariance", dict(n_resamples=40), "not a covariance"),
        ("covariance", dict(n_resamples=0, n_surrogates=20, null_model="network"), "not a covariance"),
        ("x", dict(n_resamples=40, null_model="network"), "null_model='network' draws its null from surrogates"),
        ("x", dict(n_resamples=0, n_surrogates=20, null_model="network", top_fraction=0.8), "no link is absent"),
        ("x", dict(n_resamples=0, n_surrogates=20, null_model="coupled"), "null_model must be one of"),
        ("nan", dict(n_resamples=40), "NaN"),
    ],
)
def test_bad_input_names_the_option(series, data, options, message):
    with pytest.raises(ValueError, match=message):
        bootstrap_connectivity(series[data], random_state=0, **options)


def test_weights_are_the_estimators_standardised_fit_and_resamples_are_standardised_too():
    from zerolag import ZeroLagConnectivity

    g = np.zeros((5, 5))
    g[4, :3] = [0.6, 0.3, -0.3]
    x = np.random.default_rng(40).standard_normal((3000, 5)) @ np.linalg.inv(np.eye(5) - g).T
    x = x * np.array([1.0, 10.0, 0.1, 3.0, 0.5])  # units that standardising removes
    res = bootstrap_connectivity(x, n_resamples=40, random_state=1)
    np.testing.assert_allclose(res.weights, ZeroLagConnectivity(diagnose=False).fit(x).connectivity_, atol=1e-9)
    rescaled = bootstrap_connectivity(x * 7.0, n_resamples=40, random_state=1)
    np.testing.assert_allclose(rescaled.resample_weights, res.resample_weights, atol=1e-4)  # to the fit tolerance
    raw = bootstrap_connectivity(x, n_resamples=40, random_state=1, standardize=False)
    assert np.abs(raw.weights - res.weights).max() > 0.05


# --- the network null: an absent link of the coupled network


def bold_network(name: str, seed: int, n_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """A network of the spec and its OU + HRF series (standardised BOLD, the reliability figure's simulation)."""
    g, _ = zerolag.make_network(zerolag.NetworkSpec.from_name(name), random_state=seed)
    x = simulate_bold(g, tau=0.1, dt=0.1, duration=n_samples * 0.1, random_state=100 + seed)
    return g, x


def test_the_network_null_holds_the_fdr_near_its_level_where_the_no_coupling_null_does_not():
    """N = 15, p = 0.1, ρ = 0.5, 20 000 samples, 99 surrogates, four networks; FDP at q ≤ 0.1.

    Measured: the network null (pooled) 0.23, 0.00, 0.27, 0.00 (mean 0.13, power 0.40); the no-coupling null
    (pooled) 0.47, 0.28, 0.37, 0.35 (mean 0.37). Most of the network null's false discoveries are the reverse of a
    true link, which the estimator's own infinite-data limit holds (a direction error no resampling null sees).
    """
    fdp = {"independent": [], "network": []}
    for seed in range(4):
        g, x = bold_network("N15_p0.1_rho0.5_q0", seed, 20_000)
        off = ~np.eye(15, dtype=bool)
        for model in fdp:
            res = bootstrap_connectivity(
                x, n_resamples=0, n_surrogates=99, null_model=model, null_distribution="pooled", random_state=seed
            )
            declared = (np.nan_to_num(res.q, nan=1.0) <= 0.1) & off
            fdp[model].append((declared & (g == 0)).sum() / max(declared.sum(), 1))
    assert np.mean(fdp["network"]) <= 0.2, fdp
    assert np.mean(fdp["independent"]) >= 0.3, fdp


def test_network_null_p_values_are_uniform_without_coupling_and_a_strong_link_is_declared():
    p, declared = [], 0
    for seed in range(3):
        rng = np.random.default_rng(20 + seed)
        x = independent_ar1(2000, np.full(8, 0.5), rng)
        res = bootstrap_connectivity(
            x, n_resamples=0, n_surrogates=49, null_model="network", null_distribution="pooled", random_state=seed
        )
        assert res.null_model == "network" and res.null_links.sum() == round(0.1 * 64)  # the kept links
        absent = ~res.null_links & ~np.eye(8, dtype=bool)
        p.append(res.p[absent])
        declared += int(np.sum(res.q <= 0.1))
    assert declared == 0 and stats.kstest(np.concatenate(p), "uniform").pvalue > 0.01
    x = filtered_network(collider(), 3000, 0.6, np.random.default_rng(1))
    res = bootstrap_connectivity(x, n_resamples=0, n_surrogates=49, null_model="network", random_state=2)
    assert res.null_links[2, 0] and res.q[2, 0] <= 0.05 and res.q[2, 0] == np.nanmin(res.q)
    assert res.settings()["null_model"] == "network" and res.surrogate_weights.shape == (49, 5, 5)


def test_the_network_null_keeps_the_strongest_links_and_tests_the_rest_against_their_own_draws():
    from zerolag.estimation.network_null import NetworkSurrogates, null_network
    from zerolag.estimation.surrogates import permutation_p_values

    m = -np.array([[0, 0.5, 0.0], [0.05, 0, -0.3], [0.0, 0.2, 0]]) + np.diag([1.2, 1.0, 0.9])
    m0, kept = null_network(m, 2 / 9)  # round(2/9 · 9) = 2 links: 0.5 and −0.3
    np.testing.assert_array_equal(kept, [[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    np.testing.assert_array_equal(m0, np.where(kept | np.eye(3, dtype=bool), m, 0))
    # the surrogates' covariance is the remixed innovations': M₀⁻¹ ξ* with ξ = M₀ z
    x = independent_ar1(400, np.array([0.3, 0.5, 0.7]), np.random.default_rng(0))
    source = NetworkSurrogates(x, m0, assume_centered=False, standardize=False)
    seed = np.random.SeedSequence(3)
    xi = phase_randomise((x - x.mean(0)) @ m0.T, random_state=np.random.default_rng(seed))
    np.testing.assert_allclose(source.covariances([seed])[0], np.cov(xi @ np.linalg.inv(m0).T, rowvar=False))
    # p-values: absent links against their own draws, kept links against the pool of the absent ones
    observed = np.array([[0, 1.0, 0.3], [0.3, 0, 1.0], [0.3, 0.3, 0]])
    null = np.zeros((4, 3, 3))
    null[:, 0, 2] = [0.1, 0.2, 0.4, 0.5]  # one absent link's draws; the others' are 0
    per_link = permutation_p_values(observed, null, absent=~kept)
    assert per_link[0, 2] == (1 + 2) / 5 and per_link[1, 0] == 1 / 5 and per_link[0, 1] == 1 / (1 + 16)
    pooled = permutation_p_values(observed, null, pooled=True, absent=~kept)
    assert pooled[0, 2] == (1 + 2) / 17 and pooled[0, 1] == 1 / 17 and np.isnan(pooled[1, 1])
    with pytest.raises(ValueError, match="no link is absent"):
        null_network(m, 1.0)
