"""Names of simulated data sets, as they appear in the workflow's paths (``{data}`` wildcard).

``ou_T200000_tau0.1_sig0_obs1``: OU + HRF simulated for ``T`` seconds with time constant ``tau``,
observation noise of standard deviation ``sig`` added after standardisation, a fraction ``obs`` of
the nodes observed. The same simulation (``ou_T…_tau…``) serves every noise level and fraction, and
every shorter data length as a prefix of its series (``ou_T200000_tau0.1_first1000_sig0_obs1``: the
first 1000 s of that simulation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PATTERN", "SIMULATION_PATTERN", "SimulatedData"]

_NUMBER = r"[0-9.eE+-]+"
SIMULATION_PATTERN = rf"ou_T{_NUMBER}_tau{_NUMBER}"
"""Regular expression of :attr:`SimulatedData.simulation` names (one simulation run)."""
PATTERN = rf"ou_T{_NUMBER}_tau{_NUMBER}(?:_first{_NUMBER})?_sig{_NUMBER}_obs{_NUMBER}"
"""Regular expression of every name :attr:`SimulatedData.name` writes."""
_PARSE = re.compile(rf"ou_T({_NUMBER})_tau({_NUMBER})(?:_first({_NUMBER}))?_sig({_NUMBER})_obs({_NUMBER})")


@dataclass(frozen=True)
class SimulatedData:
    """One simulated data set: duration (s), OU time constant τ (s), noise std, observed fraction, length.

    ``length`` (s, default the whole ``duration``) is how much of the simulation's series the data
    use: a prefix, so that one simulation serves several data lengths.

    Raises
    ------
    ValueError
        If ``duration`` or ``tau`` is not positive, ``noise_std`` is negative, ``observed`` is outside
        (0, 1], or ``length`` is outside (0, ``duration``].
    """

    duration: float
    tau: float
    noise_std: float = 0.0
    observed: float = 1.0
    length: float | None = None

    def __post_init__(self) -> None:
        if self.length is not None and self.length == self.duration:
            object.__setattr__(self, "length", None)  # the whole run: one spelling
        checks = (
            (self.duration > 0, f"duration must be positive (seconds), got {self.duration}"),
            (self.tau > 0, f"tau must be positive (seconds), got {self.tau}"),
            (self.noise_std >= 0, f"noise_std must be >= 0, got {self.noise_std}"),
            (0 < self.observed <= 1, f"observed fraction must lie in (0, 1], got {self.observed}"),
            (
                self.length is None or 0 < self.length <= self.duration,
                f"length must lie in (0, duration = {self.duration:g}] seconds, got {self.length}",
            ),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    @property
    def simulation(self) -> str:
        """Name of the underlying simulation (shared by every noise level and observed fraction)."""
        return f"ou_T{self.duration:g}_tau{self.tau:g}"

    @property
    def seconds(self) -> float:
        """Seconds of series the data use (``length``, or the whole ``duration``)."""
        return self.duration if self.length is None else self.length

    @property
    def name(self) -> str:
        """The data set's name, as the tables' ``data`` column spells it."""
        first = "" if self.seconds == self.duration else f"_first{self.seconds:g}"
        return f"{self.simulation}{first}_sig{self.noise_std:g}_obs{self.observed:g}"

    @classmethod
    def from_name(cls, name: str) -> SimulatedData:
        """Parse a name written by :attr:`name`."""
        match = _PARSE.fullmatch(name)
        if match is None:
            raise ValueError(f"not a simulated-data name: {name!r} (expected e.g. ou_T20000_tau0.1_sig0_obs1)")
        duration, tau, first, sig, obs = match.groups()
        return cls(float(duration), float(tau), float(sig), float(obs), None if first is None else float(first))
