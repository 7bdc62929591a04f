"""One network from cleaned region signals, as ``zerolag estimate`` and ``zerolag bids`` compute and write it.

:func:`fit_network` takes the region signals (:class:`~zerolag.fmri.parcellation.RegionSignals`, time ×
regions) and :class:`NetworkOptions` (method, optimiser, input covariance, kept fraction, lag diagnostic) and
returns a :class:`NetworkFit`: the network (row = target, column = source), its long table (one row per
directed pair; for the zero-lag estimator also ``weight_normalised`` and ``target_noise_sd``) and the fit's
record (method, options, input covariance, convergence, versions, lag diagnostic). :func:`write_network`
writes the table, the record, the dropped regions and, if asked, the relationship matrix
(:mod:`zerolag.relmat`), each atomically.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .fmri.parcellation import RegionSignals

__all__ = [
    "METHODS",
    "MEASURES",
    "COVARIANCES",
    "NetworkOptions",
    "NetworkFit",
    "fit_network",
    "relmat_metadata",
    "write_network",
]

METHODS = ("zerolag", "ric", "correlation", "partial_correlation", "covariance", "precision")
"""The methods the command line offers (:data:`zerolag.METHODS` less the peers that need the series)."""

COVARIANCES = ("empirical", "long_run", "ledoit_wolf")
"""The inputs a method can be given: the zero-lag sample covariance, the long-run one, or Ledoit-Wolf's."""

MEASURES = {
    "zerolag": "zero-lag effective connectivity (Schiefer et al. 2018): the weight of the L1-sparsest coupling G "
    "with C = (1 - G)^-1 D (1 - G)^-T, divided by the driving-noise standard deviation of the target",
    "ric": "regularised partial correlation as FSLNets' icov computes it (graphical lasso, lambda / 1000)",
    "correlation": "Pearson correlation coefficient",
    "partial_correlation": "partial correlation coefficient",
    "covariance": "covariance",
    "precision": "negated precision, -(C^-1)_ij",
}
"""What each method's weights are (a relationship matrix's ``RelationshipMeasure``)."""


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass(frozen=True)
class NetworkOptions:
    """How a network is estimated from region signals.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    optimizer : {"fast", "paper"} or None
        The zero-lag estimator's optimiser (None: ``"fast"``); ``"paper"`` with its sampled-data tolerances.
    max_iter : int or None
        Cap on the optimiser's iterations (None: the optimiser's).
    lam : float or None
        RIC's regularisation (None: 5, as in the paper).
    covariance : str
        The method's input, one of :data:`COVARIANCES`.
    top_fraction : float
        Fraction of the strongest ``|weights|`` marked as kept: ``round(top_fraction · N²)`` links.
    diagnostic : bool
        Run the lag diagnostic and the fit on the other input it compares with.
    """

    method: str = "zerolag"
    optimizer: str | None = None
    max_iter: int | None = None
    lam: float | None = None
    covariance: str = "empirical"
    top_fraction: float = 0.1
    diagnostic: bool = True

    def check(self) -> None:
        """Refuse an unknown method or input, an option the method does not take, a kept fraction outside (0, 1].

        Raises
        ------
        ValueError
            Naming the option in the command line's terms (``--lam``, ``--optimizer``, …).
        """
        if self.method not in METHODS:
            raise ValueError(f"unknown method {self.method!r}: choose from {', '.join(METHODS)}")
        if self.covariance not in COVARIANCES:
            raise ValueError(f"unknown input covariance {self.covariance!r}: choose from {', '.join(COVARIANCES)}")
        if self.method != "ric" and self.lam is not None:
            raise ValueError(f"--lam is the regularisation of --method ric; --method {self.method} does not take it")
        if self.method != "zerolag":
            options = (("--optimizer", self.optimizer), ("--max-iter", self.max_iter))
            given = [name for name, value in options if value is not None]
            if given:
                raise ValueError(
                    f"{' and '.join(given)} set the optimiser of --method zerolag; --method {self.method} has none"
                )
        if not 0 < self.top_fraction <= 1:
            raise ValueError(f"--top-fraction must lie in (0, 1], got {self.top_fraction}")

    def method_options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`zerolag.estimate` for this method."""
        if self.method == "zerolag":
            options: dict[str, Any] = {"optimizer": self.optimizer or "fast"}
            if self.optimizer == "paper":
                from .estimation.optimizers.paper import DATA_TOLERANCES

                options.update(DATA_TOLERANCES)
            if self.max_iter is not None:
                options["max_iter"] = self.max_iter
            return options
        if self.method == "ric":
            return {"lam": 5.0 if self.lam is None else self.lam}
        return {}


@dataclass
class NetworkFit:
    """A network estimated from region signals, with what is written about it.

    Attributes
    ----------
    g : ndarray (R, R)
        The network over the kept regions: row = target, column = source.
    covariance : ndarray (R, R)
        The method's input.
    table : DataFrame
        One row per directed pair (:func:`zerolag.fmri.group.network_table`, plus ``weight_normalised`` and
        ``target_noise_sd`` for the zero-lag estimator).
    record : dict
        The fit's record: input, method, options, input covariance, samples, cleaning, the optimiser's
        record (``fit``), versions and, if run, the lag diagnostic.
    options : NetworkOptions
        How it was estimated.
    """

    g: np.ndarray
    covariance: np.ndarray
    table: pd.DataFrame
    record: dict
    options: NetworkOptions

    @property
    def converged(self) -> bool | None:
        """Whether the optimiser converged (None for a method without one)."""
        return self.record["fit"].get("converged")

    def not_converged_message(self) -> str | None:
        """The warning, in the command line's terms, for a fit stopped at its iteration cap; None otherwise."""
        if self.converged is not False:
            return None
        info = self.record["fit"]
        return (
            f"the optimiser stopped at its iteration cap ({info.get('n_iter')}) without converging "
            f"(stop reason {info.get('stop_reason')!r}); the estimate is its last iterate. Raise --max-iter"
            + (", or use --optimizer fast" if self.options.optimizer == "paper" else "")
        )


