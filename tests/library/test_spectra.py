import numpy as np
import pytest
import scipy.signal

import zerolag
from zerolag.estimation.spectra import WelchAccumulator, band_csd, cross_spectral_density, sample_covariance
from zerolag.simulation.ou import band_coupled_csd, ou_csd, simulate_band_coupled, simulate_ou


@pytest.fixture(scope="module")
def signals():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6000, 3))
    x[:, 1] += 0.5 * np.roll(x[:, 0], 2)
    return x


def test_sample_covariance_is_numpy_cov(signals):
    assert np.allclose(sample_covariance(signals), np.cov(signals.T))
    assert np.allclose(sample_covariance(signals, ddof=0), np.cov(signals.T, ddof=0))
    centred = signals - signals.mean(axis=0)
    assert np.allclose(sample_covariance(centred, assume_centered=True, ddof=0), centred.T @ centred / len(centred))


def test_fewer_samples_than_nodes_is_an_error():
    x = np.random.default_rng(1).standard_normal((10, 10))
    with pytest.raises(ValueError, match=r"fewer samples \(10\).*10 nodes.*fewer regions.*shrinkage"):
        sample_covariance(x)
    sample_covariance(x[:, :9])  # 10 samples, 9 nodes: rank 9, fine
    with pytest.raises(ValueError, match=r"segments × frequencies.*fewer regions"):
        band_csd(np.random.default_rng(2).standard_normal((600, 40)), [(0.1, 0.12)], dt=1.0, nperseg=64)


def test_csd_convention_and_scaling_match_scipy(signals):
    freqs, s = cross_spectral_density(signals, dt=0.5, nperseg=128)
    f2, pxy = scipy.signal.csd(signals[:, 0], signals[:, 1], fs=2.0, nperseg=128)
    _, pyy = scipy.signal.welch(signals[:, 2], fs=2.0, nperseg=128)
    assert np.allclose(freqs, f2)
    assert np.allclose(s[:, 0, 1], np.conj(pxy))  # S[i, j] = <X_i conj(X_j)>: conjugate of scipy's csd(x_i, x_j)
    assert np.allclose(s[:, 2, 2].real, pyy)
    assert np.allclose(s, np.conj(np.swapaxes(s, 1, 2)))


def test_band_csd_is_the_band_mean_and_hermitian_pd(signals):
    bands = [(0.1, 0.3), (0.5, 0.9)]
    freqs, s = cross_spectral_density(signals, dt=0.5, nperseg=128)
    b = band_csd(signals, bands, dt=0.5, nperseg=128)
    for k, (lo, hi) in enumerate(bands):
        assert np.allclose(b[k], s[(freqs >= lo) & (freqs <= hi)].mean(axis=0))
        assert np.allclose(b[k], b[k].conj().T)
        assert np.linalg.eigvalsh(b[k]).min() > 0
    assert np.iscomplexobj(b) and np.abs(b[0].imag).max() > 0


def test_streaming_welch_equals_one_shot(signals):
    bands = [(0.0, 0.2), (0.3, 1.0)]
    acc = WelchAccumulator(3, bands, dt=0.5, nperseg=100, noverlap=30)
    for part in np.array_split(signals.T, [7, 500, 512, 3333], axis=1):  # chunks shorter than a segment too
        acc.update(part)
    assert np.allclose(acc.band_csd(), band_csd(signals, bands, dt=0.5, nperseg=100, noverlap=30))


def test_two_node_cross_spectrum_matches_theory():
    # node 0 drives node 1: the cross-spectrum has the OU transfer's lag (negative phase of S[1, 0])
    g = np.array([[0.0, 0.0], [0.6, 0.0]])
    tau, dt, nperseg = 1.0, 0.1, 256
    x = simulate_ou(g, tau=tau, dt=dt, duration=50_000, random_state=3)
    freqs, s = cross_spectral_density(x, dt=dt, nperseg=nperseg)
    theory = ou_csd(g, freqs, tau=tau, dt=dt)
    n_seg = (x.shape[0] - nperseg) // (nperseg // 2) + 1
    scale = np.sqrt(theory[:, 0, 0].real * theory[:, 1, 1].real / n_seg)  # Welch standard error
    keep = slice(2, -1)  # bin 1 is biased by the per-segment mean removal; Nyquist has its own variance
    for i, j in [(0, 0), (1, 1), (1, 0), (0, 1)]:
        err = np.abs(s[keep, i, j] - theory[keep, i, j]) / scale[keep]
        assert err.max() < 6, (i, j, err.max())
    low = freqs < 0.5
    assert np.all(theory[low, 1, 0].imag[1:] < 0) and np.all(s[2:, 1, 0][low[2:]].imag < 0)
    # band average too, tolerance from segments × bins
    sel = (freqs >= 0.1) & (freqs <= 0.4)
    b = band_csd(x, [(0.1, 0.4)], dt=dt, nperseg=nperseg)[0]
    tol = 5 * np.sqrt(theory[sel, 0, 0].real.mean() * theory[sel, 1, 1].real.mean() / (n_seg * sel.sum() / 2))
    assert np.abs(b - theory[sel].mean(axis=0)).max() < tol


