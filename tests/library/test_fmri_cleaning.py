"""The cleaning of region signals is nilearn's ``signal.clean`` bit for bit, without needing nilearn."""

import warnings

import numpy as np
import pandas as pd
import pytest

from zerolag.fmri.cleaning import clean_signals


def nilearn_clean(x, confounds, *, detrend, standardize):
    """What ``clean_signals`` did before it did the arithmetic itself: nilearn's (0.13) on the varying confounds."""
    from nilearn.signal import clean

    if confounds is not None:
        confounds = np.asarray(confounds, dtype=float)
        confounds = confounds[:, confounds.std(axis=0) > 0]  # an F-ordered copy: the memory order nilearn saw
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return clean(
            x,
            detrend=detrend,
            standardize="zscore_sample" if standardize else False,
            confounds=confounds,
            standardize_confounds=True,
            filter=False,
            ensure_finite=False,
        )


def series(rng, n_time, n_columns, order):
    x = rng.standard_normal((n_time, n_columns)) * rng.uniform(0.5, 50, n_columns) + rng.uniform(-100, 100, n_columns)
    x += np.linspace(0, 1, n_time)[:, None] * rng.uniform(-5, 5, n_columns)  # a trend to remove
    return np.asarray(x, order=order)


@pytest.mark.parametrize("detrend", [True, False])
@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("confounds", ["none", "C", "F", "frame", "collinear"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_clean_signals_is_nilearns_clean_bit_for_bit(detrend, standardize, confounds, order):
    rng = np.random.default_rng([detrend, standardize, len(confounds), len(order)])
    x = series(rng, 200, 7, order)
    c = None
    if confounds in ("C", "F"):
        c = series(rng, 200, 3, confounds)
    elif confounds == "frame":  # as prepare_nifti passes them: columns of tables, stacked
        c = pd.DataFrame(series(rng, 200, 3, "C"), columns=["csf", "wm", "motion"]).to_numpy()
    elif confounds == "collinear":  # one confound a combination of two others: dropped by the QR's pivoting
        c = series(rng, 200, 2, "C")
        c = np.column_stack([c, c @ [2.0, -0.5]])
    ours = clean_signals(x, confounds=c, detrend=detrend, standardize=standardize)
    theirs = nilearn_clean(x, c, detrend=detrend, standardize=standardize)
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("n_columns", [499, 500, 613])
def test_wide_signals_are_detrended_in_nilearns_column_blocks(n_columns):
    rng = np.random.default_rng(n_columns)
    x, c = series(rng, 1000, n_columns, "C"), series(rng, 1000, 4, "F")
    ours = clean_signals(x, confounds=c, detrend=True, standardize=True)
    np.testing.assert_array_equal(ours, nilearn_clean(x, c, detrend=True, standardize=True))


def test_a_constant_column_is_centred_not_divided_by_zero():
    x = np.column_stack([np.full(50, 3.0), np.random.default_rng(0).standard_normal(50)])
    out = clean_signals(x, detrend=False, standardize=True, allow_short=True)
    assert np.array_equal(out[:, 0], np.zeros(50)) and np.isclose(out[:, 1].std(ddof=1), 1.0)