def _covariances(x: np.ndarray, choice: str) -> dict:
    """The input covariance(s): always the zero-lag one, the long-run or Ledoit-Wolf one when asked for."""
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


def _diagnose(
    options: NetworkOptions, x: np.ndarray, g: np.ndarray, bandwidth: int | None, report: Callable[[str], None]
) -> dict:
    """The lag diagnostic, reported, and the network's change when estimated from the other input."""
    import numpy as np

    from .estimation.diagnostics import LagStructureWarning, lag_diagnostic
    from .fmri.group import threshold
    from .methods.registry import estimate

    diagnostic = lag_diagnostic(x, bandwidth=bandwidth)  # the long-run bandwidth, if this run chose it already
    record = diagnostic.as_dict()
    if diagnostic.verdict == "long_run" and options.covariance == "empirical":
        warnings.warn(f"lag diagnostic: {diagnostic.message}", LagStructureWarning, stacklevel=3)
    elif diagnostic.verdict == "long_run":
        report(
            f"lag diagnostic: long_run (agreement {diagnostic.agreement:.2f}, signal-to-noise "
            f"{diagnostic.signal_to_noise:.2g}): the long-run covariance used here is the input these data need"
        )
    else:
        report(f"lag diagnostic: {diagnostic.verdict}: {diagnostic.message}")
    other = "empirical" if options.covariance == "long_run" else "long_run"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g_other, _ = estimate(options.method, _covariances(x, other)[other], **options.method_options())
    except ValueError as exc:  # e.g. a series too short for a long-run covariance of its regions
        record["other_input"] = {"covariance": other, "error": str(exc)}
        return record
    off = ~np.eye(g.shape[0], dtype=bool)
    kept, kept_other = threshold(g, options.top_fraction), threshold(g_other, options.top_fraction)
    union = (kept | kept_other)[off].sum()
    record["other_input"] = {
        "covariance": other,
        "weight_correlation": float(np.corrcoef(g[off], g_other[off])[0, 1]),
        "kept_overlap": float((kept & kept_other)[off].sum() / union) if union else 1.0,
    }
    report(
        f"lag diagnostic: from the {other} covariance the weights correlate "
        f"{record['other_input']['weight_correlation']:.2f} with these, and "
        f"{record['other_input']['kept_overlap']:.0%} of the kept links are shared (Jaccard)"
    )
    return record


