"""Random network specifications (Schiefer et al. 2018, Methods, Eq. 8).

Row index = target, column index = source: ``G[i, j]`` is the coupling from node ``j`` to node ``i``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

__all__ = [
    "NetworkSpec",
    "coupling_strength",
    "erdos_renyi",
    "three_node_examples",
    "make_network",
    "seed_from",
    "check_random_state",
]


def check_random_state(random_state: int | np.random.Generator | None) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for a seed, a generator or ``None`` (fresh entropy)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return np.random.default_rng(random_state)
    raise TypeError(f"random_state must be an int, a numpy.random.Generator or None, got {type(random_state).__name__}")


def seed_from(*parts: object) -> int:
    """Derive a reproducible 63-bit seed from any printable parts (e.g. Snakemake wildcards).

    The same parts give the same seed on every machine and in every job order.
    """
    text = "/".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little") >> 1


def coupling_strength(n: int, p: float, rho: float) -> float:
    """Coupling magnitude ``J = rho / sqrt(N p (1 - p))`` that gives bulk spectral radius ``rho`` (Eq. 8)."""
    if n < 2:
        raise ValueError(f"network size N must be at least 2, got {n}")
    if not 0 < p < 1:
        raise ValueError(f"connection probability p must lie in (0, 1), got {p}")
    if rho < 0:
        raise ValueError(f"spectral radius rho must be non-negative, got {rho}")
    return float(rho / np.sqrt(n * p * (1 - p)))


def erdos_renyi(n: int, p: float, rho: float, *, random_state: int | np.random.Generator | None) -> np.ndarray:
    """Erdős–Rényi coupling matrix with balanced signs (Schiefer et al. 2018, Methods).

    Each off-diagonal entry is a connection with probability ``p``; no self-connections; half of the
    connections (rounded down) are negative; all have magnitude ``J = rho / sqrt(N p (1 - p))``.

    Parameters
    ----------
    n : int
        Number of nodes.
    p : float
        Connection probability, in (0, 1).
    rho : float
        Bulk spectral radius; the linear model is stable for ``rho < 1``.
    random_state : int, numpy.random.Generator or None
        Source of randomness (never the global NumPy state).

    Returns
    -------
    numpy.ndarray of shape (n, n)
        ``G[i, j]`` is the coupling from ``j`` to ``i``.
    """
    rng = check_random_state(random_state)
    j = coupling_strength(n, p, rho)
    mask = rng.random((n, n)) < p
    np.fill_diagonal(mask, False)
    rows, cols = np.nonzero(mask)
    signs = np.ones(rows.size)
    signs[rng.permutation(rows.size)[: rows.size // 2]] = -1.0
    g = np.zeros((n, n))
    g[rows, cols] = j * signs
    return g


_NAME = re.compile(
    r"^N(?P<n>\d+)_p(?P<p>[0-9.eE+-]+)_rho(?P<rho>[0-9.eE+-]+)_q(?P<q>[0-9.eE+-]+)(?:_bg(?P<bg>[0-9.eE+-]+))?$"
)
NAME_PATTERN = re.sub(r"\?P<\w+>", "?:", _NAME.pattern)[1:-1]
"""Regular expression of every name :attr:`NetworkSpec.name` writes (no anchors, no groups): for wildcards."""


@dataclass(frozen=True)
class NetworkSpec:
    """A random-network recipe: an ER skeleton plus an optional weak ER background (Fig. 3D).

    Parameters
    ----------
    n : int
        Number of nodes.
    p : float
        Connection probability of the skeleton.
    rho : float
        Spectral radius of the skeleton.
    q : float
        Connection probability of the background (0 = no background).
    background_fraction : float
        Spectral radius of the background as a fraction of ``rho`` (20 % in the paper).
    """

    n: int
    p: float
    rho: float
    q: float = 0.0
    background_fraction: float = 0.2

    def __post_init__(self) -> None:
        coupling_strength(self.n, self.p, self.rho)
        if not 0 <= self.q < 1:
            raise ValueError(f"background probability q must lie in [0, 1), got {self.q}")
        if self.rho >= 1:
            raise ValueError(f"spectral radius rho = {self.rho} >= 1 gives an unstable network; use rho < 1")

    @property
    def name(self) -> str:
        """Path-safe name, e.g. ``N100_p0.1_rho0.7_q0`` (inverse of :meth:`from_name`)."""
        base = f"N{self.n}_p{self.p:g}_rho{self.rho:g}_q{self.q:g}"
        return base if self.background_fraction == 0.2 else f"{base}_bg{self.background_fraction:g}"

    @classmethod
    def from_name(cls, name: str) -> NetworkSpec:
        """Parse a name written by :attr:`name`."""
        m = _NAME.match(name)
        if not m:
            raise ValueError(f"cannot parse network name {name!r}; expected e.g. 'N100_p0.1_rho0.7_q0'")
        bg = m["bg"]
        return cls(int(m["n"]), float(m["p"]), float(m["rho"]), float(m["q"]), 0.2 if bg is None else float(bg))


def make_network(spec: NetworkSpec, *, random_state: int | np.random.Generator | None) -> tuple[np.ndarray, np.ndarray]:
    """Draw a network from ``spec``.

    Returns
    -------
    G : numpy.ndarray
        The full coupling matrix (skeleton + background) that generates the data.
    truth : numpy.ndarray
        The skeleton, against which estimates are scored.
    """
    rng = check_random_state(random_state)
    skeleton = erdos_renyi(spec.n, spec.p, spec.rho, random_state=rng)
    if spec.q == 0:
        return skeleton.copy(), skeleton
    background = erdos_renyi(spec.n, spec.q, spec.background_fraction * spec.rho, random_state=rng)
    return skeleton + background, skeleton


def three_node_examples(weight: float = 0.5) -> dict[str, np.ndarray]:
    """The three networks of the paper's Fig. 1 (nodes 1, 2, 3 are indices 0, 1, 2; row = target).

    ``chain`` 2 → 1 → 3, ``reversed chain`` 3 → 1 → 2 (the same covariance up to the links'
    direction), and ``collider`` 2 → 1 ← 3: only the collider makes the (2, 3) entry of the inverse
    covariance non-zero, ``(GᵀG)₂₃ = weight²``.
    """
    links = {"chain": [(0, 1), (2, 0)], "reversed chain": [(0, 2), (1, 0)], "collider": [(0, 1), (0, 2)]}
    out = {}
    for name, pairs in links.items():
        g = np.zeros((3, 3))
        for target, source in pairs:
            g[target, source] = weight
        out[name] = g
    return out
