"""The peer methods: orientation on 3-node chains, hand-computed values, known answers, bad input."""

import numpy as np
import pytest

from zerolag import DIRECTED, METHOD_INPUTS, METHODS, estimate
from zerolag.methods.peers import (
    causal_order,
    check_timeseries,
    direct_lingam,
    granger,
    mou_ec,
    pairwise_lr,
    pairwise_measure,
    patel_measures,
    patel_tau,
    var1,
)
from zerolag.methods.peers.pairwise import _entropy
from zerolag.simulation.ou import simulate_ou

CHAIN = np.array([[0, 0, 0], [0.5, 0, 0], [0, 0.5, 0]])  # 0 → 1 → 2, G[target, source]


def sem_chain(noise, n=20000, weight=0.8, seed=0):
    """x0 = e0, x1 = w x0 + e1, x2 = w x1 + e2 with i.i.d. non-Gaussian e."""
    rng = np.random.default_rng(seed)
    e = noise(rng, (n, 3))
    x = np.empty_like(e)
    x[:, 0] = e[:, 0]
    x[:, 1] = weight * x[:, 0] + e[:, 1]
    x[:, 2] = weight * x[:, 1] + e[:, 2]
    return x


def skewed(rng, shape):
    return rng.exponential(size=shape) - 1


def laplace(rng, shape):
    return rng.laplace(size=shape)


def assert_chain(g):
    """Exactly the chain's two links point forward: G[1, 0], G[2, 1] strongest, reverse entries weaker."""
    assert abs(g[1, 0]) > abs(g[0, 1]) and abs(g[2, 1]) > abs(g[1, 2])
    top = set(zip(*np.unravel_index(np.argsort(-np.abs(g), axis=None)[:2], g.shape), strict=True))
    assert top == {(1, 0), (2, 1)}
    assert g[1, 0] > 0 and g[2, 1] > 0


@pytest.fixture(scope="module")
def ou_chain():
    return simulate_ou(CHAIN, tau=1.0, dt=0.5, duration=20000, random_state=1)


# ---------------------------------------------------------------------------------------------
# orientation on the 3-node chain


@pytest.mark.parametrize("method", ["var1", "granger", "mou_ec"])
def test_lag_based_peers_orient_the_ou_chain(method, ou_chain):
    g, _ = estimate(method, timeseries=ou_chain)
    assert_chain(g)


@pytest.mark.parametrize(("measure", "noise"), [("skew", skewed), ("tanh", laplace), ("entropy", skewed)])
def test_pairwise_lr_orients_a_non_gaussian_chain(measure, noise):
    g = pairwise_lr(sem_chain(noise), measure=measure)
    assert g[1, 0] > 0 and g[2, 1] > 0 and g[0, 1] == 0 and g[1, 2] == 0
    assert g[2, 0] > 0 and g[0, 2] == 0  # the indirect pair 0 ~ 2 is oriented downstream as well


def test_pairwise_skew_measure_is_invariant_to_sign_flips():
    x = sem_chain(skewed)
    _, r = pairwise_measure(x, measure="skew")
    flipped = x * np.array([-1, 1, -1])
    _, r_flipped = pairwise_measure(flipped, measure="skew")
    assert np.allclose(r, r_flipped)
    assert np.allclose(r, -r.T)


def test_directlingam_recovers_the_chain_and_its_weights():
    x = sem_chain(skewed, weight=0.8)
    assert causal_order(x) == [0, 1, 2]
    b, order = direct_lingam(x)
    assert order == [0, 1, 2]
    expected = np.array([[0, 0, 0], [0.8, 0, 0], [0, 0.8, 0]])
    assert np.allclose(b, expected, atol=0.05)
    reordered = x[:, [2, 0, 1]]  # the order follows the data, not the column order
    assert causal_order(reordered) == [1, 2, 0]


