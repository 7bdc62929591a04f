"""``zerolag estimate --bootstrap N --surrogates M``: which links the data support, as columns of the table.

The options, their checks (before anything is computed), and the run: :func:`zerolag.bootstrap_connectivity`
on the cleaned region signals, its statistics as columns beside ``weight`` (``ci_low``, ``ci_high``,
``bootstrap_sd``, ``sign_stability``, ``selection_frequency``, and with surrogates ``p`` and ``q``), and its
settings in the fit record. A progress line on a terminal; nothing when stderr is a file or a pipe.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["COLUMNS", "add_arguments", "check", "run"]

COLUMNS = {
    "ci_low": "ci_low",
    "ci_high": "ci_high",
    "sd": "bootstrap_sd",
    "sign_stability": "sign_stability",
    "selection_frequency": "selection_frequency",
    "p": "p",
    "q": "q",
}
"""Statistic of :class:`~zerolag.BootstrapResult` → its column in the network table."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The resampling options of ``zerolag estimate``."""
    group = parser.add_argument_group(
        "which links the data support (--method zerolag, the zero-lag covariance)",
        "Block-bootstrap resamples over time give per link a percentile interval, the sign stability and the "
        "selection frequency; phase-randomised surrogates (each region's spectrum kept, every coupling removed; or, "
        "with --null-model network, the fitted network's strongest links kept) give p-values and "
        "Benjamini-Hochberg q-values. Columns beside weight: ci_low, ci_high, bootstrap_sd, sign_stability, "
        "selection_frequency, p, q.",
    )
    group.add_argument("--bootstrap", type=int, default=0, metavar="N", help="block-bootstrap resamples (e.g. 1000)")
    group.add_argument("--surrogates", type=int, default=0, metavar="M", help="surrogates for p and q (e.g. 1000)")
    group.add_argument(
        "--block-length",
        type=int,
        default=None,
        help="bootstrap block length in time points (default: from the data's autocorrelation)",
    )
    group.add_argument("--confidence", type=float, default=0.95, help="level of the interval [ci_low, ci_high]")
    group.add_argument(
        "--null",
        choices=("per_link", "pooled"),
        default="per_link",
        help="p-value of a link against its own surrogate values (never below 1 / (1 + M)) or every link's (pooled: "
        "the resolution FDR over thousands of links needs; valid when the regions' spectra are alike)",
    )
    group.add_argument(
        "--null-model",
        choices=("independent", "network"),
        default="independent",
        help="what the surrogates keep: independent regions (the null G = 0; default: on a coupled network its q "
        "declares too many absent links), or the fitted network's strongest --top-fraction links with its "
        "innovations phase-randomised (the null of an absent link in this network, closer to its level in the "
        "calibration of docs/RESULTS.md; with --null pooled, the resolution FDR needs)",
    )
    group.add_argument("--jobs", type=int, default=1, help="processes for the refits (-1: every core)")
    group.add_argument("--seed", type=int, default=0, help="seed of the resamples and surrogates")


def check(args: argparse.Namespace) -> None:
    """Refuse resampling options that cannot work, before anything is read or computed."""
    if args.bootstrap < 0 or args.surrogates < 0:
        raise ValueError("--bootstrap and --surrogates count resamples: give 0 (none) or a positive number")
    asked = args.bootstrap or args.surrogates
    if not asked:
        options = (
            ("--block-length", args.block_length),
            ("--null", None if args.null == "per_link" else args.null),
            ("--null-model", None if args.null_model == "independent" else args.null_model),
        )
        given = [name for name, value in options if value is not None]
        if given:
            raise ValueError(f"{given[0]} sets the resampling: add --bootstrap N or --surrogates M")
        return
    if args.null_model != "independent" and not args.surrogates:
        raise ValueError(f"--null-model {args.null_model} draws its null from surrogates: add --surrogates M")
    if args.method != "zerolag":
        raise ValueError(f"--bootstrap and --surrogates resample the zero-lag estimator; --method {args.method} is not")
    if args.covariance != "empirical":
        raise ValueError(
            f"--bootstrap and --surrogates resample the zero-lag sample covariance; --covariance {args.covariance} "
            "is not supported with them (drop one of the two)"
        )


def _progress(stream: TextIO) -> Any:
    if not stream.isatty():
        return None

    def show(kind: str, done: int, total: int) -> None:
        width = 30
        bar = "#" * round(width * done / total)
        stream.write(f"\r{kind}s {bar:<{width}} {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def run(args: argparse.Namespace, x: np.ndarray, options: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The resampling columns (rows in the network table's order) and the fit record's ``resampling`` entry.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    x : array of shape (T, N)
        The cleaned region signals the network was estimated from.
    options : dict
        The estimator's options (``optimizer``, ``max_iter`` …).
    """
    import numpy as np
    import pandas as pd

    from .estimation.resampling import bootstrap_connectivity

    result = bootstrap_connectivity(
        x,
        n_resamples=args.bootstrap,
        n_surrogates=args.surrogates,
        block_length=args.block_length,
        confidence=args.confidence,
        top_fraction=args.top_fraction,
        random_state=args.seed,
        n_jobs=args.jobs,
        standardize=not args.no_standardize,
        progress=_progress(sys.stderr),
        null_distribution=args.null,
        null_model=args.null_model,
        **options,
    )
    off = ~np.eye(x.shape[1], dtype=bool)
    columns = pd.DataFrame(
        {name: getattr(result, key)[off] for key, name in COLUMNS.items() if getattr(result, key) is not None}
    )
    record = {**result.settings(), "seed": args.seed, "null_distribution": args.null}
    if result.selection_frequency is not None:
        record["stability_selection"] = {
            str(level): {
                "links": int(result.stable_links(level).sum()),
                "expected_false_selections_bound": result.expected_false_selections(level),
            }
            for level in (0.6, 0.8, 0.9)
        }
    if result.q is not None:
        record["links_at_q"] = {str(level): int((result.q[off] <= level).sum()) for level in (0.01, 0.05, 0.1)}
    return columns, record
