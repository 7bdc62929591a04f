import numpy as np
import pytest

from zerolag.simulation.hrf import HRF_LENGTH, canonical_hrf, convolve_hrf, standardize


def test_hrf_peaks_near_5_s_and_undershoots():
    dt = 0.01
    h = canonical_hrf(dt)
    t = np.arange(h.size) * dt
    assert h.size == 3000 and t[-1] < HRF_LENGTH
    assert h[0] == 0
    assert 4.5 <= t[np.argmax(h)] <= 5.5
    assert h[t > 12].min() < 0  # post-stimulus undershoot
    assert t[np.argmin(h)] == pytest.approx(15.7, abs=0.5)


@pytest.mark.parametrize("dt", [0.1, 0.72, 2.0])
def test_hrf_normalisations(dt):
    h = canonical_hrf(dt)
    assert h.sum() == pytest.approx(1.0, abs=1e-12)  # documented default: unit sum (unit DC gain)
    assert canonical_hrf(dt, normalize="peak").max() == pytest.approx(1.0)
    assert h.size == int(np.ceil(HRF_LENGTH / dt - 1e-9))


def test_raw_hrf_integrates_to_five_sixths():
    dt = 0.001
    raw = canonical_hrf(dt, normalize="none")
    # ∫_0^30 (Γ6 − Γ16/6) dt = F6(30) − F16(30)/6 ≈ 1 − 1/6 (gamma CDFs at 30 s are ≈ 1)
    assert raw.sum() * dt == pytest.approx(5 / 6, abs=2e-3)


def test_convolution_matches_numpy_per_channel():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((700, 3))
    h = canonical_hrf(0.5)
    valid = convolve_hrf(x, h)
    causal = convolve_hrf(x, h, mode="causal")
    for j in range(3):
        full = np.convolve(x[:, j], h)
        assert np.allclose(valid[:, j], full[h.size - 1 : x.shape[0]])
        assert np.allclose(causal[:, j], full[: x.shape[0]])
    assert valid.shape == (x.shape[0] - h.size + 1, 3)
    assert np.allclose(convolve_hrf(x.T, h, axis=1), valid.T)
    assert convolve_hrf(x.astype(np.float32), h).dtype == np.float32


def test_standardize():
    rng = np.random.default_rng(1)
    x = 3 + 5 * rng.standard_normal((1000, 4))
    z = standardize(x)
    assert np.allclose(z.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(z.var(axis=0), 1)
    assert np.allclose(standardize(x.T, axis=1), z.T)
    with pytest.raises(ValueError, match=r"constant"):
        standardize(np.c_[x, np.ones(1000)])


def test_bad_input():
    with pytest.raises(ValueError, match=r"dt"):
        canonical_hrf(0.0)
    with pytest.raises(ValueError, match=r"dt"):
        canonical_hrf(-1)
    with pytest.raises(ValueError, match=r"length"):
        canonical_hrf(0.1, length=0.01)
    with pytest.raises(ValueError, match=r"normalize"):
        canonical_hrf(0.1, normalize="area")
    with pytest.raises(ValueError, match=r"fewer than the kernel"):
        convolve_hrf(np.zeros((10, 2)), canonical_hrf(0.1))
    with pytest.raises(ValueError, match=r"mode"):
        convolve_hrf(np.zeros((400, 2)), canonical_hrf(0.1), mode="same")


def test_the_hrf_is_scipys_double_gamma_bit_for_bit():
    from scipy import stats

    for dt in (0.01, 0.1, 0.72, 3.0):
        t = np.arange(int(np.ceil(HRF_LENGTH / dt - 1e-9))) * dt
        expected = stats.gamma.pdf(t, 6) - stats.gamma.pdf(t, 16) / 6
        assert np.array_equal(canonical_hrf(dt, normalize="none"), expected), dt
