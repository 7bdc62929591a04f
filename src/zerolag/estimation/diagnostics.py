"""Is the zero-lag covariance the right input? A check of the model's lag assumption on the data.

The model ``x = G x + v`` holds frequency by frequency, and its input is the zero-frequency covariance
``S(0) = Σ_k Γ(k)`` (:mod:`~zerolag.estimation.longrun`). The zero-lag covariance ``Γ(0)`` stands in for it
when the covariance function has the same structure at every lag that matters: when the coupling acts
within a sample (the paper's OU network, fast against the sampling), or when every channel is the same
slow filter of such a network (BOLD: the HRF multiplies the whole cross-spectrum by one ``|h(f)|²``). It
does not when the coupling acts over a lag: for ``x_t = G x_{t−1} + ξ_t`` the zero-lag covariance solves
``Γ(0) = G Γ(0) Gᵀ + 1``, whose off-diagonal structure is that of the common inputs ``G Gᵀ``, not of ``G``,
and the estimate from it is at chance.

:func:`lag_diagnostic` compares the two structures. ``agreement`` is the Pearson correlation between the
off-diagonal entries of the zero-lag correlation matrix and those of the long-run correlation matrix,
divided by its ceiling ``√reliability``: the value it would have if the two structures were equal and
only the sampling noise of the long-run estimate separated them. ``reliability`` is the split-half
reliability of the long-run structure (the correlation between the structures of the two halves of the
series, stepped up to the whole series by the Spearman–Brown formula), ``signal_to_noise`` its ratio
``reliability / (1 − reliability)`` (the variance of the structure over that of its noise). The verdict:

* ``"zero_lag"`` if ``raw_agreement ≥ AGREEMENT_THRESHOLD`` (0.7; sampling noise only lowers the
  correlation, so a high one is not in doubt however short the series), or if ``signal_to_noise ≥
  MIN_SIGNAL_TO_NOISE`` (2) and ``agreement ≥ AGREEMENT_THRESHOLD``: the two inputs have the same structure
  as far as the data tell, and the zero-lag covariance, the less noisy of the two, will do;
* ``"long_run"`` if ``signal_to_noise ≥ MIN_SIGNAL_TO_NOISE`` and ``agreement < AGREEMENT_THRESHOLD``: the
  zero-lag covariance does not have the structure the model needs; estimate from the long-run covariance
  (``covariance="long_run"``);
* ``"undetermined"`` otherwise: the agreement is low, but so is the signal-to-noise; the series is too
  short for its dependence to tell a different structure from noise.

``agreement`` can exceed 1 by sampling noise (the two estimates share their data).

Measured (N = 30, networks ``N30_p0.1_rho0.6_q0`` seeds 0 and 1, T = 2 500, 10 000, 40 000 samples):
i.i.d. data, raw agreement 1.00 (``zero_lag``); AR(1) ``x_t = G x_{t−1} + ξ``, agreement 0.22–0.44 with
signal-to-noise 11–105 (``long_run``: its zero-lag AUC is 0.42, its long-run AUC 0.97); the OU network at
``Δt = 0.1 s``, ``τ = 1 s``, with or without white observation noise, raw agreement 0.97–1.00
(``zero_lag``); BOLD (OU + HRF, ``τ = 0.1 s``, ``Δt = 0.1 s``), raw agreement 0.74–0.98 (``zero_lag``; the
bandwidth is clipped). Short AR(1) series (seeds 0–2): ``undetermined`` at T = 150 (signal-to-noise
0.6–1.3), ``long_run`` in one of three at T = 300 and in all from T = 600. The lag-1 autocorrelation
does not tell these apart: it is 0 for the AR(1) data (the coupling has no self-loops) and 0.92–1.00 for
OU and BOLD, where the zero-lag input is right. On BOLD the long-run input, though of the model's form, is
far noisier (a slow signal holds few bandwidths of data, and the bandwidth is clipped), and the estimate
from it is worse; on long series of the fast-sampled OU network the long-run input gains a little, since
there the zero-lag covariance is of the model's form only approximately. The workflow's figure
``lag_inputs`` measures both inputs on each kind of data.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass

import numpy as np

from .longrun import long_run_bandwidth, long_run_covariance, max_long_run_bandwidth
from .validation import check_time_series

__all__ = [
    "AGREEMENT_THRESHOLD",
    "MIN_SIGNAL_TO_NOISE",
    "LagDiagnostic",
    "LagStructureWarning",
    "lag_diagnostic",
]

AGREEMENT_THRESHOLD = 0.7
"""Below this ``agreement`` the zero-lag covariance is judged the wrong input."""

MIN_SIGNAL_TO_NOISE = 2.0
"""Below this ``signal_to_noise`` the long-run structure is too noisy to judge."""

VERDICTS = ("zero_lag", "long_run", "undetermined")


class LagStructureWarning(UserWarning):
    """The zero-lag covariance of the data does not have the structure of their long-run covariance."""


@dataclass(frozen=True)
class LagDiagnostic:
    """What :func:`lag_diagnostic` measured on a series, and its verdict.

    Attributes
    ----------
    verdict : {"zero_lag", "long_run", "undetermined"}
        The better input, or ``"undetermined"`` when the series is too short to tell (see the module).
    agreement : float
        Correlation of the off-diagonal zero-lag and long-run correlations over its noise ceiling
        ``√reliability`` (1: the same structure, up to sampling noise; the correlation itself where the
        reliability is not positive; NaN when the series is too short to split).
    raw_agreement : float
        The correlation itself, before the division.
    reliability : float
        Split-half (Spearman–Brown) reliability of the long-run structure.
    signal_to_noise : float
        ``reliability / (1 − reliability)``.
    bandwidth : int
        Bartlett bandwidth (samples) of the long-run covariance (:func:`~zerolag.long_run_bandwidth`).
    bandwidth_clipped : bool
        The data-driven bandwidth exceeded what the series allows (``T // (N + 1)``) and was clipped: the
        long-run estimate is biased towards the zero-lag covariance, so ``agreement`` is too.
    lag0_fraction : float
        Median over channels of ``Γ_ii(0) / S_ii``: the share of each channel's long-run variance found at
        lag 0 (1 for white noise; small for slow signals, which by itself is no reason to doubt the input).
    lag1_autocorrelation : float
        Median over channels of the lag-1 autocorrelation.
    n_samples, n_nodes : int
        Shape of the series.
    message : str
        The verdict in words, with the numbers behind it and what to do.
    """

    verdict: str
    agreement: float
    raw_agreement: float
    reliability: float
    signal_to_noise: float
    bandwidth: int
    bandwidth_clipped: bool
    lag0_fraction: float
    lag1_autocorrelation: float
    n_samples: int
    n_nodes: int
    message: str

    def as_dict(self) -> dict:
        """The fields as plain Python values (for a JSON fit record or a table row)."""
        return {k: (v if not isinstance(v, float) or np.isfinite(v) else None) for k, v in asdict(self).items()}


def _off_diagonal_correlations(c: np.ndarray) -> np.ndarray:
    d = np.sqrt(np.diag(c))
    return (c / np.outer(d, d))[np.triu_indices(len(c), 1)]


def _structures(x: np.ndarray, bandwidth: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Zero-lag and long-run covariance of ``x`` and their off-diagonal correlations."""
    xc = x - x.mean(axis=0)
    c0 = xc.T @ xc / len(x)
    s = long_run_covariance(x, bandwidth=bandwidth)
    return c0, s, _off_diagonal_correlations(c0), _off_diagonal_correlations(s)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _message(verdict: str, agreement: float, snr: float, clipped: bool, n_samples: int) -> str:
    numbers = f"agreement {agreement:.2f}, signal-to-noise {snr:.2g}"
    if verdict == "long_run":
        return (
            f"the zero-lag covariance does not have the structure of the long-run (zero-frequency) covariance "
            f"({numbers}; agreement below {AGREEMENT_THRESHOLD}): the coupling seems to act with a lag, and the "
            "model's input is then the long-run covariance. Estimate from it: covariance='long_run' "
            "(command line: --covariance long_run)"
        )
    if verdict == "zero_lag":
        note = " (bandwidth clipped: the check is biased towards agreement)" if clipped else ""
        return f"the zero-lag and long-run covariances have the same structure ({numbers}){note}: zero-lag input"
    return (
        f"the series ({n_samples} samples) is too short for its dependence to tell whether the zero-lag "
        f"covariance is the right input ({numbers}; signal-to-noise below {MIN_SIGNAL_TO_NOISE})"
    )


def _undetermined(t: int, n: int, lag1: float, message: str) -> LagDiagnostic:
    nan = float("nan")
    return LagDiagnostic("undetermined", nan, nan, nan, nan, 0, False, nan, lag1, t, n, message)


def lag_diagnostic(x: np.ndarray, *, bandwidth: int | None = None) -> LagDiagnostic:
    """Check whether the zero-lag covariance of ``x`` has the structure of its zero-frequency covariance.

    Parameters
    ----------
    x : array of shape (T, N)
        Signals, time along axis 0, at least 2 nodes.
    bandwidth : int or None
        The long-run bandwidth, if the caller has already chosen it for ``x``
        (:func:`~zerolag.long_run_bandwidth`); None chooses it here.

    Returns
    -------
    LagDiagnostic
        The measurements and the verdict (see the module docstring for the definitions and the
        thresholds). A series with fewer than ``2 (N + 2)`` samples cannot be split into halves that each
        hold a long-run estimate: the verdict is then ``"undetermined"`` with NaN measurements.

    Raises
    ------
    ValueError
        If ``x`` is not a finite 2-D array of at least 2 nodes, or has a constant channel. (Duplicated
        channels, or more nodes than the series can hold, give ``"undetermined"``.)

    Examples
    --------
    A VAR(1) network, ``x_t = G x_{t−1} + ξ_t``, whose coupling acts with a lag of one sample:

    >>> import numpy as np
    >>> from zerolag.estimation.diagnostics import lag_diagnostic
    >>> rng = np.random.default_rng(0)
    >>> g = np.zeros((6, 6))
    >>> g[[1, 2, 3, 4, 5], [0, 1, 2, 3, 4]] = 0.6
    >>> xi = rng.standard_normal((20_000, 6))
    >>> x = np.zeros_like(xi)
    >>> for t in range(1, len(x)):
    ...     x[t] = g @ x[t - 1] + xi[t]
    >>> lag_diagnostic(x).verdict
    'long_run'
    >>> lag_diagnostic(xi).verdict  # independent samples: the two covariances are the same
    'zero_lag'
    """
    x = check_time_series(np.asarray(x, dtype=float), allow_duplicates=True)
    t, n = x.shape
    if n < 2:
        raise ValueError(f"x has {n} node (column): the lag diagnostic compares couplings between at least 2 nodes")
    half = t // 2
    lag1 = float(np.median([_correlation(x[1:, i], x[:-1, i]) for i in range(n)]))
    if half < n + 2:
        return _undetermined(
            t,
            n,
            lag1,
            f"the series ({t} samples) is too short for the lag diagnostic with {n} nodes: it needs at least "
            f"{2 * (n + 2)} samples (two halves, each with a long-run covariance of its own)",
        )
    if np.linalg.eigvalsh(np.corrcoef(x, rowvar=False))[0] < 1e-10:
        return _undetermined(
            t,
            n,
            lag1,
            "x has a singular zero-lag covariance (channels that are linear combinations of others, e.g. "
            "duplicated): the lag diagnostic cannot compare its structure with the long-run one",
        )
    b = bandwidth
    if b is None:
        with warnings.catch_warnings():  # a clipped bandwidth is recorded, not warned about
            warnings.simplefilter("ignore", UserWarning)
            b = long_run_bandwidth(x)
    clipped = b >= max_long_run_bandwidth(t, n) and b > 1
    c0, s, r0, rl = _structures(x, b)
    b_half = max(1, min(b, max_long_run_bandwidth(half, n)))
    first, second = _structures(x[:half], b_half)[3], _structures(x[half : 2 * half], b_half)[3]
    split = _correlation(first, second)
    reliability = 2 * split / (1 + split) if np.isfinite(split) and split > -1 else float("nan")
    raw = _correlation(r0, rl)
    if np.isfinite(reliability) and reliability > 0:
        snr = reliability / (1 - reliability) if reliability < 1 else float("inf")
        agreement = raw / np.sqrt(reliability)
    else:
        snr, agreement = 0.0, raw
    if raw >= AGREEMENT_THRESHOLD:  # noise only lowers the correlation: a high one is not in doubt
        verdict = "zero_lag"
    elif snr >= MIN_SIGNAL_TO_NOISE:
        verdict = "zero_lag" if agreement >= AGREEMENT_THRESHOLD else "long_run"
    else:
        verdict = "undetermined"
    lag0 = float(np.median(np.diag(c0) / np.diag(s)))
    return LagDiagnostic(
        verdict=verdict,
        agreement=float(agreement),
        raw_agreement=raw,
        reliability=float(reliability),
        signal_to_noise=float(snr),
        bandwidth=int(b),
        bandwidth_clipped=bool(clipped),
        lag0_fraction=lag0,
        lag1_autocorrelation=lag1,
        n_samples=t,
        n_nodes=n,
        message=_message(verdict, agreement, snr, clipped, t),
    )
