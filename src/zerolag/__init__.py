"""zerolag: directed, signed connectivity from zero-lag covariances (Schiefer et al. 2018).

Names are loaded on first use, so ``import zerolag`` is cheap: a workflow job that only draws a
network does not pay for importing scikit-learn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "ZeroLagConnectivity": "estimator",
    "estimate_connectivity": "fit",
    "DIRECTED": "methods",
    "METHODS": "methods",
    "METHOD_INPUTS": "methods",
    "estimate": "methods",
    "score": "metrics",
    "covariance_from_network": "model",
    "inverse_covariance": "model",
    "NetworkSpec": "networks",
    "erdos_renyi": "networks",
    "make_network": "networks",
    "seed_from": "networks",
    "FitInfo": "optimizers",
    "NotConvergedWarning": "fit",
}
_RENAMED = {"covariance_from_network": "covariance"}

__all__ = [
    "DIRECTED",
    "METHODS",
    "METHOD_INPUTS",
    "FitInfo",
    "NetworkSpec",
    "NotConvergedWarning",
    "ZeroLagConnectivity",
    "covariance_from_network",
    "erdos_renyi",
    "estimate",
    "estimate_connectivity",
    "inverse_covariance",
    "make_network",
    "score",
    "seed_from",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'zerolag' has no attribute {name!r}")
    module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
    value = getattr(module, _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


if TYPE_CHECKING:  # for type checkers and IDEs
    from .estimator import ZeroLagConnectivity
    from .fit import estimate_connectivity
    from .methods import DIRECTED, METHOD_INPUTS, METHODS, estimate
    from .metrics import score
    from .model import covariance as covariance_from_network
    from .model import inverse_covariance
    from .networks import NetworkSpec, erdos_renyi, make_network, seed_from
    from .optimizers import FitInfo
