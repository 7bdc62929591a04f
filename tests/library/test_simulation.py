import numpy as np
import pytest
import scipy.linalg

import zerolag
from zerolag.estimation.spectra import band_csd, sample_covariance
from zerolag.simulation.hrf import canonical_hrf
from zerolag.simulation.observation import add_observation_noise, choose_observed, subnetwork
from zerolag.simulation.ou import (
    bold_covariance,
    bold_statistics,
    ou_process,
    simulate_bold,
    simulate_ou,
)


@pytest.fixture(scope="module")
def small_net():
    g, _ = zerolag.make_network(zerolag.NetworkSpec(5, 0.4, 0.74), random_state=2)
    return g


def lagged(proc, k):
    return proc.lagged_cov(k)


def bartlett_sd(proc, lag, n_samples):
    """Asymptotic standard deviation of the sample lag-``lag`` covariance of the sampled OU (Bartlett)."""
    radius = np.max(np.abs(np.linalg.eigvals(proc.transition)))
    k_max = int(np.ceil(40 / (1 - radius)))
    cov = {k: lagged(proc, k) for k in range(-k_max - lag, k_max + lag + 1)}
    var = np.zeros_like(proc.stationary_cov)
    for k in range(-k_max, k_max + 1):
        var += np.outer(np.diag(cov[k]), np.diag(cov[k])) + cov[k + lag] * cov[k - lag].T
    return np.sqrt(var / n_samples)


def step_by_step(proc, x_prev, noise):
    out = np.empty_like(noise)
    for t in range(noise.shape[0]):
        x_prev = proc.transition @ x_prev + proc.noise_chol @ noise[t]
        out[t] = x_prev
    return out


def test_process_matrices(small_net):
    proc = ou_process(small_net, tau=0.5, dt=0.1)
    a, s = proc.drift, proc.stationary_cov
    assert np.allclose(a @ s + s @ a.T + np.eye(5), 0, atol=1e-12)  # continuous Lyapunov
    assert np.allclose(proc.transition, scipy.linalg.expm(a * 0.1))
    # Σ − FΣFᵀ equals the integrated noise ∫_0^Δt e^{As} e^{Aᵀs} ds (Van Loan), the exact update noise
    n = 5
    block = scipy.linalg.expm(np.block([[-a, np.eye(n)], [np.zeros((n, n)), a.T]]) * 0.1)
    van_loan = block[n:, n:].T @ block[:n, n:]
    assert np.allclose(proc.noise_cov, van_loan, atol=1e-12)
    assert np.allclose(proc.noise_chol @ proc.noise_chol.T, proc.noise_cov)
    assert np.allclose(proc.lagged_cov(3), np.linalg.matrix_power(proc.transition, 3) @ s)


@pytest.mark.parametrize("tau", [0.1, 1.0, 20.0])
def test_blocked_recursion_equals_the_step_by_step_update(small_net, tau):
    proc = ou_process(small_net, tau=tau, dt=0.1)
    n_steps, chunk = 2345, 1000  # several chunks, 512-step blocks and a remainder
    x = simulate_ou(small_net, tau=tau, dt=0.1, duration=n_steps * 0.1, random_state=7, chunk_size=chunk)
    rng = np.random.default_rng(7)
    x_prev = np.linalg.cholesky(proc.stationary_cov) @ rng.standard_normal(5)
    noise = np.concatenate([rng.standard_normal((c, 5)) for c in (1000, 1000, 345)])
    ref = step_by_step(proc, x_prev, noise)
    assert np.abs(x - ref).max() < 1e-11 * np.abs(ref).max()


@pytest.fixture(scope="module")
def long_run(small_net):
    tau, dt = 0.1, 0.1  # Δt = τ: a coarse step where Euler would be far off
    x = simulate_ou(small_net, tau=tau, dt=dt, duration=30_000, random_state=11)
    return ou_process(small_net, tau=tau, dt=dt), x


