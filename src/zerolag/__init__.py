"""zerolag: directed, signed connectivity from zero-lag covariances (Schiefer et al. 2018)."""

from .estimator import ZeroLagConnectivity, estimate_connectivity
from .methods import DIRECTED, METHODS, estimate
from .metrics import score
from .model import covariance as covariance_from_network
from .model import inverse_covariance
from .networks import NetworkSpec, erdos_renyi, make_network, seed_from
from .optimizers import FitInfo

__version__ = "0.1.0"

__all__ = [
    "DIRECTED",
    "METHODS",
    "FitInfo",
    "NetworkSpec",
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