def up_down_inputs(rng, n_steps, dt, up=2.5, down=10.0):
    """Binary on/off inputs with exponential dwell times (mean ``up`` s on, ``down`` s off)."""
    u = np.empty(n_steps)
    t, state = 0, False
    while t < n_steps:
        dwell = max(1, int(rng.exponential(up if state else down) / dt))
        u[t : t + dwell] = state
        t += dwell
        state = not state
    return u


def test_patel_tau_orients_a_driven_node_as_smith_reads_it():
    # Two leaky integrators, 0 → 1, driven by on/off inputs: the neural model behind NetSim
    # (τ dz/dt = (W − 1) z + u), written out here rather than taken from our generator. The child sums
    # its own input and its parent's activity (weight 0.9, enough to make it active), so it is active
    # more often than its parent, and Pate.m's −τ points 0 → 1.
    dt, tau, n = 0.05, 0.2, 40000
    w = np.array([[0.0, 0.0], [0.9, 0.0]])
    for seed in range(3):
        rng = np.random.default_rng(seed)
        u = np.stack([up_down_inputs(rng, n, dt) for _ in range(2)], axis=1)
        z = np.zeros((n, 2))
        for t in range(1, n):
            z[t] = z[t - 1] + dt / tau * ((w - np.eye(2)) @ z[t - 1] + u[t - 1])
        x = z[::20] + 0.05 * rng.standard_normal((n // 20, 2))  # sampled every second, a little noise
        kappa, direction = patel_measures(x)
        assert direction[0, 1] > 0.2 and kappa[0, 1] > 0
        g = patel_tau(x)
        assert g[1, 0] == kappa[0, 1] and g[0, 1] == 0


def test_patel_tau_orients_a_binary_chain_of_sums():
    # 0 → 1 → 2 with binary activity: each node is active when its own input or its parent is (OR)
    rng = np.random.default_rng(0)
    own = rng.random((5000, 3)) < 0.2
    x = np.empty_like(own)
    x[:, 0] = own[:, 0]
    x[:, 1] = own[:, 1] | x[:, 0]
    x[:, 2] = own[:, 2] | x[:, 1]
    g = patel_tau(x.astype(float), percentiles=(0, 100))
    assert g[1, 0] > 0 and g[2, 1] > 0 and g[0, 1] == 0 and g[1, 2] == 0


def test_patel_direction_follows_activity_rates():
    # τ reads direction from which node is active more often: a node active only when another is
    # (a gate, not a sum) points back to it. Nested binary activity, 2 ⊂ 1 ⊂ 0.
    rng = np.random.default_rng(0)
    x0 = rng.random(5000) < 0.7
    x1 = x0 & (rng.random(5000) < 0.8)
    x2 = x1 & (rng.random(5000) < 0.8)
    x = np.stack([x0, x1, x2], axis=1).astype(float)
    _, direction = patel_measures(x, percentiles=(0, 100))
    assert direction[1, 0] > 0 and direction[2, 1] > 0  # 1 → 0, 2 → 1: the rarer node is the "parent"


def test_patel_by_hand():
    # a = 1110, b = 1100: θ1 = 1/2, θ2 = 1/4, θ3 = 0, θ4 = 1/4 (binary already: binarising keeps them)
    x = np.array([[1, 1], [1, 1], [1, 0], [0, 0]], dtype=float)
    kappa, direction = patel_measures(x, percentiles=(0, 100))
    # E = (θ1+θ2)(θ1+θ3) = 3/8 < θ1, max = 1/2: D = 1/2 + (1/8)/(2/8) = 1, κ = (1/8)/(1 · 1/8) = 1
    assert kappa[0, 1] == pytest.approx(1.0) and kappa[1, 0] == pytest.approx(1.0)
    # θ2 > θ3: τ = 1 − (θ1+θ3)/(θ1+θ2) = 1/3; the direction score is −τ, antisymmetric
    assert direction[0, 1] == pytest.approx(-1 / 3) and direction[1, 0] == pytest.approx(1 / 3)
    # complementary series: θ1 = 0 < E = 1/4, min = 0: D = 1/2 + (1/4)/(2/4) = 1, κ = −(1/4)/(1/4) = −1, τ = 0
    y = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=float)
    kappa, direction = patel_measures(y, percentiles=(0, 100))
    assert kappa[0, 1] == pytest.approx(-1.0) and direction[0, 1] == pytest.approx(0.0)
    # D strictly between: a = 1111000000, b = 1100100000: θ = (2, 2, 1, 5)/10, E = 0.12, max − E = 0.18,
    # E − min = 0.12; D = 1/2 + 0.08/0.36 = 13/18, κ = 0.08/(13/18 · 0.18 + 5/18 · 0.12) = 24/49
    # (|θ1 − E|/|max − E| without the weight would be 4/9); τ = 1 − 3/4 = 1/4
    a = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype=float)
    b = np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0], dtype=float)
    kappa, direction = patel_measures(np.column_stack([a, b]), percentiles=(0, 100))
    assert kappa[0, 1] == pytest.approx(24 / 49) and direction[0, 1] == pytest.approx(-1 / 4)


