"""Peer methods the paper's estimator is compared with (Fig. S1A, the peers table).

Each takes a time series (samples × nodes) and returns an (N, N) matrix with zero diagonal in this
package's orientation, ``G[i, j]`` = influence of j on i. Native conventions and how they are mapped:

========================  ===================================================  ==========================
method                    native convention                                    mapped to G[target, source]
========================  ===================================================  ==========================
Patel κ / τ (Pate.m)      −τ[a, b] > 0: a → b (b active more often)            G[b, a] = κ[a, b]
pairwise LR (Hyv.–Smith)  R[a, b] > 0: a → b                                   G[b, a] = ρ[a, b]
DirectLiNGAM              x = B x + e, B[i, j]: j → i                           G = B (as is)
VAR(1) / Granger          x(t) = A x(t − 1) + e, A[i, j]: j → i                 G = A, sign(A)·F (as is)
MOU-EC                    J = −1/τ_x + C, C[i, j]: j → i                        G = C (as is)
========================  ===================================================  ==========================
"""

from ._common import check_timeseries
from .mou import lagged_covariances, mou_ec
from .pairwise import MEASURES, causal_order, direct_lingam, pairwise_lr, pairwise_measure
from .patel import patel_kappa, patel_measures, patel_tau
from .var import granger, var1, var1_fit

__all__ = [
    "MEASURES",
    "causal_order",
    "check_timeseries",
    "direct_lingam",
    "granger",
    "lagged_covariances",
    "mou_ec",
    "pairwise_lr",
    "pairwise_measure",
    "patel_kappa",
    "patel_measures",
    "patel_tau",
    "var1",
    "var1_fit",
]
