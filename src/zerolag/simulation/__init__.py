"""Simulated ground truth: random networks, OU + HRF (BOLD-like) signals, imperfect observation.

Submodules (import what you need; this package imports none of them):

* :mod:`~zerolag.simulation.networks` — :class:`~zerolag.NetworkSpec`, :func:`~zerolag.make_network`, seeds.
* :mod:`~zerolag.simulation.ou` — Ornstein–Uhlenbeck networks, BOLD signals, streamed statistics.
* :mod:`~zerolag.simulation.hrf` — the canonical haemodynamic response.
* :mod:`~zerolag.simulation.observation` — measurement noise and unobserved nodes.
* :mod:`~zerolag.simulation.datanames` — names of simulated data sets (the workflow's ``{data}``).
* :mod:`~zerolag.simulation.peers_data` — the OU + HRF time series the peers are given.
* :mod:`~zerolag.simulation.var` — the VAR(1) network ``x_t = G x_{t−1} + ξ_t`` (coupling with a lag).
"""
