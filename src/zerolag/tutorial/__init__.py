"""The Neuromatch Academy "Correlations" tutorial, reproduced bit for bit and compared with this estimator.

Submodules (import what you need; this package imports none of them):

* :mod:`~zerolag.tutorial.neuromatch` — the tutorial's network, simulation, estimators and experiments.
* :mod:`~zerolag.tutorial.reference_arithmetic` — its recorded numbers in the arithmetic that produced them.
"""
