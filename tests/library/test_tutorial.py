"""The Neuromatch "Correlations" tutorial: exact reproduction, vectorised noise, quality measures, coarse graining."""

import numpy as np
import pandas as pd
import pytest

from zerolag.tutorial import neuromatch as tu
from zerolag.tutorial import reference_arithmetic
from zerolag.tutorial.reference_arithmetic import (
    reference_arithmetic_available,
    reference_environment,
    reference_quality,
    ulps_apart,
)

# --------------------------------------------------------------------------------------------------
# the tutorial's code, literally (only np.random.seed(s); np.random.f(...) → RandomState(s).f(...))


def literal_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def literal_create_connectivity(n_neurons, random_state=42, p=0.9):
    rs = np.random.RandomState(random_state)
    A_0 = rs.choice([0, 1], size=(n_neurons, n_neurons), p=[p, 1 - p])
    _, s_vals, _ = np.linalg.svd(A_0)
    A = A_0 / (1.01 * s_vals[0])
    return A


def literal_simulate_neurons(A, timesteps, random_state=42):
    rs = np.random.RandomState(random_state)
    n_neurons = len(A)
    X = np.zeros((n_neurons, timesteps))
    for t in range(timesteps - 1):
        epsilon = rs.multivariate_normal(np.zeros(n_neurons), np.eye(n_neurons))
        X[:, t + 1] = literal_sigmoid(A.dot(X[:, t]) + epsilon)
        assert epsilon.shape == (n_neurons,)
    return X


def literal_correlation_for_all_neurons(X):
    n_neurons = len(X)
    S = np.concatenate([X[:, 1:], X[:, :-1]], axis=0)
    R = np.corrcoef(S)[:n_neurons, n_neurons:]
    return R


# --------------------------------------------------------------------------------------------------
# exact reproduction


@pytest.mark.reference_arithmetic
@pytest.mark.parametrize("n_neurons", sorted(tu.RECORDED_QUALITY))
def test_recorded_outputs_bit_for_bit(n_neurons):
    # in the arithmetic the tutorial ran in (x86-64 AVX2); reference_quality also checks that the
    # tutorial's own np.corrcoef(A.flatten(), R.flatten()) expression gives the same bits
    assert tu.RECORDED_QUALITY == {6: 0.9596667994046594, 100: 0.3629329824177816}
    assert reference_quality(n_neurons, 5000) == tu.RECORDED_QUALITY[n_neurons]


@pytest.mark.parametrize("n_neurons", sorted(tu.RECORDED_QUALITY))
def test_native_kernels_agree_to_a_few_ulps(n_neurons):
    assert ulps_apart(tu.get_sys_corr(n_neurons, 5000), tu.RECORDED_QUALITY[n_neurons]) <= 64


def test_ulps_apart():
    assert ulps_apart(1.0, 1.0) == 0
    assert ulps_apart(1.0, np.nextafter(1.0, 2.0)) == 1
    assert ulps_apart(0.3629329824177816, 0.3629329824177819) == 5
    assert ulps_apart(-0.0, 0.0) == 0 and ulps_apart(-5e-324, 5e-324) == 2


@pytest.mark.reference_arithmetic
def test_reference_environment_selects_avx2_kernels():
    env = reference_environment()
    assert env["OPENBLAS_CORETYPE"] == "Haswell" and env["OPENBLAS_NUM_THREADS"] == "1"