def test_sample_covariance_matches_the_lyapunov_solution(long_run):
    proc, x = long_run
    n = x.shape[0]
    err = np.abs(sample_covariance(x) - proc.stationary_cov) / bartlett_sd(proc, 0, n)
    assert err.max() < 5, err.max()
    sd_mean = np.sqrt(np.diag(sum(lagged(proc, k) for k in range(-200, 201))) / n)
    assert np.all(np.abs(x.mean(axis=0)) < 5 * sd_mean)


def test_discrete_update_is_exact_lag1_covariance(long_run):
    proc, x = long_run
    n = x.shape[0] - 1
    lag1 = x[1:].T @ x[:-1] / n  # E[x(t + Δt) x(t)ᵀ]
    sd = bartlett_sd(proc, 1, n)
    expected = proc.transition @ proc.stationary_cov  # e^{AΔt} Σ
    assert (np.abs(lag1 - expected) / sd).max() < 5
    euler = (np.eye(5) + proc.drift * proc.dt) @ proc.stationary_cov  # what an Euler step would predict
    assert (np.abs(lag1 - euler) / sd).max() > 10


def test_float32_is_accurate(small_net):
    proc = ou_process(small_net, tau=0.1, dt=0.1)
    x = simulate_ou(small_net, tau=0.1, dt=0.1, duration=30_000, random_state=12, dtype=np.float32)
    assert x.dtype == np.float32
    err = np.abs(sample_covariance(x) - proc.stationary_cov) / bartlett_sd(proc, 0, x.shape[0])
    assert err.max() < 5


def test_deterministic_for_a_seed(small_net):
    kw = {"tau": 0.3, "dt": 0.1, "duration": 500}
    a = simulate_ou(small_net, random_state=3, **kw)
    assert np.array_equal(a, simulate_ou(small_net, random_state=3, **kw))
    assert np.array_equal(a, simulate_ou(small_net, random_state=np.random.default_rng(3), **kw))
    assert np.array_equal(a, simulate_ou(small_net, random_state=3, n_threads=2, **kw))
    c = simulate_ou(small_net, random_state=3, chunk_size=1000, **kw)
    assert np.array_equal(c, simulate_ou(small_net, random_state=3, n_threads=2, chunk_size=1000, **kw))
    assert np.allclose(a, simulate_ou(small_net, random_state=3, chunk_size=777, **kw), atol=1e-12)
    assert not np.allclose(a, simulate_ou(small_net, random_state=4, **kw))
    b = simulate_bold(small_net, random_state=3, **kw)
    assert np.array_equal(b, simulate_bold(small_net, random_state=3, n_threads=2, **kw))


def test_bold_signal(small_net):
    x = simulate_bold(small_net, tau=0.1, dt=0.1, duration=400, random_state=5)
    assert x.shape == (4000, 5)
    assert np.allclose(x.mean(axis=0), 0) and np.allclose(x.var(axis=0), 1)
    # the HRF output of the neural signal: rebuild it from the same draws (history simulated first)
    proc = ou_process(small_net, tau=0.1, dt=0.1)
    h = canonical_hrf(0.1)
    rng = np.random.default_rng(5)
    x_prev = np.linalg.cholesky(proc.stationary_cov) @ rng.standard_normal(5)
    neural = step_by_step(proc, x_prev, rng.standard_normal((4000 + h.size - 1, 5)))
    bold = np.stack([np.convolve(neural[:, j], h, mode="valid") for j in range(5)], axis=1)
    assert np.allclose(x, (bold - bold.mean(0)) / bold.std(0), atol=1e-9)
    raw = simulate_bold(small_net, tau=0.1, dt=0.1, duration=400, random_state=5, standardize=False)
    assert np.allclose(raw, bold, atol=1e-9)