def fit_network(
    rs: RegionSignals,
    options: NetworkOptions,
    *,
    source: str | os.PathLike,
    detrend: bool,
    standardize: bool,
    report: Callable[[str], None] = _stderr,
) -> NetworkFit:
    """Estimate the network of cleaned region signals, as ``zerolag estimate`` does.

    Parameters
    ----------
    rs : RegionSignals
        The cleaned signals (time × regions) with their labels and dropped regions
        (:func:`~zerolag.fmri.pipeline.prepare_nifti`, :func:`~zerolag.fmri.pipeline.prepare_timeseries`).
    options : NetworkOptions
        How to estimate (checked first).
    source : path
        The file the signals came from (recorded, and named in errors).
    detrend, standardize : bool
        How the signals were cleaned (recorded).
    report : callable
        Where the lag diagnostic's lines go (default: stderr). A ``LagStructureWarning`` is warned instead
        when the diagnostic asks for the long-run input and the zero-lag one was used.

    Returns
    -------
    NetworkFit

    Raises
    ------
    ValueError
        Fewer than 2 regions left (naming the dropped ones), a bad option, or a covariance the method refuses.
    """
    import numpy as np
    import scipy

    from . import __version__
    from .estimation.fit import NotConvergedWarning, normalised_connectivity
    from .fmri.group import network_table
    from .methods.registry import estimate

    options.check()
    x = rs.signals
    if x.shape[1] < 2 and not len(rs.dropped):
        raise ValueError(f"{source} has {x.shape[1]} region (column): a network needs at least 2 regions")
    if x.shape[1] < 2:
        reasons = "; ".join(f"{r['name']}: {r['reason']}" for _, r in rs.dropped.head(5).iterrows())
        raise ValueError(
            f"{source} leaves {x.shape[1]} region(s) after dropping {len(rs.dropped)} ({reasons}"
            f"{' …' if len(rs.dropped) > 5 else ''}): a network needs at least 2 regions"
        )
    inputs = _covariances(x, options.covariance)
    covariance = inputs[options.covariance]
    with warnings.catch_warnings():  # the caller says it in its own terms (converged, n_iter)
        warnings.simplefilter("ignore", NotConvergedWarning)
        g, info = estimate(options.method, covariance, **options.method_options())
    shrinkage = inputs.get("ledoit_wolf_shrinkage")
    record = {
        "input": str(source),
        "method": options.method,
        "options": options.method_options(),
        "covariance": options.covariance,
        "long_run_bandwidth": inputs.get("long_run_bandwidth"),
        "ledoit_wolf_shrinkage": None if shrinkage is None else float(shrinkage),
        "n_samples": int(x.shape[0]),
        "n_regions": int(x.shape[1]),
        "detrend": detrend,
        "standardize": standardize,
        "top_fraction": options.top_fraction,
        "fit": info,
        "versions": {"zerolag": __version__, "numpy": np.__version__, "scipy": scipy.__version__},
    }
    if options.diagnostic:
        record["lag_diagnostic"] = _diagnose(options, x, g, inputs.get("long_run_bandwidth"), report)
    table = network_table(g, rs.labels, options.top_fraction, name="weight")
    if options.method == "zerolag":  # the weight divided by σ_target; beside it, the weight in the units of G
        g_norm, noise_sd = normalised_connectivity(g, covariance)
        off = ~np.eye(g.shape[0], dtype=bool)
        at = table.columns.get_loc("weight") + 1
        table.insert(at, "weight_normalised", g_norm[off])
        table.insert(at + 1, "target_noise_sd", np.broadcast_to(noise_sd[:, None], g.shape)[off])
    floats = table.select_dtypes("float").columns
    table[floats] = table[floats] + 0.0  # no "-0"; floats are written shortest-exact (0.3, not 0.29999999999999999)
    return NetworkFit(g=g, covariance=covariance, table=table, record=record, options=options)