def test_reference_arithmetic_is_unavailable_without_avx2_or_openblas(monkeypatch):
    # what the reference_arithmetic marker skips on (tests/conftest.py), simulated
    avx2 = {"AVX2": True, "FMA3": True, "AVX512F": False}
    monkeypatch.setattr(reference_arithmetic.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(reference_arithmetic, "_cpu_features", lambda: {**avx2, "AVX2": False})
    monkeypatch.setattr(reference_arithmetic, "_cpu_baseline", lambda: ["X86_V2"])
    monkeypatch.setattr(reference_arithmetic, "_numpy_blas", lambda: "openblas")
    available, reason = reference_arithmetic_available()
    assert not available and "AVX2=False" in reason
    with pytest.raises(RuntimeError, match="AVX2"):
        reference_environment()
    monkeypatch.setattr(reference_arithmetic, "_cpu_features", lambda: {"ASIMD": True})
    monkeypatch.setattr(reference_arithmetic.platform, "machine", lambda: "aarch64")
    available, reason = reference_arithmetic_available()
    assert not available and "aarch64" in reason and "AVX2" in reason
    monkeypatch.setattr(reference_arithmetic.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(reference_arithmetic, "_cpu_features", lambda: avx2)
    assert reference_arithmetic_available()[0]
    monkeypatch.setattr(reference_arithmetic, "_numpy_blas", lambda: "mkl")
    available, reason = reference_arithmetic_available()
    assert not available and "'mkl', not OpenBLAS" in reason
    with pytest.raises(RuntimeError, match="OpenBLAS"):
        reference_environment()
    monkeypatch.setattr(reference_arithmetic, "_numpy_blas", lambda: "openblas")
    monkeypatch.setattr(reference_arithmetic, "_cpu_baseline", lambda: ["X86_V2", "X86_V3", "X86_V4"])
    available, reason = reference_arithmetic_available()
    assert not available and "X86_V4" in reason


def test_numpy_blas_is_named():
    # this NumPy's BLAS, as threadpoolctl or NumPy's build configuration names it (a PyPI wheel: OpenBLAS)
    blas = reference_arithmetic._numpy_blas()
    assert blas == blas.lower() and blas != ""
    config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"].lower()
    assert ("openblas" in blas) == ("openblas" in config)


def test_multivariate_normal_identity_is_the_standard_normal_stream():
    n, steps = 7, 50
    rs = np.random.RandomState(3)
    per_step = np.array([rs.multivariate_normal(np.zeros(n), np.eye(n)) for _ in range(steps)])
    # an odd n makes the legacy Box–Muller cache straddle the draws
    assert np.array_equal(per_step, np.random.RandomState(3).standard_normal((steps, n)))


@pytest.mark.parametrize(("n", "steps", "seed", "p"), [(8, 200, 42, 0.9), (5, 60, 0, 0.5), (31, 300, 7, 0.8)])
def test_vectorised_simulation_equals_literal_loop(n, steps, seed, p):
    A = tu.create_connectivity(n, seed, p)
    assert np.array_equal(A, literal_create_connectivity(n, seed, p))
    X = tu.simulate_neurons(A, steps, seed)
    X_literal = literal_simulate_neurons(A, steps, seed)
    assert X.shape == (n, steps) and X.flags.c_contiguous
    assert np.array_equal(X, X_literal)
    assert np.array_equal(tu.correlation_for_all_neurons(X), literal_correlation_for_all_neurons(X_literal))


def test_no_global_random_state():
    before = np.random.get_state()
    tu.simulate_neurons(tu.create_connectivity(6), 20)
    after = np.random.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def test_bonus_run_shape_and_range():
    # its seconds are measured by the workflow (results/tables/tutorial_bonus.csv), not asserted here
    X = tu.simulate_neurons(tu.create_connectivity(256, 42), 10_000, 42)
    assert X.shape == (256, 10_000) and np.all(X[:, 0] == 0) and np.all((X[:, 1:] > 0) & (X[:, 1:] < 1))


def test_create_connectivity_scaling_and_empty_network():
    A = tu.create_connectivity(20, 1, 0.7)
    assert np.linalg.svd(A, compute_uv=False)[0] == pytest.approx(1 / 1.01)
    assert len(np.unique(A)) == 2  # binary up to the common scale; p is the probability of *no* connection
    assert np.array_equal(A != 0, np.random.RandomState(1).choice([0, 1], size=(20, 20), p=[0.7, 0.3]) == 1)
    empty = tu.create_connectivity(5, 2)  # the tutorial's 5-neuron trial with seed 2 draws nothing
    assert np.array_equal(empty, np.zeros((5, 5)))
    assert np.isnan(tu.get_sys_corr(5, 100, 2))
    with pytest.raises(ValueError):
        tu.create_connectivity(5, 0, 1.5)


# --------------------------------------------------------------------------------------------------
# estimator orientation


def test_orientation_row_target_column_source():
    rng = np.random.default_rng(0)
    source = rng.standard_normal(1000)
    X = np.vstack([source, np.roll(source, 1), rng.standard_normal(1000)])  # neuron 1 copies neuron 0, one step late
    R = tu.correlation_for_all_neurons(X)
    assert R[1, 0] == pytest.approx(1.0)  # row = target at t + 1, column = source at t
    assert abs(R[0, 1]) < 0.1
    assert np.allclose(tu.connectivity_from_single_neuron(X, 0), R[:, 0])


# --------------------------------------------------------------------------------------------------
# quality measures on hand-made cases


def test_pearson_quality_includes_the_diagonal_by_default():
    truth = np.array([[1.0, 0.0], [1.0, 0.0]])
    est = np.array([[0.5, 0.1], [0.2, 0.3]])
    assert tu.pearson_quality(truth, est) == np.corrcoef(truth.flatten(), est.flatten())[0, 1]
    # off-diagonal only: (0,1) and (1,0) → truth 0, 1 against estimate 0.1, 0.2
    assert tu.pearson_quality(truth, est, include_diagonal=False) == pytest.approx(1.0)
    assert np.isnan(tu.pearson_quality(np.zeros((2, 2)), est))


def test_spearman_quality_ranks_with_ties():
    truth = np.array([[0.0, 1.0], [0.0, 0.0]])
    est = np.array([[0.1, 0.9], [0.3, 0.2]])
    # truth ranks: 2, 4, 2, 2 (three tied zeros); estimate ranks: 1, 4, 3, 2
    t, e = np.array([2, 4, 2, 2.0]), np.array([1, 4, 3, 2.0])
    assert tu.spearman_quality(truth, est) == pytest.approx(np.corrcoef(t, e)[0, 1])


def test_kappa_top_k_hand_computed():
    truth = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0.0]])  # 3 connections out of 9 entries
    est = np.array([[0.9, 0.8, 0.1], [0.0, 0.2, 0.7], [0.3, 0.4, 0.5]])
    # top 3 of the estimate: (0,0) 0.9 wrong, (0,1) 0.8 right, (1,2) 0.7 right → TP 2, FP 1, FN 1, TN 5
    # p_o = 7/9, p_e = (3/9)² + (6/9)² = 5/9, kappa = (7/9 − 5/9) / (1 − 5/9) = 1/2
    assert tu.kappa_quality(truth, est) == pytest.approx(0.5)
    assert tu.kappa_quality(truth, truth) == pytest.approx(1.0)
    assert np.isnan(tu.kappa_quality(np.zeros((3, 3)), est))
    assert np.isnan(tu.kappa_quality(np.ones((3, 3)), est))
    with pytest.raises(ValueError):
        tu.kappa_quality(truth, est, rule="mean")


