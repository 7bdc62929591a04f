"""NetSim-style data: DCM neural dynamics driving the balloon model, sampled like fMRI.

In the spirit of the NetSim benchmark (Smith et al. 2011, NeuroImage 54:875; the files themselves
are read by :mod:`zerolag.netsim.reader`). Per subject:

1. **Network** (:func:`netsim_structure`): modules of the 5-node graph 0→1→2→3→4, 0→4 (NetSim's
   first network); larger networks chain modules, node 2 of module m → node 0 of module m + 1 (our
   choice). Variants: ``cycle`` reverses 0→4 into 4→0 (a directed 5-cycle in every module),
   ``backward = k`` makes the first k chain links of every module reciprocal, ``shared_input`` mixes
   a common input into every node. Link strengths are drawn per subject from
   N(``strength_mean``, ``strength_sd``²), clipped to [0.1, 0.9].
2. **Neural dynamics** (DCM, Friston, Harrison & Penny 2003, NeuroImage 19:1273):
   ``dz/dt = σ A z + C u + noise`` with ``A = W − 1`` (W the link strengths, ``W[i, j]`` from j to i),
   ``σ = 1/neural_lag`` (NetSim: ~50 ms) and ``C = σ ((1 − s) 1 | s 𝟙)`` (own input, shared input of
   weight s), so an isolated node settles at its input. Integrated exactly over steps of ``dt``
   (inputs held over a step; white noise of intensity ``neural_noise``² with the exact discrete
   covariance, as :func:`zerolag.simulation.ou.ou_process`).
3. **Inputs** ``u``: binary up/down processes, exponential dwell times with means ``input_up`` and
   ``input_down`` seconds (sparse "on" periods, as NetSim's external inputs).
4. **Haemodynamics**: the balloon–Windkessel model (:mod:`zerolag.netsim.balloon`) per node; every node's
   response is shifted by its own delay ~ N(0, ``hrf_delay_sd``²) s (NetSim's HRF lag variability), then
   sampled every ``tr`` seconds after ``burn_in`` seconds.
5. **Thermal noise**: white Gaussian noise of standard deviation ``thermal_noise`` × each node's BOLD
   standard deviation.

Every subject has its own random stream (``SeedSequence(seed).spawn``), so subject k is the same
whatever the number of subjects simulated. Values not given above are ours and live in the config.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.linalg

from .balloon import FRISTON_2000, BalloonParameters, BalloonState

__all__ = ["NetSimModel", "NetSimSpec", "netsim_structure", "simulate_netsim", "updown_input"]

MODULE_EDGES = ((0, 1), (1, 2), (2, 3), (3, 4), (0, 4))
"""(source, target) links of the 5-node module (NetSim's network of simulation 1)."""


@dataclass(frozen=True)
class NetSimSpec:
    """One simulation: network size and variant, session length."""

    nodes: int = 5
    duration: float = 600.0
    shared_input: float = 0.0
    backward: int = 0
    cycle: bool = False

    def __post_init__(self) -> None:
        if self.nodes < 5 or self.nodes % 5:
            raise ValueError(f"nodes must be a multiple of 5 (modules of 5 nodes), got {self.nodes}")
        if not self.duration > 0:
            raise ValueError(f"duration must be positive (seconds), got {self.duration}")
        if not 0 <= self.shared_input < 1:
            raise ValueError(f"shared_input must lie in [0, 1), got {self.shared_input}")
        if not 0 <= self.backward <= 4:
            raise ValueError(f"backward must be 0–4 (chain links per module made reciprocal), got {self.backward}")


@dataclass(frozen=True)
class NetSimModel:
    """Parameters shared by every simulation (seconds, 1/s)."""

    tr: float = 3.0
    dt: float = 0.05
    burn_in: float = 60.0
    neural_lag: float = 0.05
    strength_mean: float = 0.5
    strength_sd: float = 0.1
    input_up: float = 2.5
    input_down: float = 10.0
    neural_noise: float = 0.1
    hrf_delay_sd: float = 0.5
    thermal_noise: float = 0.3
    balloon: BalloonParameters = field(default_factory=lambda: FRISTON_2000)

    def __post_init__(self) -> None:
        for name in ("tr", "dt", "neural_lag", "input_up", "input_down"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("burn_in", "strength_sd", "neural_noise", "hrf_delay_sd", "thermal_noise"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} must be non-negative, got {getattr(self, name)}")
        if self.dt > self.tr:
            raise ValueError(f"the integration step dt = {self.dt} s must not exceed the TR = {self.tr} s")
        if self.burn_in < 3 * self.hrf_delay_sd:
            raise ValueError(
                f"burn_in = {self.burn_in} s must be at least 3 × hrf_delay_sd = {3 * self.hrf_delay_sd} s "
                "(delayed nodes are sampled before the first TR)"
            )


def netsim_structure(spec: NetSimSpec) -> np.ndarray:
    """Boolean structure ``S[target, source]`` of a simulation's network (see the module docstring)."""
    n = spec.nodes
    s = np.zeros((n, n), dtype=bool)
    for m in range(n // 5):
        o = 5 * m
        edges = list(MODULE_EDGES)
        if spec.cycle:
            edges[4] = (4, 0)
        for a, b in edges:
            s[o + b, o + a] = True
        for a, b in MODULE_EDGES[: spec.backward]:
            s[o + a, o + b] = True
        if m + 1 < n // 5:
            s[o + 5, o + 2] = True
    return s


def updown_input(n_steps: int, dt: float, up: float, down: float, rng: np.random.Generator) -> np.ndarray:
    """A binary up/down process on a grid of ``n_steps`` steps of ``dt`` s (exponential dwell times)."""
    total = n_steps * dt
    state = rng.random() < up / (up + down)
    out = np.zeros(n_steps)
    t = 0.0
    while t < total:
        length = rng.exponential(up if state else down)
        if state:
            out[int(round(t / dt)) : int(round((t + length) / dt))] = 1.0
        t += length
        state = not state
    return out


def _discrete(a: np.ndarray, c: np.ndarray, noise: float, h: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact step of ``dz = (a z + c u) dt + noise dW`` over ``h`` with u constant: F, Γ, chol(Q)."""
    n = a.shape[0]
    f = scipy.linalg.expm(a * h)
    gamma = np.linalg.solve(a, (f - np.eye(n)) @ c)
    if noise > 0:
        sigma = scipy.linalg.solve_continuous_lyapunov(a, -(noise**2) * np.eye(n))
        q = sigma - f @ sigma @ f.T
        chol = np.linalg.cholesky((q + q.T) / 2)
    else:
        chol = np.zeros((n, n))
    return f, gamma, chol


def simulate_netsim(
    spec: NetSimSpec, model: NetSimModel, *, subjects: int, random_state: int
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate ``subjects`` sessions of one NetSim-style simulation.

    Parameters
    ----------
    spec : NetSimSpec
    model : NetSimModel
    subjects : int
        Number of subjects (each its own link strengths, delays, inputs and noise).
    random_state : int
        Seed; subject k uses the k-th child of ``numpy.random.SeedSequence(random_state)``.

    Returns
    -------
    ts : ndarray (subjects, round(duration / tr), nodes)
        BOLD time series with thermal noise (fractional signal change).
    truth : ndarray (subjects, nodes, nodes)
        Link strengths, ``truth[s, i, j]`` from j to i (zero diagonal).
    """
    if int(subjects) < 1:
        raise ValueError(f"subjects must be at least 1, got {subjects}")
    subjects = int(subjects)
    n, h = spec.nodes, model.dt
    n_out = int(round(spec.duration / model.tr))
    if n_out < 2:
        raise ValueError(f"duration {spec.duration} s gives {n_out} volumes at TR = {model.tr} s; simulate longer")
    structure = netsim_structure(spec)
    n_steps = int(np.ceil((model.burn_in + spec.duration + 4 * model.hrf_delay_sd + model.tr) / h)) + 1
    sigma = 1 / model.neural_lag
    n_inputs = n + (1 if spec.shared_input > 0 else 0)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(int(random_state)).spawn(subjects)]
    truth = np.zeros((subjects, n, n))
    delays = np.zeros((subjects, n))
    f_all = np.empty((subjects, n, n))
    g_all = np.empty((subjects, n, n_inputs))
    l_all = np.empty((subjects, n, n))
    inputs = np.empty((subjects, n_steps, n_inputs))
    c = np.zeros((n, n_inputs))
    c[:, :n] = sigma * (1 - spec.shared_input) * np.eye(n)
    if spec.shared_input > 0:
        c[:, n] = sigma * spec.shared_input
    for k, rng in enumerate(rngs):  # per subject, in a fixed order: strengths, delays, inputs
        w = np.where(structure, rng.normal(model.strength_mean, model.strength_sd, (n, n)), 0.0)
        w = np.where(structure, np.clip(w, 0.1, 0.9), 0.0)
        truth[k] = w
        delays[k] = rng.normal(0.0, model.hrf_delay_sd, n)
        for i in range(n_inputs):
            inputs[k, :, i] = updown_input(n_steps, h, model.input_up, model.input_down, rng)
        a = sigma * (w - np.eye(n))
        f_all[k], g_all[k], l_all[k] = _discrete(a, c, model.neural_noise, h)
    z = np.zeros((subjects, n))
    balloon = BalloonState((subjects, n), model.balloon)
    bold = np.empty((n_steps, subjects, n), dtype=np.float32)
    chunk = 2000
    for start in range(0, n_steps, chunk):
        stop = min(n_steps, start + chunk)
        noise = np.stack([rng.standard_normal((stop - start, n)) for rng in rngs], axis=1)
        for t in range(start, stop):
            z_next = (
                np.einsum("sij,sj->si", f_all, z)
                + np.einsum("sij,sj->si", g_all, inputs[:, t])
                + np.einsum("sij,sj->si", l_all, noise[t - start])
            )
            balloon.step((z + z_next) / 2, h)
            z = z_next
            bold[t] = balloon.bold()
    times = model.burn_in + model.tr * np.arange(n_out)  # sample times; node i shows y(t − d_i)
    ts = np.empty((subjects, n_out, n))
    grid = h * np.arange(1, n_steps + 1)  # bold[t] is the state at the end of step t
    for k in range(subjects):
        for i in range(n):
            ts[k, :, i] = np.interp(times - delays[k, i], grid, bold[:, k, i])
    rng_noise = [np.random.default_rng(s) for s in np.random.SeedSequence([int(random_state), 1]).spawn(subjects)]
    for k, rng in enumerate(rng_noise):
        ts[k] += model.thermal_noise * ts[k].std(axis=0) * rng.standard_normal((n_out, n))
    return ts, truth