@pytest.mark.parametrize("hrf_length", [30.0, None])
def test_streaming_statistics_equal_the_full_series(small_net, hrf_length):
    kw = {"tau": 0.2, "dt": 0.1, "duration": 3000, "random_state": 9, "hrf_length": hrf_length, "chunk_size": 4321}
    bands = [(0.01, 0.1), (0.5, 1.0)]
    stats = bold_statistics(small_net, dtype=np.float64, bands=bands, nperseg=128, **kw)
    x = simulate_bold(small_net, **kw)
    assert stats.n_samples == x.shape[0] == 30_000
    assert np.allclose(stats.covariance(), sample_covariance(x), atol=1e-12)
    assert np.allclose(np.diag(stats.covariance(ddof=0)), 1)
    ref = band_csd(x, bands, dt=0.1, nperseg=128)
    for k, band in enumerate(bands):
        assert np.allclose(stats.csd(k), ref[k], atol=1e-12)
        assert np.allclose(stats.csd(band), ref[k], atol=1e-12)
    # float32 streaming: same statistics up to rounding (different random numbers, so compare to theory)
    theory = bold_covariance(small_net, tau=0.2, dt=0.1, hrf_length=hrf_length)
    d = np.sqrt(np.diag(theory))
    f32 = bold_statistics(small_net, **kw).covariance(ddof=0)
    assert np.abs(f32 - theory / np.outer(d, d)).max() < 0.1


def test_prefixes_are_the_first_seconds_of_the_same_series(small_net):
    kw = {"tau": 0.2, "dt": 0.1, "random_state": 4, "observation_noise": True, "dtype": np.float64}
    whole = bold_statistics(small_net, duration=3000, **kw)
    with_prefixes = bold_statistics(small_net, duration=3000, prefixes=[500, 1234.5], **kw)
    # the full-length sums are exactly those of a run without prefixes
    assert np.array_equal(with_prefixes.scatter, whole.scatter) and np.array_equal(with_prefixes.mean, whole.mean)
    assert sorted(with_prefixes.prefixes) == [500.0, 1234.5]
    # a prefix is the first seconds of the same signal: equal to the statistics of the series cut there
    x = simulate_bold(small_net, duration=3000, tau=0.2, dt=0.1, random_state=4, dtype=np.float64)
    for seconds, part in with_prefixes.prefixes.items():
        n = round(seconds / 0.1)
        assert part.n_samples == n
        head = x[:n]
        expected = sample_covariance((head - head.mean(0)) / head.std(0))
        assert np.allclose(part.covariance(), expected, atol=1e-10)
    with pytest.raises(ValueError, match="longer than the simulated"):
        bold_statistics(small_net, duration=3000, prefixes=[4000], **kw)
    with pytest.raises(ValueError, match="prefixes and bands"):
        bold_statistics(small_net, duration=3000, prefixes=[500], bands=[(0.1, 0.5)], **kw)


def test_bold_covariance_converges_to_theory(small_net):
    stats = bold_statistics(small_net, tau=0.1, dt=0.1, duration=100_000, random_state=1)
    theory = bold_covariance(small_net, tau=0.1, dt=0.1)
    d = np.sqrt(np.diag(theory))
    # effective sample size of the HRF-smoothed signal: the kernel's autocorrelation sets the memory
    h = canonical_hrf(0.1)
    acf = np.correlate(h, h, "full") / np.dot(h, h)
    n_eff = stats.n_samples / np.sum(acf**2)
    assert np.abs(stats.covariance(ddof=0) - theory / np.outer(d, d)).max() < 5 / np.sqrt(n_eff)


