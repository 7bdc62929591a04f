"""The balloon–Windkessel haemodynamic model: neural activity → BOLD signal.

Buxton, Wong & Frank (1998), Magn Reson Med 39:855 (balloon model); Friston, Mechelli, Turner &
Price (2000), NeuroImage 12:466 (the flow-inducing signal and the parameter values used here);
Stephan, Weiskopf, Drysdale, Robinson & Friston (2007), NeuroImage 38:387 (revised BOLD equation
and parameters, available as :data:`STEPHAN_2007`). Per region, with neural activity z:

    ds/dt = ε z − κ s − γ (f − 1)                      vasodilatory signal s
    df/dt = s                                          blood inflow f
    τ dv/dt = f − v^{1/α}                              venous volume v
    τ dq/dt = f E(f, E₀)/E₀ − v^{1/α} q / v            deoxyhaemoglobin q,  E(f, E₀) = 1 − (1 − E₀)^{1/f}
    y = V₀ [k₁ (1 − q) + k₂ (1 − q/v) + k₃ (1 − v)]    BOLD signal (fractional change)

Defaults (:data:`FRISTON_2000`): κ = 0.65 s⁻¹, γ = 0.41 s⁻¹, τ = 0.98 s, α = 0.32, E₀ = 0.34,
V₀ = 0.02, k₁ = 7 E₀, k₂ = 2, k₃ = 2 E₀ − 0.2 (Friston et al. 2000, after Buxton et al. 1998).
Stephan et al. 2007 (SPM's defaults): κ = 0.64, γ = 0.32, τ = 2, α = 0.32, E₀ = 0.4, V₀ = 0.04 and,
at TE = 0.04 s and 1.5 T (ϑ₀ = 40.3 s⁻¹, r₀ = 25 s⁻¹, ε_iv = 1), k₁ = 4.3 ϑ₀ E₀ TE, k₂ = ε_iv r₀ E₀ TE,
k₃ = 1 − ε_iv. The neural efficacy ε is ours to choose (it sets how strongly z drives the flow).
Integrated with the classical fourth-order Runge–Kutta scheme, vectorised over any array of regions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

__all__ = ["BalloonParameters", "FRISTON_2000", "STEPHAN_2007", "BalloonState"]


@dataclass(frozen=True)
class BalloonParameters:
    """Parameters of :mod:`zerolag.netsim.balloon` (rates in 1/s, times in s)."""

    efficacy: float = 0.2
    kappa: float = 0.65
    gamma: float = 0.41
    tau: float = 0.98
    alpha: float = 0.32
    e0: float = 0.34
    v0: float = 0.02
    k1: float = 7 * 0.34
    k2: float = 2.0
    k3: float = 2 * 0.34 - 0.2

    def __post_init__(self) -> None:
        for name in ("efficacy", "kappa", "gamma", "tau", "alpha", "v0"):
            if not getattr(self, name) > 0:
                raise ValueError(f"balloon parameter {name} must be positive, got {getattr(self, name)}")
        if not 0 < self.e0 < 1:
            raise ValueError(f"balloon parameter e0 (resting oxygen extraction) must lie in (0, 1), got {self.e0}")

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


FRISTON_2000 = BalloonParameters()
_TE, _THETA0, _R0, _EPS = 0.04, 40.3, 25.0, 1.0
STEPHAN_2007 = BalloonParameters(
    kappa=0.64,
    gamma=0.32,
    tau=2.0,
    alpha=0.32,
    e0=0.4,
    v0=0.04,
    k1=4.3 * _THETA0 * 0.4 * _TE,
    k2=_EPS * _R0 * 0.4 * _TE,
    k3=1 - _EPS,
)


class BalloonState:
    """The haemodynamic state of a set of regions, advanced step by step (:meth:`step`)."""

    def __init__(self, shape: tuple[int, ...], params: BalloonParameters = FRISTON_2000) -> None:
        self.p = params
        self.x = np.zeros((4, *shape))  # s, log f, log v, log q: logs keep f, v, q positive
        self._inv_alpha = 1 / params.alpha

    def _rhs(self, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        p = self.p
        s, f, v, q = x[0], np.exp(x[1]), np.exp(x[2]), np.exp(x[3])
        fout = v**self._inv_alpha
        extraction = 1 - (1 - p.e0) ** (1 / f)
        ds = p.efficacy * z - p.kappa * s - p.gamma * (f - 1)
        dlogf = s / f
        dlogv = (f - fout) / (p.tau * v)
        dlogq = (f * extraction / p.e0 - fout * q / v) / (p.tau * q)
        return np.stack([ds, dlogf, dlogv, dlogq])

    def step(self, z: np.ndarray, h: float) -> None:
        """Advance by ``h`` seconds with neural activity ``z`` held constant over the step (RK4)."""
        k1 = self._rhs(self.x, z)
        k2 = self._rhs(self.x + h / 2 * k1, z)
        k3 = self._rhs(self.x + h / 2 * k2, z)
        k4 = self._rhs(self.x + h * k3, z)
        self.x = self.x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)

    def bold(self) -> np.ndarray:
        """The BOLD signal ``y`` of the current state (fractional signal change)."""
        p = self.p
        v, q = np.exp(self.x[2]), np.exp(self.x[3])
        return p.v0 * (p.k1 * (1 - q) + p.k2 * (1 - q / v) + p.k3 * (1 - v))
