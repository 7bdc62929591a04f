"""Figures, drawn from tidy tables; no computation here beyond what a figure shows (glass_brain: the regions'
centroids and the strongest links, computed apart from the drawing).

Every module here draws with matplotlib, installed by the ``plot`` extra: without it, importing one raises
:class:`zerolag._optional.MissingExtraError` saying so.
"""

from .._optional import require

require("matplotlib", extra="plot", feature="drawing figures")
