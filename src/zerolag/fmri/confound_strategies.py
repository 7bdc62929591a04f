"""Which of a run's fMRIPrep confounds to regress: nilearn's denoising strategies, or columns by name.

A :class:`ConfoundStrategy` is one of

* a preset of :func:`nilearn.interfaces.fmriprep.load_confounds_strategy`: ``simple`` (high-pass cosines, 24
  motion parameters, mean CSF and white-matter signals), ``scrubbing`` (the same with the tissue signals' 8
  terms, and high-motion volumes censored) or ``compcor`` (cosines, 24 motion parameters, anatomical CompCor),
  optionally with that preset's parameters (``simple global_signal=basic`` adds the global signal);
* components of :func:`nilearn.interfaces.fmriprep.load_confounds`, each with its model where it has one:
  ``motion``, ``wm_csf``, ``global_signal`` (``basic``, ``derivatives``, ``power2``, ``full``; default ``full``
  for motion, ``basic`` for the others), ``high_pass``, ``compcor`` (``anat_combined``, …; needs ``high_pass``),
  ``scrub`` (the shortest segment kept between censored volumes, default 5), e.g. ``motion=basic wm_csf``;
* explicit columns of the confounds file (:meth:`ConfoundStrategy.from_columns`);
* ``none``: no confound regression.

Presets and components are nilearn's own code on the fMRIPrep layout (the confounds file beside the image,
its JSON sidecar for CompCor). As in nilearn, non-steady-state volumes that fMRIPrep flags are always
censored, and censored volumes come back as a sample mask (the indices of the volumes kept); the first-row
``n/a`` of derivative columns is filled with the second row's value (also for explicit columns).
ICA-AROMA and tedana need other image files and are not offered. Parsing imports nothing of nilearn, so the
workflow checks a strategy before any job starts.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["PRESETS", "COMPONENTS", "ConfoundStrategy", "load_run_confounds"]

_MODELS = ("basic", "derivatives", "power2", "full")
_COMPCOR = ("anat_combined", "anat_separated", "temporal", "temporal_anat_combined", "temporal_anat_separated")
COMPONENTS = ("motion", "wm_csf", "global_signal", "high_pass", "compcor", "scrub")
"""Components of :func:`nilearn.interfaces.fmriprep.load_confounds` offered here."""
PRESETS = {
    "simple": ("motion", "wm_csf", "global_signal"),
    "scrubbing": ("motion", "scrub", "fd_threshold", "std_dvars_threshold", "global_signal"),
    "compcor": ("motion", "compcor", "n_compcor", "global_signal"),
}
"""nilearn's preset strategies offered here, with the parameters each accepts."""
_PARAMETER_OF = {"scrub": ("fd_threshold", "std_dvars_threshold"), "compcor": ("n_compcor",)}
_DEFAULT_MODEL = {"motion": "full", "wm_csf": "basic", "global_signal": "basic", "compcor": "anat_combined"}
_UNSUPPORTED = {
    "ica_aroma": "needs fMRIPrep's desc-smoothAROMAnonaggr_bold images",
    "tedana": "needs tedana's desc-optcom_bold images and mixing tables",
    "non_steady_state": "is always applied: fMRIPrep's non-steady-state volumes are censored",
}


def _value(key: str, text: str) -> Any:
    """A strategy parameter's value from its text, checked."""
    if key in ("motion", "wm_csf", "global_signal"):
        if text not in _MODELS:
            raise ValueError(f"confound strategy: {key}={text}: the model must be one of {', '.join(_MODELS)}")
        return text
    if key == "compcor":
        if text not in _COMPCOR:
            raise ValueError(f"confound strategy: compcor={text}: choose one of {', '.join(_COMPCOR)}")
        return text
    if key == "n_compcor":
        if text != "all" and not (text.isdigit() and int(text) >= 1):
            raise ValueError(f"confound strategy: n_compcor={text}: give a number of components (1 or more) or all")
        return text if text == "all" else int(text)
    if key == "scrub":
        if not text.isdigit():
            raise ValueError(f"confound strategy: scrub={text}: give the shortest segment kept, in volumes (0 or more)")
        return int(text)
    try:
        number = float(text)
    except ValueError:
        number = float("nan")
    if not number > 0:
        raise ValueError(f"confound strategy: {key}={text}: give a positive number")
    return number