def test_band_coupled_spectrum_matches_theory():
    n = 6
    g1 = np.zeros((n, n))
    g1[1, 0], g1[2, 1], g1[4, 3] = 0.5, -0.5, 0.5
    g2 = np.zeros((n, n))
    g2[5, 4], g2[0, 5], g2[3, 2] = 0.5, 0.5, -0.5
    couplings = [(g1, (0.5, 1.5)), (g2, (2.5, 3.5))]
    dt, nperseg = 0.1, 128
    th = band_coupled_csd(couplings, [1.0, 3.0, 4.5], dt=dt)
    for k, g in enumerate([g1, g2, np.zeros((n, n))]):  # the paper's C = (1 − G)⁻¹(1 − G)⁻ᵀ in each band
        inv = np.linalg.inv(np.eye(n) - g)
        assert np.allclose(th[k], 2 * dt * inv @ inv.T)
    x = simulate_band_coupled(couplings, dt=dt, duration=4000, random_state=4)
    bands = [(0.6, 1.4), (2.6, 3.4), (4.0, 4.9)]
    est = band_csd(x, bands, dt=dt, nperseg=nperseg)
    freqs = np.fft.rfftfreq(nperseg, dt)
    n_seg = (x.shape[0] - nperseg) // (nperseg // 2) + 1
    for k, (lo, hi) in enumerate(bands):
        sel = (freqs >= lo) & (freqs <= hi)
        expected = band_coupled_csd(couplings, freqs[sel], dt=dt).mean(axis=0)
        d = np.sqrt(np.diag(expected))
        tol = 5 * np.outer(d, d) / np.sqrt(n_seg * sel.sum() / 2)
        assert np.all(np.abs(est[k] - expected) < tol)


def test_band_coupled_network_recovered_in_its_band_only():
    g1, _ = zerolag.make_network(zerolag.NetworkSpec(20, 0.15, 0.6), random_state=1)
    g2, _ = zerolag.make_network(zerolag.NetworkSpec(20, 0.15, 0.6), random_state=11)
    x = simulate_band_coupled([(g1, (0.5, 1.5)), (g2, (2.5, 3.5))], dt=0.1, duration=2000, random_state=4)
    slow, quiet = band_csd(x, [(0.5, 1.5), (4.0, 4.9)], dt=0.1, nperseg=128)
    est = zerolag.estimate_connectivity(slow, optimizer="paper", xtol=1e-3, gtol=1e-3, ftol=1e-5)
    assert zerolag.score(g1, est)["auc"] > 0.85
    assert zerolag.score(g2, est)["auc"] < 0.65  # the other band's network is not seen
    assert np.abs(zerolag.estimate_connectivity(quiet)).max() < 0.3  # no coupling acts there
    with pytest.raises(ValueError, match=r"couplings.*spectral radius"):
        simulate_band_coupled([(g1 * 3, (0.5, 1.5))], dt=0.1, duration=10, random_state=0)
    with pytest.raises(ValueError, match=r"couplings\[0\]"):
        simulate_band_coupled([(g1, (1.5, 0.5))], dt=0.1, duration=10, random_state=0)


def test_bad_input(signals):
    with pytest.raises(ValueError, match=r"2-D"):
        sample_covariance(np.zeros(5))
    with pytest.raises(ValueError, match=r"NaN"):
        sample_covariance(np.full((20, 2), np.nan))
    with pytest.raises(ValueError, match=r"holds no Welch frequency"):
        band_csd(signals, [(0.101, 0.102)], dt=0.5, nperseg=64)
    with pytest.raises(ValueError, match=r"Nyquist"):
        band_csd(signals, [(2.0, 3.0)], dt=0.5)
    with pytest.raises(ValueError, match=r"nperseg"):
        band_csd(signals, [(0.1, 0.3)], dt=0.5, nperseg=10_000)
    with pytest.raises(ValueError, match=r"noverlap"):
        band_csd(signals, [(0.1, 0.3)], dt=0.5, nperseg=64, noverlap=64)
    with pytest.raises(ValueError, match=r"dt"):
        band_csd(signals, [(0.1, 0.3)], dt=0)
