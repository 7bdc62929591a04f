"""zerolag: directed, signed connectivity from zero-lag covariances (Schiefer et al. 2018).

Names are loaded on first use, so ``import zerolag`` is cheap: a workflow job that only draws a
network does not pay for importing scikit-learn.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "ZeroLagConnectivity": "estimation.estimator",
    "estimate_connectivity": "estimation.fit",
    "long_run_bandwidth": "estimation.longrun",
    "long_run_covariance": "estimation.longrun",
    "lag_diagnostic": "estimation.diagnostics",
    "group_link_test": "estimation.group_test",
    "bootstrap_connectivity": "estimation.resampling",
    "BootstrapResult": "estimation.link_statistics",
    "LagStructureWarning": "estimation.diagnostics",
    "DIRECTED": "methods.registry",
    "METHODS": "methods.registry",
    "METHOD_INPUTS": "methods.registry",
    "estimate": "methods.registry",
    "score": "scoring.metrics",
    "covariance_from_network": "estimation.model",
    "inverse_covariance": "estimation.model",
    "NetworkSpec": "simulation.networks",
    "erdos_renyi": "simulation.networks",
    "make_network": "simulation.networks",
    "seed_from": "simulation.networks",
    "FitInfo": "estimation.optimizers",
    "NotConvergedWarning": "estimation.fit",
}
_RENAMED = {"covariance_from_network": "covariance"}

__all__ = [
    "DIRECTED",
    "METHODS",
    "METHOD_INPUTS",
    "BootstrapResult",
    "FitInfo",
    "LagStructureWarning",
    "NetworkSpec",
    "NotConvergedWarning",
    "ZeroLagConnectivity",
    "bootstrap_connectivity",
    "covariance_from_network",
    "erdos_renyi",
    "estimate",
    "estimate_connectivity",
    "inverse_covariance",
    "group_link_test",
    "lag_diagnostic",
    "long_run_bandwidth",
    "long_run_covariance",
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
    from .estimation.diagnostics import LagStructureWarning, lag_diagnostic
    from .estimation.estimator import ZeroLagConnectivity
    from .estimation.fit import NotConvergedWarning, estimate_connectivity
    from .estimation.link_statistics import BootstrapResult
    from .estimation.longrun import long_run_bandwidth, long_run_covariance
    from .estimation.model import covariance as covariance_from_network
    from .estimation.model import inverse_covariance
    from .estimation.optimizers import FitInfo
    from .estimation.resampling import bootstrap_connectivity
    from .methods.registry import DIRECTED, METHOD_INPUTS, METHODS, estimate
    from .scoring.metrics import score
    from .simulation.networks import NetworkSpec, erdos_renyi, make_network, seed_from