@dataclass(frozen=True)
class ConfoundStrategy:
    """Which confounds of a run are regressed out (see the module's description).

    Attributes
    ----------
    preset : str or None
        A preset of nilearn's (:data:`PRESETS`).
    components : tuple of str
        Components of nilearn's :func:`~nilearn.interfaces.fmriprep.load_confounds` (:data:`COMPONENTS`).
    parameters : dict
        Their parameters (keyword arguments of nilearn's functions).
    columns : tuple of str
        Columns of the confounds file, instead of a preset or components.
    """

    preset: str | None = None
    components: tuple[str, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    columns: tuple[str, ...] = ()

    @classmethod
    def parse(cls, tokens: Sequence[str]) -> ConfoundStrategy:
        """A strategy from its words: ``["simple"]``, ``["simple", "global_signal=basic"]``, ``["motion=basic",
        "wm_csf", "high_pass"]`` or ``["none"]``.

        Raises
        ------
        ValueError
            Saying which word is wrong and what is accepted.
        """
        tokens = [t.strip() for t in tokens if t.strip()]
        if not tokens:
            raise ValueError("the confound strategy is empty: give a preset (simple), components or none")
        if tokens == ["none"]:
            return cls()
        if "none" in tokens:
            raise ValueError(f"confound strategy {' '.join(tokens)}: 'none' stands alone")
        pairs = [(t.partition("=")[0], t.partition("=")[2] if "=" in t else None) for t in tokens]
        for key, _ in pairs:
            if key in _UNSUPPORTED:
                raise ValueError(f"confound strategy {key} {_UNSUPPORTED[key]}, which this command does not read")
        first, value = pairs[0]
        preset_words = value is None and all(t is not None and k in PRESETS.get(first, ()) for k, t in pairs[1:])
        if first in PRESETS and (first not in COMPONENTS or preset_words):  # "compcor" alone is nilearn's preset
            preset, accepted = first, PRESETS[first]
            if pairs[0][1] is not None:
                raise ValueError(f"confound strategy {tokens[0]}: a preset takes no value; add its parameters after it")
            parameters = {}
            for (key, text), token in zip(pairs[1:], tokens[1:], strict=True):
                if key not in accepted or text is None:
                    raise ValueError(
                        f"confound strategy {preset}: {token!r} is not one of its parameters, given as name=value "
                        f"({', '.join(accepted)})"
                    )
                parameters[key] = _value(key, text)
            return cls(preset=preset, parameters=parameters)
        components, parameters = [], {}
        for key, text in pairs:
            if key in COMPONENTS:
                if key in components:
                    raise ValueError(f"confound strategy: {key} is given twice")
                components.append(key)
                if key == "high_pass" and text is not None:
                    raise ValueError("confound strategy: high_pass takes no value")
                if key != "high_pass":
                    parameters[key] = _DEFAULT_MODEL.get(key, 5) if text is None else _value(key, text)
            elif any(key in names for names in _PARAMETER_OF.values()):
                owner = next(c for c, names in _PARAMETER_OF.items() if key in names)
                if text is None:
                    raise ValueError(f"confound strategy: {key} needs a value ({key}=…)")
                parameters[key] = _value(key, text)
                if owner not in [k for k, _ in pairs]:
                    raise ValueError(
                        f"confound strategy: {key} is a parameter of {owner}, which is not in the strategy"
                    )
            else:
                raise ValueError(
                    f"confound strategy: unknown word {key!r}; give a preset ({', '.join(PRESETS)}), components "
                    f"({', '.join(COMPONENTS)}, e.g. motion=basic wm_csf high_pass) or none"
                )
        if "compcor" in components and "high_pass" not in components:
            raise ValueError(
                "confound strategy: compcor needs high_pass as well (fMRIPrep computes CompCor after its high-pass "
                "filter, so its cosine regressors must be regressed with it): add high_pass"
            )
        return cls(components=tuple(components), parameters=parameters)

    @classmethod
    def from_columns(cls, columns: Sequence[str]) -> ConfoundStrategy:
        """Regress these columns of each run's confounds file."""
        columns = tuple(c.strip() for c in columns if c.strip())
        if not columns:
            raise ValueError("no confound column given: name at least one, or use a strategy")
        return cls(columns=columns)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConfoundStrategy:
        """The strategy :meth:`as_dict` gave."""
        if "columns" in data:
            return cls.from_columns(data["columns"])
        return cls(
            preset=data.get("preset"),
            components=tuple(data.get("components", ())),
            parameters=dict(data.get("parameters", {})),
        )

    @property
    def is_none(self) -> bool:
        """Whether no confound is regressed (the confounds file is not needed)."""
        return self.preset is None and not self.components and not self.columns

    def describe(self) -> str:
        """The strategy in the words it is parsed from (columns comma-separated)."""
        if self.columns:
            return "columns " + ",".join(self.columns)
        if self.is_none:
            return "none"
        words = [self.preset] if self.preset else []
        for key in self.components:
            value = self.parameters.get(key)
            words.append(key if value is None else f"{key}={value}")
        words += [f"{k}={v}" for k, v in self.parameters.items() if k not in self.components]
        return " ".join(words)

    def as_dict(self) -> dict[str, Any]:
        """The strategy as JSON stores it (recorded beside each network, compared when a batch resumes)."""
        if self.columns:
            return {"columns": list(self.columns)}
        if self.preset:
            return {"preset": self.preset, "parameters": dict(self.parameters)}
        return {"components": list(self.components), "parameters": dict(self.parameters)}


def _fill_first_row(table: pd.DataFrame) -> pd.DataFrame:
    """fMRIPrep's derivative columns start with n/a: the first row takes the second row's value, as nilearn does."""
    if len(table) < 2:
        return table
    table = table.copy()
    first = table.iloc[0].isna() & table.iloc[1:].notna().all()
    table.loc[table.index[0], first[first].index] = table.iloc[1][first[first].index]
    return table


def load_run_confounds(
    bold: str | os.PathLike, confounds: str | os.PathLike | None, strategy: ConfoundStrategy, n_volumes: int
) -> tuple[pd.DataFrame | None, np.ndarray | None]:
    """The confounds a strategy takes from a run's fMRIPrep confounds file, and the volumes it keeps.

    Parameters
    ----------
    bold : path
        The run's ``*_desc-preproc_bold.nii.gz`` (nilearn finds the confounds file and its JSON from it).
    confounds : path or None
        The confounds file beside it (None only with the strategy ``none``).
    strategy : ConfoundStrategy
        What to take.
    n_volumes : int
        The image's volumes: the file must have one row per volume.

    Returns
    -------
    table : DataFrame or None
        One row per volume, one column per regressor (None if the strategy takes none).
    sample_mask : ndarray of int or None
        The indices of the volumes kept (non-steady-state and scrubbed volumes left out), or None for all.

    Raises
    ------
    ValueError
        Naming the confounds file: a row count other than the image's volumes, columns the strategy needs and the
        file lacks (with the columns it has), missing values (explicit columns), or nilearn's own refusal.
    """
    import numpy as np
    import pandas as pd

    from .cleaning import check_confounds

    if strategy.is_none:
        return None, None
    if confounds is None:
        raise ValueError(f"{bold} has no confounds file, and confound strategy {strategy.describe()} needs one")
    path = Path(confounds)
    raw = pd.read_csv(path, sep="\t")
    if len(raw) != n_volumes:
        raise ValueError(
            f"confounds file {path} has {len(raw)} rows but its image {bold} has {n_volumes} volumes: one row per "
            "volume is needed. Is it the confounds file of this run (of the fMRIPrep run that wrote the image)?"
        )
    if strategy.columns:
        missing = [c for c in strategy.columns if c not in raw.columns]
        if missing:
            raise ValueError(
                f"confounds file {path} has no column(s) {missing}; it has {list(raw.columns)[:30]}"
                f"{' …' if raw.shape[1] > 30 else ''}: name columns it has (--confound-columns)"
            )
        return check_confounds(_fill_first_row(raw[list(strategy.columns)]), path, n_volumes), None
    from nilearn.interfaces.fmriprep import load_confounds, load_confounds_strategy

    try:
        if strategy.preset:
            table, mask = load_confounds_strategy(str(bold), denoise_strategy=strategy.preset, **strategy.parameters)
        else:
            table, mask = load_confounds(str(bold), strategy=strategy.components, **strategy.parameters)
    except ValueError as exc:
        raise ValueError(
            f"confounds file {path} with confound strategy {strategy.describe()}: {exc} The file has columns "
            f"{list(raw.columns)[:30]}{' …' if raw.shape[1] > 30 else ''}; choose a strategy these columns serve "
            "(--confounds-strategy) or name columns (--confound-columns)"
        ) from None
    mask = None if mask is None or len(mask) == n_volumes else np.asarray(mask, dtype=int)
    if table is None or table.shape[1] == 0:
        return None, mask
    return check_confounds(table.reset_index(drop=True), path, n_volumes), mask