def test_kappa_median_split_is_bounded_by_twice_the_density():
    truth = np.zeros((4, 4))
    truth[0, 1] = truth[2, 3] = truth[3, 0] = 1.0  # density d = 3/16
    est = truth + np.linspace(0, 0.5, 16).reshape(4, 4)  # every connection in the estimate's upper half
    # TP 3, FP 5, FN 0, TN 8: p_o = 11/16, p_e = 1/2, kappa = 3/8 = 2 d
    assert tu.kappa_quality(truth, est, rule="median") == pytest.approx(3 / 8)
    assert tu.kappa_quality(truth, est, rule="top_k") == pytest.approx(1.0)
    q = tu.quality(truth, est)
    assert set(q) == {"pearson", "spearman", "kappa_topk", "kappa_median"}
    assert q["kappa_median"] == pytest.approx(3 / 8)


# --------------------------------------------------------------------------------------------------
# coarse graining on a hand-made case


def test_coarse_graining_hand_made():
    A = np.array(
        [
            [0.0, 1.0, 2.0, 2.0],
            [1.0, 0.0, 4.0, 0.0],
            [0.0, 0.0, 0.0, 1.0],
            [3.0, 1.0, 1.0, 0.0],
        ]
    )
    # group 0 = neurons 0, 1; group 1 = neurons 2, 3; entry (i, j) = mean weight from group j to group i
    expected = np.array([[(0 + 1 + 1 + 0) / 4, (2 + 2 + 4 + 0) / 4], [(0 + 0 + 3 + 1) / 4, (0 + 1 + 1 + 0) / 4]])
    assert np.allclose(tu.coarse_connectivity(A, 2), expected)
    assert np.array_equal(tu.coarse_connectivity(A, 4), A)
    X = np.arange(12.0).reshape(4, 3)
    assert np.array_equal(tu.coarse_activity(X, 2), np.array([[1.5, 2.5, 3.5], [7.5, 8.5, 9.5]]))
    assert np.array_equal(tu.coarse_activity(X, 1), X.mean(0, keepdims=True))
    with pytest.raises(ValueError):
        tu.coarse_activity(X, 3)
    assert tu.coarse_group_counts(128) == [4, 8, 16, 32, 64]


def test_get_coarse_corr_matches_the_tutorial_formulae():
    A = tu.create_connectivity(16, 1)
    X = tu.simulate_neurons(A, 300, 1)
    corr, R, coarse_A = tu.get_coarse_corr(4, X, A)
    coarse_X = X.reshape(4, 4, 300).mean(1)
    assert np.array_equal(R, literal_correlation_for_all_neurons(coarse_X))
    assert np.array_equal(coarse_A, A.reshape(4, 4, 4, 4).mean(3).mean(1))
    assert corr == np.corrcoef(coarse_A.flatten(), R.flatten())[0, 1]


# --------------------------------------------------------------------------------------------------
# experiment tables


def test_quality_vs_size_table():
    table = tu.quality_vs_size((5, 6), timesteps=200, network_seeds=range(4))
    assert len(table) == 8
    assert set(tu.QUALITY_MEASURES) <= set(table.columns)
    five = table[table["n"] == 5].set_index("network_seed")
    assert np.isnan(five.loc[2, "pearson"]) and np.isnan(five.loc[3, "pearson"])  # empty networks
    assert (table["simulation_seed"] == 42).all()  # the tutorial's get_sys_corr always simulates with 42
    row = table[(table["n"] == 6) & (table["network_seed"] == 1)].iloc[0]
    assert row["pearson"] == tu.get_sys_corr(6, 200, 1)


