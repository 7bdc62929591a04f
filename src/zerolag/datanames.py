"""Names of simulated data sets, as they appear in the workflow's paths (``{data}`` wildcard).

``ou_T200000_tau0.1_sig0_obs1``: OU + HRF simulated for ``T`` seconds with time constant ``tau``,
observation noise of standard deviation ``sig`` added after standardisation, a fraction ``obs`` of
the nodes observed. The same simulation (``ou_T…_tau…``) serves every noise level and fraction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SimulatedData"]

_NUMBER = r"[0-9.eE+-]+"
_PATTERN = re.compile(rf"ou_T({_NUMBER})_tau({_NUMBER})_sig({_NUMBER})_obs({_NUMBER})")


@dataclass(frozen=True)
class SimulatedData:
    """One simulated data set: duration (s), OU time constant τ (s), noise std, observed fraction.

    Raises
    ------
    ValueError
        If ``duration`` or ``tau`` is not positive, ``noise_std`` is negative, or ``observed`` is outside (0, 1].
    """

    duration: float
    tau: float
    noise_std: float = 0.0
    observed: float = 1.0

    def __post_init__(self) -> None:
        checks = (
            (self.duration > 0, f"duration must be positive (seconds), got {self.duration}"),
            (self.tau > 0, f"tau must be positive (seconds), got {self.tau}"),
            (self.noise_std >= 0, f"noise_std must be >= 0, got {self.noise_std}"),
            (0 < self.observed <= 1, f"observed fraction must lie in (0, 1], got {self.observed}"),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    @property
    def simulation(self) -> str:
        """Name of the underlying simulation (shared by every noise level and observed fraction)."""
        return f"ou_T{self.duration:g}_tau{self.tau:g}"

    @property
    def name(self) -> str:
        """The ``{data}`` wildcard value."""
        return f"{self.simulation}_sig{self.noise_std:g}_obs{self.observed:g}"

    @classmethod
    def from_name(cls, name: str) -> SimulatedData:
        """Parse a name written by :attr:`name`."""
        match = _PATTERN.fullmatch(name)
        if match is None:
            raise ValueError(f"not a simulated-data name: {name!r} (expected e.g. ou_T20000_tau0.1_sig0_obs1)")
        return cls(*(float(v) for v in match.groups()))
