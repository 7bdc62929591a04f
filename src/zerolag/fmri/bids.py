"""The preprocessed BOLD runs of an fMRIPrep-style derivatives tree, with their BIDS entities and confounds files.

fMRIPrep writes, per run, ``sub-<label>/[ses-<label>/]func/sub-<label>[_ses-<label>]_task-<label>[_acq-<label>]
[_run-<index>]_space-<template>[_res-<n>]_desc-preproc_bold.nii.gz`` and, beside it, the confounds of the run
(in no space): the same entities without ``space``/``cohort``/``res``/``den``, ``_desc-confounds_timeseries.tsv``
(``_desc-confounds_regressors.tsv`` before fMRIPrep 20.2) with its ``.json``. :func:`find_runs` finds those
runs (file names are read with :func:`parse_bids_name`, a small regex-based parser of BIDS names; no pybids),
keeps those a :class:`RunFilter` selects (subjects, sessions, tasks, runs, space: any ``MNI152*`` by default)
and pairs each with its confounds file. A tree without a matching run, runs of one name in two images, and
runs in more than one space are refused, saying what was found and how to choose.

Nothing here reads an image: the module imports no NIfTI or neuroimaging package.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "BidsName",
    "BidsRun",
    "RunFilter",
    "SPACE_ENTITIES",
    "parse_bids_name",
    "find_runs",
    "require_confounds",
]

_ENTITY = re.compile(r"^(?P<key>[a-zA-Z]+)-(?P<value>[a-zA-Z0-9]+)$")
_SUFFIX = re.compile(r"^[a-zA-Z0-9]+$")
_BOLD = "_desc-preproc_bold.nii.gz"
SPACE_ENTITIES = ("space", "cohort", "res", "den")
"""Entities of a run's image that name its space (the run's confounds file has none of them)."""
_NOT_RUN = (*SPACE_ENTITIES, "desc")  # entities that do not identify the run


@dataclass(frozen=True)
class BidsName:
    """A BIDS file name taken apart: ``sub-01_task-rest_desc-preproc_bold.nii.gz``.

    Attributes
    ----------
    entities : tuple of (str, str)
        ``(key, value)`` pairs in file order, e.g. ``(("sub", "01"), ("task", "rest"), ("desc", "preproc"))``.
    suffix : str
        ``"bold"``.
    extension : str
        ``".nii.gz"`` (everything from the first dot).
    """

    entities: tuple[tuple[str, str], ...]
    suffix: str
    extension: str

    def get(self, key: str) -> str | None:
        """The value of an entity, or None."""
        return dict(self.entities).get(key)

    def name(self, *, drop: Sequence[str] = (), add: Sequence[tuple[str, str]] = (), suffix: str = "") -> str:
        """The entities (less ``drop``, then ``add``) joined as in a file name, then ``_suffix`` if given."""
        pairs = [(k, v) for k, v in self.entities if k not in drop] + list(add)
        return "_".join([f"{k}-{v}" for k, v in pairs] + ([suffix] if suffix else []))


def parse_bids_name(name: str) -> BidsName | None:
    """Take a BIDS file name apart into entities, suffix and extension (None if it is not one).

    A BIDS name is ``key-value`` pairs (keys letters, values letters and digits) joined by ``_``, starting with
    ``sub-``, then ``_suffix`` and the extension. Keys may not repeat.

    Parameters
    ----------
    name : str
        A file name (a path's last part), e.g.
        ``sub-01_ses-1_task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz``.

    Returns
    -------
    BidsName or None
    """
    stem, dot, rest = name.partition(".")
    parts = stem.split("_")
    if not dot or len(parts) < 2 or not _SUFFIX.match(parts[-1]):
        return None
    pairs = []
    for part in parts[:-1]:
        m = _ENTITY.match(part)
        if m is None:
            return None
        pairs.append((m["key"], m["value"]))
    keys = [k for k, _ in pairs]
    if keys[0] != "sub" or len(set(keys)) != len(keys):
        return None
    return BidsName(entities=tuple(pairs), suffix=parts[-1], extension=dot + rest)


@dataclass(frozen=True)
class BidsRun:
    """One preprocessed BOLD run of a derivatives tree.

    Attributes
    ----------
    bold : Path
        The ``*_desc-preproc_bold.nii.gz`` image.
    parsed : BidsName
        Its name taken apart.
    confounds : Path or None
        Its confounds file (``*_desc-confounds_timeseries.tsv``, or the older ``*_regressors.tsv``), if present.
    """

    bold: Path
    parsed: BidsName
    confounds: Path | None

    @property
    def subject(self) -> str:
        return self.parsed.get("sub") or ""

    @property
    def session(self) -> str | None:
        return self.parsed.get("ses")

    @property
    def task(self) -> str | None:
        return self.parsed.get("task")

    @property
    def acquisition(self) -> str | None:
        return self.parsed.get("acq")

    @property
    def run(self) -> str | None:
        return self.parsed.get("run")

    @property
    def space(self) -> str:
        """The image's space as fMRIPrep's ``--output-spaces`` spells it: ``MNI152NLin2009cAsym[:res-2]``."""
        parts = [f"{k}-{v}" for k, v in self.parsed.entities if k in SPACE_ENTITIES[1:]]
        return ":".join([self.parsed.get("space") or "", *parts])

    @property
    def name(self) -> str:
        """The run's entities without its space and description, e.g. ``sub-01_ses-1_task-rest_run-1``."""
        return self.parsed.name(drop=_NOT_RUN)

    @property
    def label(self) -> str:
        """The run's entities separated by spaces, for messages: ``sub-01 ses-1 task-rest run-1``."""
        return self.name.replace("_", " ")

    @property
    def expected_confounds(self) -> Path:
        """Where fMRIPrep writes the run's confounds file."""
        return self.bold.with_name(
            self.parsed.name(drop=_NOT_RUN, add=[("desc", "confounds")], suffix="timeseries") + ".tsv"
        )


def _strip(values: Sequence[str], key: str) -> tuple[str, ...]:
    """Filter values without their ``key-`` prefix (``sub-01`` and ``01`` are the same subject)."""
    return tuple(str(v).removeprefix(f"{key}-") for v in values)


def _run_index(value: str, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a run index (a number such as 1 or 01)") from None


@dataclass(frozen=True)
class RunFilter:
    """Which runs of a tree to use; an empty selection takes every value.

    Attributes
    ----------
    subjects, sessions, tasks, runs : tuple of str
        Labels, with or without their prefix (``01`` or ``sub-01``); runs compare as numbers (``1`` = ``01``).
    space : str or None
        ``MNI152NLin2009cAsym`` (any resolution) or ``MNI152NLin2009cAsym:res-2`` (fMRIPrep's spelling);
        None takes any ``MNI152*`` space, and then all runs must be in one.
    """

    subjects: tuple[str, ...] = ()
    sessions: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    runs: tuple[str, ...] = ()
    space: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "subjects", _strip(self.subjects, "sub"))
        object.__setattr__(self, "sessions", _strip(self.sessions, "ses"))
        object.__setattr__(self, "tasks", _strip(self.tasks, "task"))
        object.__setattr__(self, "runs", _strip(self.runs, "run"))
        for value in self.runs:
            _run_index(value, "run")

    def matches(self, run: BidsRun) -> bool:
        """Whether a run is selected."""
        if self.subjects and run.subject not in self.subjects:
            return False
        if self.sessions and run.session not in self.sessions:
            return False
        if self.tasks and run.task not in self.tasks:
            return False
        if self.runs:
            index = run.run or ""
            if not index.isdigit() or int(index) not in {int(r) for r in self.runs}:
                return False
        if self.space is None:
            return run.space.startswith("MNI152")
        return run.space == self.space if ":" in self.space else run.space.split(":")[0] == self.space

    def describe(self) -> str:
        """The selection in words, e.g. ``subjects 01, 02; task rest; space MNI152* (any)``."""
        parts = [
            f"{what} {', '.join(values)}"
            for what, values in (
                ("subjects", self.subjects),
                ("sessions", self.sessions),
                ("tasks", self.tasks),
                ("runs", self.runs),
            )
            if values
        ]
        parts.append(f"space {self.space}" if self.space else "space MNI152* (any)")
        return "; ".join(parts)


def _found(runs: Sequence[BidsRun]) -> str:
    """What a list of runs holds, by entity: ``subjects 01, 02; tasks rest; spaces T1w``."""

    def values(get) -> str:
        found = sorted({get(r) for r in runs if get(r) is not None}, key=lambda v: (len(v), v))
        return ", ".join(found[:12]) + (f" … ({len(found)} in all)" if len(found) > 12 else "")

    parts = [f"subjects {values(lambda r: r.subject)}"]
    for what, get in (
        ("sessions", lambda r: r.session),
        ("tasks", lambda r: r.task),
        ("runs", lambda r: r.run),
        ("spaces", lambda r: r.space or "none"),
    ):
        if any(get(r) is not None for r in runs):
            parts.append(f"{what} {values(get)}")
    return "; ".join(parts)


def _bold_images(root: Path) -> list[tuple[Path, BidsName]]:
    """The ``*_desc-preproc_bold.nii.gz`` images under ``sub-*/[ses-*/]func/`` whose names parse and fit their
    folders."""
    found = []
    for path in sorted([*root.glob(f"sub-*/func/*{_BOLD}"), *root.glob(f"sub-*/ses-*/func/*{_BOLD}")]):
        parsed = parse_bids_name(path.name)
        folders = path.relative_to(root).parts[:-2]  # sub-X or sub-X, ses-Y
        if parsed is None or parsed.suffix != "bold":
            continue
        if folders != tuple(f"{k}-{parsed.get(k)}" for k in ("sub", "ses") if parsed.get(k) is not None):
            continue
        found.append((path, parsed))
    return found


def _pair_confounds(bold: Path, parsed: BidsName) -> Path | None:
    stem = parsed.name(drop=_NOT_RUN, add=[("desc", "confounds")])
    candidates = [bold.with_name(f"{stem}_{suffix}.tsv") for suffix in ("timeseries", "regressors")]
    present = [p for p in candidates if p.is_file()]
    if len(present) > 1:
        raise ValueError(
            f"{bold} has two confounds files, {present[0]} and the older name {present[1]}: keep the one of the "
            "fMRIPrep run that wrote the image and remove the other"
        )
    return present[0] if present else None


def find_runs(root: str | os.PathLike, selection: RunFilter | None = None) -> list[BidsRun]:
    """The preprocessed BOLD runs of a derivatives tree that ``selection`` keeps, paired with their confounds.

    Parameters
    ----------
    root : path
        fMRIPrep's output directory (the folder holding the ``sub-*`` folders).
    selection : RunFilter, optional
        Subjects, sessions, tasks, runs and space (default: every run in an ``MNI152*`` space).

    Returns
    -------
    list of BidsRun
        Sorted by path; ``confounds`` is None for a run without a confounds file (:func:`require_confounds`).

    Raises
    ------
    ValueError
        Naming the directory or files: no such directory; no preprocessed BOLD image in it (a raw BIDS dataset
        is recognised); no run matching the selection (with what the tree holds); runs in more than one space
        without ``selection.space``; two images of one run; two confounds files of one run.
    """
    selection = selection or RunFilter()
    root = Path(root)
    if not root.is_dir():
        raise ValueError(f"derivatives directory {root} does not exist: give fMRIPrep's output directory")
    images = _bold_images(root)
    if not images:
        raw = sorted(root.glob("sub-*/**/func/*_bold.nii*"))
        hint = (
            f"; it holds {len(raw)} raw BOLD image(s) such as {raw[0].relative_to(root)}, so it looks like the raw "
            "BIDS dataset: run fMRIPrep on it and give its output directory"
            if raw
            else ": give fMRIPrep's output directory (the folder with its sub-* folders)"
        )
        raise ValueError(f"{root} holds no preprocessed BOLD image (sub-*/[ses-*/]func/*{_BOLD}){hint}")
    every = [BidsRun(bold=path, parsed=parsed, confounds=None) for path, parsed in images]
    runs = [r for r in every if selection.matches(r)]
    if not runs:
        raise ValueError(
            f"no run under {root} matches the selection ({selection.describe()}); its {len(every)} preprocessed "
            f"BOLD image(s) have {_found(every)}. Change the selection (command line: --participant-label, "
            "--session, --task, --run, --space; workflow: participant_label, session, task, run, space)"
        )
    spaces = sorted({r.space for r in runs})
    if selection.space is None and len(spaces) > 1:
        counts = ", ".join(f"{s} ({sum(r.space == s for r in runs)} runs)" for s in spaces)
        raise ValueError(
            f"the matching runs under {root} are in {len(spaces)} spaces: {counts}; the networks of one batch must "
            f"share one space: choose it (command line: --space {spaces[0]}; workflow: space: {spaces[0]})"
        )
    by_name: dict[str, list[BidsRun]] = {}
    for r in runs:
        by_name.setdefault(r.name, []).append(r)
    for name, same in by_name.items():
        if len(same) > 1:
            files = ", ".join(f"{r.bold} ({r.space})" for r in same)
            raise ValueError(
                f"run {name} has {len(same)} images: {files}; choose one space and resolution "
                f"(command line: --space {same[0].space}; workflow: space: {same[0].space})"
            )
    return [BidsRun(bold=r.bold, parsed=r.parsed, confounds=_pair_confounds(r.bold, r.parsed)) for r in runs]


def require_confounds(runs: Sequence[BidsRun]) -> None:
    """Refuse runs without a confounds file, naming each image and the file expected beside it.

    Raises
    ------
    ValueError
        If any run has no confounds file.
    """
    missing = [r for r in runs if r.confounds is None]
    if not missing:
        return
    listed = "; ".join(f"{r.bold} needs {r.expected_confounds}" for r in missing[:5])
    more = f" (and {len(missing) - 5} more runs)" if len(missing) > 5 else ""
    raise ValueError(
        f"{len(missing)} run(s) have no confounds file: {listed}{more}. fMRIPrep writes it beside the image (older "
        "versions as *_desc-confounds_regressors.tsv, also accepted): copy it from fMRIPrep's output, or estimate "
        "without confound regression (command line: --confounds-strategy none; workflow: confounds_strategy: [none])"
    )
