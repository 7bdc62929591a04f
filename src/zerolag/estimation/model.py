"""The linear network model of Schiefer et al. 2018 (Eq. 2 and 5) without sampling noise."""

from __future__ import annotations

import numpy as np

__all__ = ["inverse_covariance", "covariance"]


def _check_square(g: np.ndarray) -> np.ndarray:
    g = np.asarray(g)
    if g.ndim != 2 or g.shape[0] != g.shape[1]:
        raise ValueError(f"connectivity must be a square matrix, got shape {g.shape}")
    return g


def inverse_covariance(g: np.ndarray) -> np.ndarray:
    """``C⁻¹ = (1 − G)ᴴ (1 − G)`` for unit-variance independent driving noise (Eq. 5)."""
    g = _check_square(g)
    b = np.eye(g.shape[0]) - g
    return b.conj().T @ b


def covariance(g: np.ndarray) -> np.ndarray:
    """``C = (1 − G)⁻¹ (1 − G)⁻ᴴ``, the noise-free (cross-spectral) covariance of the model."""
    g = _check_square(g)
    inv = np.linalg.inv(np.eye(g.shape[0]) - g)
    c = inv @ inv.conj().T
    return (c + c.conj().T) / 2