def test_patel_binarises_at_smith_level():
    # Scaled values 0, .5, .8, 1 (percentiles 0, 100 of 0..10): binarised at 0.75 only .8 and 1 are active
    x = np.column_stack([[0.0, 5, 8, 10], [0.0, 10, 10, 0]])
    kappa, _ = patel_measures(x, percentiles=(0, 100))
    kappa_cont, _ = patel_measures(x, percentiles=(0, 100), binarize=None)
    # binary: a = 0011, b = 0110: θ1 = 1/4 = E, κ = 0; continuous: θ1 = (.5 + .8)/4 > E
    assert kappa[0, 1] == pytest.approx(0.0) and kappa_cont[0, 1] > 0


def test_entropy_approximation_is_exact_for_a_gaussian():
    z = np.random.default_rng(3).standard_normal((400000, 1))
    assert _entropy(z)[0] == pytest.approx((1 + np.log(2 * np.pi)) / 2, abs=1e-3)
    lap = np.random.default_rng(3).laplace(size=(400000, 1)) / np.sqrt(2)  # unit variance, less entropy
    assert _entropy(lap)[0] < _entropy(z)[0] - 0.02


# ---------------------------------------------------------------------------------------------
# known answers of the lag-based peers


def test_var1_recovers_a_known_autoregression():
    rng = np.random.default_rng(5)
    a = np.array([[0.5, 0.0, 0.3], [-0.4, 0.2, 0.0], [0.0, 0.35, 0.1]])
    x = np.zeros((50000, 3))
    for t in range(1, len(x)):
        x[t] = a @ x[t - 1] + rng.standard_normal(3)
    off = a.copy()
    np.fill_diagonal(off, 0)
    assert np.allclose(var1(x), off, atol=0.02)


def test_granger_f_equals_the_restricted_regression_f():
    rng = np.random.default_rng(6)
    x = np.cumsum(rng.standard_normal((300, 4)), axis=0) * 0.1 + rng.standard_normal((300, 4))
    g = granger(x)
    past = np.column_stack([np.ones(299), x[:-1]])
    now = x[1:]
    dof = 299 - 4 - 1
    for i in range(4):
        full = np.linalg.lstsq(past, now[:, i], rcond=None)
        rss_full = np.sum((now[:, i] - past @ full[0]) ** 2)
        for j in range(4):
            if i == j:
                continue
            keep = [c for c in range(5) if c != j + 1]
            restricted = np.linalg.lstsq(past[:, keep], now[:, i], rcond=None)
            rss_r = np.sum((now[:, i] - past[:, keep] @ restricted[0]) ** 2)
            f = (rss_r - rss_full) / (rss_full / dof)
            assert abs(g[i, j]) == pytest.approx(f, rel=1e-8)
            assert np.sign(g[i, j]) == np.sign(full[0][j + 1])


