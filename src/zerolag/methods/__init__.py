"""Every connectivity method by name: the paper's estimator, undirected baselines, directed peers.

Submodules (import what you need; this package imports none of them):

* :mod:`~zerolag.methods.registry` — :data:`~zerolag.METHODS`, :func:`~zerolag.estimate` (a method by name).
* :mod:`~zerolag.methods.baselines` — covariance, correlation, precision, partial correlation, RIC.
* :mod:`~zerolag.methods.glasso` — graphical lasso by ADMM (RIC's fallback).
* :mod:`~zerolag.methods.peers` — the time-series peers (Patel, pairwise LR, LiNGAM, VAR/Granger, MOU-EC).
"""
