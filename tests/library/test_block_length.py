"""The block length the data choose (Politis & White with Patton et al.'s correction), on AR(1) series whose
optimum is known, with and without white observation noise."""

import numpy as np
import pytest
from scipy.signal import lfilter

from zerolag import long_run_bandwidth
from zerolag.estimation.block_length import autocovariances, politis_white_block_lengths
from zerolag.estimation.bootstrap import data_block_length


def ar1(phi: float, n_samples: int, n_channels: int, seed: int) -> np.ndarray:
    """Standardised AR(1) channels, ``x_t = φ x_{t−1} + e_t``, independent."""
    e = np.random.default_rng(seed).standard_normal((n_samples + 200, n_channels))
    x = lfilter([1.0], [1.0, -phi], e, axis=0)[200:]
    return x / x.std(axis=0)


def optimum(phi: float, n_samples: int) -> float:
    """The moving-block optimum of an AR(1): ``G / g(0) = 2φ / (1 − φ²)``, ``b = (1.5 (G / g(0))²)^{1/3} T^{1/3}``."""
    return (1.5 * (2 * phi / (1 - phi**2)) ** 2) ** (1 / 3) * n_samples ** (1 / 3)


def test_autocovariances_are_the_lagged_sample_products():
    x = np.random.default_rng(0).standard_normal((300, 3)) + 4.0
    got = autocovariances(x, 7)
    z = x - x.mean(axis=0)
    expected = np.array([np.sum(z[k:] * z[: len(z) - k], axis=0) / len(z) for k in range(8)])
    np.testing.assert_allclose(got, expected, atol=1e-12)
    np.testing.assert_allclose(autocovariances(x, 2, assume_centered=True)[1], np.sum(x[1:] * x[:-1], 0) / 300)


@pytest.mark.parametrize("phi", [0.5, 0.9])
def test_an_ar1_series_gets_about_its_optimal_block_length(phi):
    """Median over 10 channels within 20 % of the optimum (measured at T = 20 000: φ = 0.5 → 37.7 samples for an
    optimum of 37.6; φ = 0.9 → 135 for 139)."""
    x = ar1(phi, 20_000, 10, seed=1)
    lengths = politis_white_block_lengths(x)
    assert np.median(lengths) == pytest.approx(optimum(phi, 20_000), rel=0.2)
    # the stationary bootstrap's D is 2 g(0)², the moving block's (4/3) g(0)²: (2/3)^{1/3} times the length
    np.testing.assert_allclose(politis_white_block_lengths(x, scheme="stationary"), lengths * (2 / 3) ** (1 / 3))
    assert data_block_length(x) == round(float(np.quantile(lengths, 0.9)))


def test_white_observation_noise_barely_moves_the_block_length_unlike_the_lag_one_rule():
    """Noise of sd 1 on a standardised AR(1) with φ = 0.9 changes only R(0): ``g(0)`` goes from 19 to 20, so the
    optimum moves by (19/20)^{2/3} = 0.97. Measured at T = 20 000 over 10 channels: the new rule 142 → 141 samples
    (0.99); the old VAR(1) plug-in (``long_run_bandwidth``) 79 → 19 (0.24), as on the reliability figure's BOLD
    series. Bound: within 0.8–1.1 of the noiseless length (0.97 plus the estimate's spread), where the old rule
    falls below 0.4."""
    x = ar1(0.9, 20_000, 10, seed=2)
    y = x + np.random.default_rng(3).standard_normal(x.shape)
    new = data_block_length(y) / data_block_length(x)
    old = long_run_bandwidth(y) / long_run_bandwidth(x)
    assert 0.8 < new < 1.1, new
    assert old < 0.4, old


def test_white_noise_needs_no_blocks_and_a_slow_short_series_is_capped_with_a_warning():
    x = np.random.default_rng(4).standard_normal((5000, 6))
    assert data_block_length(x) <= 3
    slow = ar1(0.995, 600, 20, seed=5)  # about 45 samples per channel (the lag window ends at √T + 5 = 30)
    with pytest.warns(UserWarning, match=r"capped at T // \(N \+ 1\) = 28 samples"):
        assert data_block_length(slow) == 28
    with pytest.raises(ValueError, match="scheme must be one of"):
        politis_white_block_lengths(x, scheme="circular")