def test_mou_ec_fits_the_ou_it_was_simulated_from(ou_chain):
    c, info = mou_ec(ou_chain)
    assert info["final_cost"] < info["initial_cost"] / 5
    # time in samples: C ≈ G Δt / τ = 0.25 on the links (τ_x absorbs part of the coupling's slowing)
    assert c[1, 0] == pytest.approx(0.25, abs=0.06) and c[2, 1] == pytest.approx(0.25, abs=0.06)
    assert np.max(np.abs(c[[0, 0, 1, 2], [1, 2, 2, 0]])) < 0.03
    # nodes 1 and 2 sign-flipped: the link 0 → 1 becomes inhibitory (−0.25), 1 → 2 stays excitatory
    flipped = ou_chain * np.array([1.0, -1.0, -1.0])
    signed, _ = mou_ec(flipped)
    assert signed[1, 0] == pytest.approx(-0.25, abs=0.06) and signed[2, 1] == pytest.approx(0.25, abs=0.06)
    # Gilson et al.'s excitatory constraint removes the inhibitory link and keeps the excitatory one
    nonneg, _ = mou_ec(flipped, nonnegative=True)
    assert nonneg[1, 0] == 0 and nonneg[2, 1] == pytest.approx(0.25, abs=0.08)


# ---------------------------------------------------------------------------------------------
# the interface


def test_every_method_declares_its_input_and_runs_on_a_time_series(ou_chain):
    assert set(METHOD_INPUTS) == set(METHODS)
    assert set(METHOD_INPUTS.values()) == {"covariance", "timeseries"}
    for method in METHODS:
        g, info = estimate(method, timeseries=ou_chain)
        assert g.shape == (3, 3) and np.all(np.diag(g) == 0) and isinstance(info, dict)
        assert np.allclose(g, g.T) == (method not in DIRECTED), method


def test_covariance_methods_given_a_time_series_use_its_sample_covariance(ou_chain):
    for method in ("zerolag", "correlation", "partial_correlation"):
        from_ts, _ = estimate(method, timeseries=ou_chain)
        from_cov, _ = estimate(method, np.cov(ou_chain, rowvar=False))
        assert np.allclose(from_ts, from_cov)


def test_timeseries_method_without_a_time_series_says_what_to_pass(ou_chain):
    with pytest.raises(ValueError, match="needs the time series.*timeseries=X"):
        estimate("granger", np.cov(ou_chain, rowvar=False))
    with pytest.raises(ValueError, match="needs a covariance"):
        estimate("correlation")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (np.ones(10), "2-D array"),
        (np.zeros((10, 1)), "at least 2 nodes"),
        (np.random.default_rng(0).standard_normal((2, 5)), "transposed"),
        (np.array([[1.0, np.nan], [2.0, 1.0], [3.0, 0.0], [1.0, 1.0]]), "NaN"),
        (np.column_stack([np.arange(10.0), np.ones(10)]), r"constant channel\(s\) \[1\]"),
        (np.ones((5, 2), dtype=complex), "real"),
    ],
)
def test_bad_time_series_is_named(data, match):
    with pytest.raises(ValueError, match=match):
        check_timeseries(data)


def test_bad_peer_options_are_named(ou_chain):
    with pytest.raises(ValueError, match="unknown pairwise measure 'kurtosis'"):
        pairwise_lr(ou_chain, measure="kurtosis")
    with pytest.raises(ValueError, match="percentiles must satisfy"):
        patel_tau(ou_chain, percentiles=(90, 10))
    with pytest.raises(ValueError, match="binarize must be in"):
        patel_tau(ou_chain, binarize=1.5)
    with pytest.raises(ValueError, match="lag must be a positive"):
        mou_ec(ou_chain, lag=0)
    with pytest.raises(ValueError, match="MOU-EC needs autocorrelated"):
        mou_ec(np.random.default_rng(0).standard_normal((2000, 3)))
    with pytest.raises(ValueError, match="needs more than 7 samples"):
        var1(np.random.default_rng(0).standard_normal((6, 5)))