def test_observation_noise_levels_from_one_simulation(small_net):
    kw = {"tau": 0.1, "dt": 0.1, "duration": 5000, "random_state": 6}
    noisy = bold_statistics(small_net, observation_noise=True, **kw)
    clean = bold_statistics(small_net, **kw)
    assert np.allclose(noisy.covariance(0.0), clean.covariance(), atol=1e-6)  # same signal
    n = noisy.n_samples
    for sigma in (0.5, 2.0, 10.0):
        c = noisy.covariance(sigma)
        assert np.abs(c - clean.covariance() - sigma**2 * np.eye(5)).max() < 6 * sigma * (1 + sigma) / np.sqrt(n / 300)
        assert noisy.snr(sigma) == pytest.approx(1 / sigma**2, rel=0.02)
    with pytest.raises(ValueError, match=r"observation_noise=True"):
        clean.covariance(1.0)
    with pytest.raises(ValueError, match=r"noise_std"):
        noisy.covariance(-1.0)


def test_observation_helpers():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((20_000, 4))
    y, snr = add_observation_noise(x, 2.0, random_state=1)
    assert snr == pytest.approx(0.25, rel=0.03)
    assert np.allclose(np.var(y - x), 4, rtol=0.03)
    assert add_observation_noise(x, 0.0, random_state=1)[1] == np.inf
    with pytest.raises(ValueError, match=r"noise_std"):
        add_observation_noise(x, -1, random_state=1)
    nodes = choose_observed(180, fraction=0.5, random_state=3)
    assert nodes.size == 90 and np.all(np.diff(nodes) > 0)
    assert np.array_equal(nodes, choose_observed(180, fraction=0.5, random_state=3))
    assert choose_observed(10, count=10, random_state=0).tolist() == list(range(10))
    g = np.arange(36.0).reshape(6, 6)
    assert np.array_equal(subnetwork(g, [1, 4]), [[7, 10], [25, 28]])
    assert subnetwork(np.stack([g, g]), [1, 4]).shape == (2, 2, 2)
    with pytest.raises(ValueError, match=r"fraction"):
        choose_observed(180, fraction=1.5, random_state=0)
    with pytest.raises(ValueError, match=r"count = 200.*exceeds.*180"):
        choose_observed(180, count=200, random_state=0)
    with pytest.raises(ValueError, match=r"at least 2"):
        choose_observed(10, fraction=0.1, random_state=0)
    with pytest.raises(ValueError, match=r"exactly one"):
        choose_observed(10, random_state=0)
    with pytest.raises(ValueError, match=r"duplicate"):
        subnetwork(g, [1, 1])


def test_bad_input(small_net):
    kw = {"tau": 0.1, "dt": 0.1, "duration": 100, "random_state": 0}
    for bad in (0, -1, np.nan):
        with pytest.raises(ValueError, match=r"tau"):
            simulate_ou(small_net, **{**kw, "tau": bad})
        with pytest.raises(ValueError, match=r"\bdt\b"):
            bold_statistics(small_net, **{**kw, "dt": bad})
    unstable, _ = zerolag.make_network(zerolag.NetworkSpec(100, 0.1, 0.9), random_state=0)
    with pytest.raises(ValueError, match=r"g is unstable.*rho"):
        simulate_bold(unstable * 1.5, **kw)  # rho = 1.35
    with pytest.raises(ValueError, match=r"g is unstable"):
        ou_process(np.array([[0.0, 1.0], [1.0, 0.0]]), tau=1, dt=0.1)  # eigenvalue exactly 1
    with pytest.raises(ValueError, match=r"duration"):
        simulate_ou(small_net, **{**kw, "duration": 0.1})
    with pytest.raises(ValueError, match=r"square"):
        simulate_ou(np.zeros((3, 4)), **kw)
    with pytest.raises(ValueError, match=r"dtype"):
        simulate_ou(small_net, **kw, dtype=np.int32)
    with pytest.raises(ValueError, match=r"chunk_size"):
        simulate_ou(small_net, **kw, chunk_size=0)
    stats = bold_statistics(small_net, **kw)
    with pytest.raises(ValueError, match=r"bands"):
        stats.csd(0)
    with pytest.raises(ValueError, match=r"fewer samples.*nodes"):
        bold_statistics(np.zeros((50, 50)), tau=0.1, dt=0.1, duration=3, random_state=0).covariance()
