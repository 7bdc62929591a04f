"""The estimator: directed, signed connectivity from a zero-lag covariance (Schiefer et al. 2018).

Submodules (import what you need; this package imports none of them):

* :mod:`~zerolag.estimation.fit` — :func:`~zerolag.estimate_connectivity`, the function behind everything.
* :mod:`~zerolag.estimation.estimator` — :class:`~zerolag.ZeroLagConnectivity`, the scikit-learn class.
* :mod:`~zerolag.estimation.optimizers` — the optimisers of the L1 objective (``"paper"``, ``"fast"``).
* :mod:`~zerolag.estimation.model` — the model it inverts, ``C = (1 − G)⁻¹ (1 − G)⁻ᴴ``.
* :mod:`~zerolag.estimation.spectra` — its input from signals: sample covariance, band-averaged CSD.
* :mod:`~zerolag.estimation.validation` — input checks with clear ``ValueError`` messages.
"""
