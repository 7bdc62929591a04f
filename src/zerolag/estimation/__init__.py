"""The estimator: directed, signed connectivity from a zero-lag covariance (Schiefer et al. 2018).

Submodules (import what you need; this package imports none of them up front):

* :mod:`~zerolag.estimation.fit` — :func:`~zerolag.estimate_connectivity`, the function behind everything.
* :mod:`~zerolag.estimation.estimator` — :class:`~zerolag.ZeroLagConnectivity`, the scikit-learn class.
* :mod:`~zerolag.estimation.optimizers` — the optimisers of the L1 objective (``"paper"``, ``"fast"``).
* :mod:`~zerolag.estimation.model` — the model it inverts, ``C = (1 − G)⁻¹ (1 − G)⁻ᴴ``.
* :mod:`~zerolag.estimation.spectra` — its input from signals: sample covariance, band-averaged CSD.
* :mod:`~zerolag.estimation.longrun` — its zero-frequency input from signals: the long-run covariance
  :func:`~zerolag.long_run_covariance` (for coupling that acts with a lag), and its bandwidth.
* :mod:`~zerolag.estimation.diagnostics` — :func:`~zerolag.lag_diagnostic`: is the zero-lag covariance the
  right input for these signals, or the long-run one?
* :mod:`~zerolag.estimation.resampling` — :func:`~zerolag.bootstrap_connectivity`: which links can be trusted
  (block-bootstrap intervals, sign stability, selection frequency; surrogate p-values and q-values), built on
  :mod:`~zerolag.estimation.bootstrap` (block sums), :mod:`~zerolag.estimation.block_length` (the block length
  the data choose), :mod:`~zerolag.estimation.surrogates` (the no-coupling null) and
  :mod:`~zerolag.estimation.network_null` (the null of an absent link in the fitted network).
* :mod:`~zerolag.estimation.validation` — input checks with clear ``ValueError`` messages.

:func:`long_run_covariance` and :func:`long_run_bandwidth` are also importable from here (loaded on first use).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {"long_run_bandwidth": "longrun", "long_run_covariance": "longrun"}

__all__ = ["long_run_bandwidth", "long_run_covariance"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'zerolag.estimation' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # for type checkers and IDEs
    from .longrun import long_run_bandwidth, long_run_covariance
