"""Figures, drawn from tidy tables; no computation here.

Every module here draws with matplotlib, installed by the ``plot`` extra: without it, importing one raises
:class:`zerolag._optional.MissingExtraError` saying so.
"""

from .._optional import require

require("matplotlib", extra="plot", feature="drawing figures")