def relmat_metadata(fit: NetworkFit, rs: RegionSignals, *, description: str, sources: list[str]) -> dict[str, Any]:
    """The relationship matrix's sidecar fields beyond those :func:`~zerolag.relmat.write_relmat` sets.

    Parameters
    ----------
    fit : NetworkFit
        The network.
    rs : RegionSignals
        Its signals (their confounds are recorded).
    description : str
        The sidecar's ``Description``.
    sources : list of str
        The input files (``Sources``).

    Returns
    -------
    dict
        ``Description``, ``Sources``, ``Method``, ``Optimizer`` and ``OptimizerParameters``, ``Covariance``,
        ``LongRunBandwidth``, ``LedoitWolfShrinkage``, ``NumberOfSamples``, ``Detrend``, ``Standardize``,
        ``Confounds``.
    """
    options = fit.options.method_options()
    record = fit.record
    return {
        "Description": description,
        "Sources": sources,
        "Method": fit.options.method,
        "Optimizer": options.get("optimizer"),
        "OptimizerParameters": {k: v for k, v in options.items() if k != "optimizer"},
        "Covariance": fit.options.covariance,
        "LongRunBandwidth": record["long_run_bandwidth"],
        "LedoitWolfShrinkage": record["ledoit_wolf_shrinkage"],
        "NumberOfSamples": record["n_samples"],
        "Detrend": record["detrend"],
        "Standardize": record["standardize"],
        "Confounds": rs.record.get("confounds", []),
    }


def write_network(
    fit: NetworkFit,
    rs: RegionSignals,
    *,
    table: str | os.PathLike,
    record: str | os.PathLike,
    dropped: str | os.PathLike | None = None,
    relmat: str | os.PathLike | None = None,
    nodes: pd.DataFrame | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> tuple[Path, Path] | None:
    """Write a fitted network's files, each atomically, the relationship matrix's sidecar last.

    Parameters
    ----------
    fit : NetworkFit
        The network.
    rs : RegionSignals
        Its signals (labels and dropped regions).
    table : path
        The long table (``.csv`` or ``.tsv``, by its suffix).
    record : path
        The fit's record (JSON).
    dropped : path, optional
        The dropped regions with the reason (TSV), written only if any region was dropped.
    relmat : path, optional
        Prefix of the relationship matrix (``<relmat>_relmat.tsv`` and its ``_relmat.json`` sidecar).
    nodes : DataFrame, optional
        ``index`` and ``name`` of every region the matrix has a row for (default: the kept and dropped ones).
    metadata : mapping, optional
        Further sidecar fields (:func:`relmat_metadata`, the atlas, …).

    Returns
    -------
    (Path, Path) or None
        The relationship matrix and its sidecar, if written.
    """
    import pandas as pd

    from .fmri.labels import write_labels
    from .io import atomic_write, save_json
    from .methods.registry import DIRECTED
    from .relmat import write_relmat

    table = Path(table)
    sep = "\t" if table.suffix.lower() == ".tsv" else ","
    atomic_write(table, lambda tmp: fit.table.to_csv(tmp, sep=sep, index=False))
    save_json(record, fit.record)
    if dropped is not None and len(rs.dropped):
        write_labels(dropped, rs.dropped)
    if relmat is None:
        return None
    if nodes is None:  # a table's regions are numbered by column
        nodes = pd.concat([rs.labels, rs.dropped], ignore_index=True).sort_values("index", kind="stable")
    return write_relmat(
        relmat,
        fit.g,
        rs.labels,
        measure=MEASURES[fit.options.method],
        directed=fit.options.method in DIRECTED,
        nodes=nodes,
        dropped=rs.dropped,
        metadata=metadata,
    )
