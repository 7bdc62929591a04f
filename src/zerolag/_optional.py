"""Optional dependencies: a clear error naming the extra that installs a missing one.

``pip install zerolag`` installs what the estimator and the command line on region time series need; the
extras add the rest (``pyproject.toml``): ``fmri`` (nibabel, nilearn: NIfTI images, the MNI152 tissue
templates) and ``plot`` (matplotlib: the figures).
"""

from __future__ import annotations

import importlib.util

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(ImportError):
    """A feature needs a package of an extra that is not installed; the message says what to install."""


def require(*modules: str, extra: str, feature: str) -> None:
    """Check, without importing them, that ``modules`` are installed; raise naming ``extra`` if one is not.

    Parameters
    ----------
    *modules : str
        Top-level modules the feature imports (e.g. ``"nibabel"``).
    extra : str
        The extra of zerolag that installs them (e.g. ``"fmri"``).
    feature : str
        What needs them, as the start of the message (e.g. ``"reading NIfTI"``).

    Raises
    ------
    MissingExtraError
        If a module is not installed, e.g. ``reading NIfTI needs the 'fmri' extra (nibabel is not installed):
        pip install 'zerolag[fmri]'``.
    """
    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingExtraError(
            f"{feature} needs the {extra!r} extra ({' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            f"not installed): pip install 'zerolag[{extra}]'",
            name=missing[0],
        )
