"""Scores of an estimated network against the true one, and the tidy result rows built from them.

Submodules (import what you need; this package imports none of them):

* :mod:`~zerolag.scoring.metrics` — :func:`~zerolag.score` (AUC, PRS, PCC, counts), ROC and PR curves.
* :mod:`~zerolag.scoring.tables` — one network × method per row; which columns measure the run itself.
"""
