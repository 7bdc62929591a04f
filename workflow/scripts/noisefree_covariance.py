"""Noise-free covariance C = (1 − G)⁻¹(1 − G)⁻ᵀ of a network (Eq. 5)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np

from zerolag import covariance_from_network
from zerolag.io import save_npy
from zerolag.threads import blas_threads

with blas_threads(snakemake.threads), np.load(snakemake.input.network) as f:
    save_npy(snakemake.output.covariance, covariance_from_network(f["G"]))
