"""Input checks shared by every estimator: clear ``ValueError`` messages instead of NaNs or hangs."""

from __future__ import annotations

import numpy as np

__all__ = ["check_covariance"]


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
