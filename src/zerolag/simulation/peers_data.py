"""Time series for the peers on the paper's OU + HRF setting (the peers table).

``bold_T200000_tau0.1_tr1``: the OU + HRF signal that ``ou_T200000_tau0.1`` summarises (same network,
same seed, so the very series behind Fig. 7's covariances), kept as a time series and sampled every
``tr`` seconds — what lag-based and non-Gaussian peers need, and what a scanner with that TR would
record. Every method of the peers table, covariance-based or not, is given this series (the
covariance methods its sample covariance), so they all see the same data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .ou import simulate_bold

__all__ = ["PATTERN", "BoldSeries", "bold_series"]

_NUMBER = r"[0-9.eE+-]+"
PATTERN = rf"bold_T{_NUMBER}_tau{_NUMBER}_tr{_NUMBER}"
"""Regular expression of every name :attr:`BoldSeries.name` writes."""
_PARSE = re.compile(rf"bold_T({_NUMBER})_tau({_NUMBER})_tr({_NUMBER})")


@dataclass(frozen=True)
class BoldSeries:
    """An OU + HRF series of ``duration`` s, time constant ``tau`` s, sampled every ``tr`` s."""

    duration: float
    tau: float
    tr: float

    def __post_init__(self) -> None:
        for name in ("duration", "tau", "tr"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive (seconds), got {getattr(self, name)}")

    @property
    def simulation(self) -> str:
        """The simulation it samples (its seed is that simulation's)."""
        return f"ou_T{self.duration:g}_tau{self.tau:g}"

    @property
    def name(self) -> str:
        """The ``{data}`` wildcard value."""
        return f"bold_T{self.duration:g}_tau{self.tau:g}_tr{self.tr:g}"

    @classmethod
    def from_name(cls, name: str) -> BoldSeries:
        match = _PARSE.fullmatch(name)
        if match is None:
            raise ValueError(f"not a BOLD-series name: {name!r} (expected e.g. bold_T200000_tau0.1_tr1)")
        return cls(*(float(v) for v in match.groups()))

    def stride(self, dt: float) -> int:
        """Simulation steps per sample; ``tr`` must be a whole multiple of the simulation's ``dt``."""
        k = round(self.tr / dt)
        if k < 1 or abs(k * dt - self.tr) > 1e-9 * max(1.0, self.tr):
            raise ValueError(f"tr = {self.tr:g} s must be a whole multiple of the simulation step dt = {dt:g} s")
        return k


def bold_series(g: np.ndarray, data: BoldSeries, *, dt: float, random_state: int, n_threads: int = 1) -> np.ndarray:
    """The standardised OU + HRF series of ``data``, every ``tr / dt``-th sample (float32, samples × nodes).

    Same arguments, dtype and seed as :func:`zerolag.simulation.ou.bold_statistics` in the workflow, so
    the same signal.
    """
    stride = data.stride(dt)
    x = simulate_bold(
        g, tau=data.tau, dt=dt, duration=data.duration, random_state=random_state, dtype=np.float32, n_threads=n_threads
    )
    return np.ascontiguousarray(x[::stride])