def test_sparsity_and_coarse_tables():
    sparsity = tu.quality_vs_sparsity([0.5, 0.9], n_neurons=8, timesteps=200)
    assert list(sparsity["p"]) == [0.5, 0.9]
    assert sparsity["n_connections"].iloc[0] > sparsity["n_connections"].iloc[1]
    coarse = tu.coarse_graining(16, timesteps=200, seeds=[0, 1])
    assert list(coarse["n_groups"]) == [4, 8] * 2
    assert list(coarse["group_size"]) == [4, 2] * 2


def test_compare_estimators_small():
    options = {**tu.SAMPLED_DATA_TOLERANCES, "max_iter": 50}
    table = tu.compare_estimators(6, 1000, 42, zerolag_options=options)
    assert list(table["method"]) == ["lagged_correlation", "zerolag", "correlation"]
    lagged = table.set_index("method").loc["lagged_correlation"]
    assert lagged["quality"] == tu.get_sys_corr(6, 1000)
    assert table[["auc", "prs", "pcc", "quality"]].notna().all().all()
    assert table.set_index("method").loc["zerolag", "n_iter"] <= 100
    with pytest.raises(ValueError):
        tu.compare_on_activity(np.eye(3), np.zeros((4, 10)))


def test_auc_reversed_sees_links_pointed_the_wrong_way():
    rng = np.random.default_rng(0)
    source = rng.standard_normal(2000)
    X = np.vstack([source, np.roll(source, 1), rng.standard_normal(2000)])  # 0 → 1, one step late
    truth = np.zeros((3, 3))
    truth[1, 0] = 1.0  # row = target, column = source
    table = tu.compare_on_activity(truth, X, methods=["lagged_correlation"]).iloc[0]
    assert table["auc"] == 1.0 and table["auc_reversed"] < 0.75
    reversed_table = tu.compare_on_activity(truth.T, X, methods=["lagged_correlation"]).iloc[0]
    assert reversed_table["auc_reversed"] == 1.0 and reversed_table["auc"] < 0.75


# --------------------------------------------------------------------------------------------------
# figures (smoke: each returns a Figure from the library's tables)


def test_smoke_figures_build():
    """Smoke: every tutorial figure draws from its table; their numbers are checked by the tests above."""
    import matplotlib.pyplot as plt

    from zerolag.plotting import tutorial as pt

    A = tu.create_connectivity(6)
    X = tu.simulate_neurons(A, 300)
    R = tu.correlation_for_all_neurons(X)
    single = tu.connectivity_from_single_neuron(X, 1)
    coarse = tu.coarse_graining(16, timesteps=200, seeds=[0, 1])
    _, r_coarse, a_coarse = tu.get_coarse_corr(
        4, X=tu.simulate_neurons(tu.create_connectivity(16), 200), A=tu.create_connectivity(16)
    )
    options = {**tu.SAMPLED_DATA_TOLERANCES, "max_iter": 20}
    side = tu.side_by_side((6, 8), timesteps=300, seeds=[0, 1], zerolag_options=options)
    side = pd.concat([side, side.assign(network="paper")], ignore_index=True)
    figures = [
        pt.plot_estimate_vs_truth(A, R, single_estimate=single, selected_neuron=1, quality=tu.pearson_quality(A, R)),
        pt.plot_estimate_vs_truth(A, R),
        pt.plot_quality_vs_size(tu.quality_vs_size((5, 6), timesteps=100, network_seeds=range(3))),
        pt.plot_quality_vs_sparsity(tu.quality_vs_sparsity([0.5, 0.9], n_neurons=8, timesteps=100)),
        pt.plot_coarse_graining(coarse, example=(a_coarse, r_coarse)),
        pt.plot_side_by_side(side),
    ]
    assert all(isinstance(f, plt.Figure) for f in figures)
    assert len(figures[-1].axes) == 8
    with pytest.raises(ValueError):
        pt.plot_side_by_side(side.drop(columns="rep"))
    for f in figures:
        plt.close(f)


def test_numpy_spearman_and_kappa_match_scipy_and_sklearn():
    from scipy.stats import spearmanr
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(5)
    truth = (rng.random((12, 12)) < 0.2) * 1.0
    est = np.round(rng.standard_normal((12, 12)), 1)  # rounding makes ties
    assert tu.spearman_quality(truth, est) == pytest.approx(spearmanr(truth.ravel(), est.ravel()).statistic)
    t_bin, e_bin = truth.ravel() > 0, est.ravel() > np.median(est)
    assert tu.kappa_quality(truth, est, rule="median") == pytest.approx(cohen_kappa_score(t_bin, e_bin))
