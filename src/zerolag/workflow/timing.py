"""Timed runs of the optimisers on one noise-free network, ours and (optionally) the authors' connFinder.

Used by ``benchmarks/bench_optimizers.py`` and by the workflow's scaling figure. connFinder
(https://github.com/jonathanschiefer/connFinder, GPL-3) is never part of this package: :class:`ConnFinder`
imports its ``gradient_methods`` module at run time from a checkout the user names.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..estimation.fit import estimate_connectivity, inverse_sqrt
from ..estimation.optimizers import l1_cost
from ..scoring.metrics import score

__all__ = ["CONNFINDER", "ConnFinder", "run_optimizer", "timed_row"]

CONNFINDER = "connFinder"
"""Name under which connFinder's runs appear in tables."""


def run_optimizer(covariance: np.ndarray, optimizer: str, *, threads: int = 1) -> tuple[np.ndarray, dict[str, Any]]:
    """Estimate with one of our optimisers at its defaults; return ``(G_est, record)``.

    The record holds ``seconds`` (wall clock, including ``B₀ = (C⁻¹)^{1/2}``), ``n_iter``,
    ``n_linesearch``, ``steps`` (their sum), ``final_cost`` and ``converged``.
    """
    t0 = time.perf_counter()
    g, info = estimate_connectivity(covariance, optimizer=optimizer, return_info=True, n_threads=threads)
    seconds = time.perf_counter() - t0
    return g, {
        "seconds": seconds,
        "n_iter": info.n_iter,
        "n_linesearch": info.n_linesearch,
        "steps": info.n_iter + info.n_linesearch,
        "final_cost": info.final_cost,
        "converged": bool(info.converged),
    }


class ConnFinder:
    """The authors' ``gradient_methods.conjugate``, imported from a checkout outside this package.

    Parameters
    ----------
    path : path-like
        Directory of a connFinder checkout (it must contain ``gradient_methods.py``).

    Raises
    ------
    FileNotFoundError
        If ``path`` holds no ``gradient_methods.py``.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        path = Path(path).expanduser().resolve()
        if not (path / "gradient_methods.py").is_file():
            raise FileNotFoundError(
                f"{path}: no gradient_methods.py there; give the path of a checkout of "
                "https://github.com/jonathanschiefer/connFinder"
            )
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.module = importlib.import_module("gradient_methods")
        self.path = path
        # Count Riemannian-gradient evaluations: connFinder takes exactly one optimiser step per call
        # (the first step, every CG iteration, every step of the final Armijo line search), so the count
        # is comparable with our ``n_iter + n_linesearch``. Wraps the module attribute, not the file.
        self.n_grad = 0
        original = self.module.get_grad

        def counted(b_est: Any) -> Any:
            self.n_grad += 1
            return original(b_est)

        self.module.get_grad = counted

    def revision(self) -> str:
        """The checkout's commit (12 hex digits), or ``"unknown"``."""
        git = self.path / ".git"
        try:
            ref = (git / "HEAD").read_text().strip()
            if not ref.startswith("ref: "):
                return ref[:12]
            if (git / ref[5:]).is_file():
                return (git / ref[5:]).read_text().strip()[:12]
            for line in (git / "packed-refs").read_text().splitlines():
                if line.endswith(ref[5:]):
                    return line.split()[0][:12]
        except OSError:
            pass
        return "unknown"

    def run(self, covariance: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """Estimate with the notebook's noise-free settings; return ``(G_est, record)`` like :func:`run_optimizer`."""
        t0 = time.perf_counter()
        b0 = inverse_sqrt(covariance)  # the same B₀ our estimator starts from (its first step, so timed for both)
        self.n_grad = 0
        printed = io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stdout(printed):
            warnings.simplefilter("ignore")  # numpy.matrix PendingDeprecationWarning, 0/0 in M/|M|
            g = np.asarray(self.module.conjugate(b0, xtol=0.5, gtol=0.5, ftol=1e-4, del_param=2000.0))
        seconds = time.perf_counter() - t0
        text = printed.getvalue()
        return g, {
            "seconds": seconds,
            "n_iter": float("nan"),
            "n_linesearch": float("nan"),
            "steps": self.n_grad,
            "final_cost": l1_cost(g),  # connFinder's G_est = −offdiag(B_est): the same off-diagonal L1 cost
            "converged": "reached max iteration" not in text and "not unitary" not in text,
        }


def timed_row(
    g_true: np.ndarray,
    truth: np.ndarray,
    method: str,
    *,
    threads: int = 1,
    connfinder: ConnFinder | None = None,
) -> dict[str, Any]:
    """Time one method (an optimiser name, or :data:`CONNFINDER`) on the noise-free covariance of ``g_true``.

    Returns the run's record plus ``method``, ``auc``, ``prs``, ``pcc`` (against ``truth``),
    ``true_cost`` (the L1 cost of the true solution ``1 − G``) and ``cost_gap`` (final minus true).
    """
    from ..estimation.model import covariance

    c = covariance(g_true)
    if method == CONNFINDER:
        if connfinder is None:
            raise ValueError("method 'connFinder' needs a ConnFinder (the path of a connFinder checkout)")
        g_est, record = connfinder.run(c)
    else:
        g_est, record = run_optimizer(c, method, threads=threads)
    scores = score(truth, g_est)
    true_cost = l1_cost(np.eye(g_true.shape[0]) - g_true)
    return {
        "method": method,
        **record,
        "auc": scores["auc"],
        "prs": scores["prs"],
        "pcc": scores["pcc"],
        "true_cost": true_cost,
        "cost_gap": record["final_cost"] - true_cost,
    }
