"""Input checks shared by every estimator: clear ``ValueError`` messages instead of NaNs or hangs."""

from __future__ import annotations

import numpy as np

__all__ = ["check_covariance", "check_time_series"]


def check_covariance(covariance: object, *, name: str = "covariance") -> np.ndarray:
    """Validate a covariance (or cross-spectral density) matrix and return it as an array.

    Accepts a real symmetric or complex Hermitian, positive-definite, finite, square matrix with at
    least two nodes. Raises ``ValueError`` naming the problem otherwise.
    """
    try:
        c = np.asarray(covariance)
    except Exception as exc:  # pragma: no cover - exotic objects
        raise ValueError(f"{name} could not be converted to an array: {exc}") from exc
    if c.dtype == object or not (np.issubdtype(c.dtype, np.number) or c.dtype == bool):
        raise ValueError(f"{name} must be numeric, got dtype {c.dtype}")
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"{name} must be a square (nodes × nodes) matrix, got shape {c.shape}")
    if c.shape[0] < 2:
        raise ValueError(f"{name} must describe at least 2 nodes (N ≥ 2), got N = {c.shape[0]}")
    c = c.astype(np.complex128 if np.iscomplexobj(c) else np.float64)
    if not np.all(np.isfinite(c)):
        raise ValueError(f"{name} contains NaN or inf; remove or impute non-finite samples before estimating")
    scale = np.max(np.abs(c))
    if scale == 0:
        raise ValueError(f"{name} is all zeros")
    asym = np.max(np.abs(c - c.conj().T)) / scale
    if asym > 1e-8:
        kind = "Hermitian" if np.iscomplexobj(c) else "symmetric"
        raise ValueError(
            f"{name} is not {kind} (largest relative asymmetry {asym:.2g}); pass a covariance or "
            "cross-spectral density matrix, e.g. (C + C.conj().T) / 2 if the asymmetry is rounding"
        )
    c = (c + c.conj().T) / 2
    eig = np.linalg.eigvalsh(c)
    if eig[0] <= eig[-1] * 1e-12:
        raise ValueError(
            f"{name} is not positive definite (smallest eigenvalue {eig[0]:.3g}, largest {eig[-1]:.3g}); "
            "this happens with fewer samples than nodes, constant or duplicated channels: use more samples, "
            "fewer regions, or a shrinkage covariance estimate (ZeroLagConnectivity(covariance='ledoit_wolf'))"
        )
    return c


def _listed(indices: np.ndarray, limit: int = 10) -> str:
    shown = ", ".join(str(int(i)) for i in indices[:limit])
    return f"[{shown}{', …' if indices.size > limit else ''}]"


def check_time_series(x: np.ndarray, *, name: str = "X", allow_duplicates: bool = False) -> np.ndarray:
    """Validate a time × channels array: finite, no constant channel, no two identical channels.

    Parameters
    ----------
    x : array of shape (n_samples, n_channels)
        The signals, one column per channel (region, node).
    name : str
        How to call ``x`` in the messages (e.g. the file it came from).
    allow_duplicates : bool
        Skip the check for channels that are copies of each other up to scale and offset (a shrinkage
        covariance stays positive definite with them).

    Returns
    -------
    numpy.ndarray
        ``x`` as a float array.

    Raises
    ------
    ValueError
        Naming the channels (columns, numbered from 0) and the time points (rows) at fault, and the fix.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D time × channels array, got shape {x.shape}")
    bad = ~np.isfinite(x)
    if bad.any():
        rows, cols = np.nonzero(bad)
        raise ValueError(
            f"{name} contains NaN or inf in {int(bad.sum())} value(s), channel(s) (columns) "
            f"{_listed(np.unique(cols))}, first at time point (row) {int(rows.min())}: drop those time points "
            "or impute them before estimating"
        )
    std = x.std(axis=0)
    constant = np.flatnonzero(std <= 1e-12 * max(float(std.max()), 1e-300))
    if constant.size:
        raise ValueError(
            f"{name} has constant (zero-variance) channel(s) (columns) {_listed(constant)}: a constant signal "
            "carries no connectivity and makes the covariance singular; remove those channels"
        )
    if not allow_duplicates and x.shape[1] > 1 and x.shape[0] > 1:
        z = (x - x.mean(axis=0)) / std
        corr = (z.T @ z) / x.shape[0]
        i, j = np.nonzero(np.triu(np.abs(corr) > 1 - 1e-10, k=1))
        if i.size:
            pairs = ", ".join(f"{a} and {b}" for a, b in zip(i[:5], j[:5], strict=True))
            raise ValueError(
                f"{name} has identical channels (columns {pairs}{', …' if i.size > 5 else ''}; correlation ±1 up "
                "to scale): the covariance is singular; keep one channel of each pair"
            )
    return x
