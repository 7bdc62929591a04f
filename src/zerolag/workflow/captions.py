"""What a run measured, as caption sentences: every outcome a caption states is computed here from its table.

A figure's caption (``workflow/report/<name>.rst``) describes the set-up from the config; the sentences
about the outcome come from :data:`FACTS`, written by the rule ``<name>_facts`` to
``results/captions/<name>.rst`` and included at the end of the caption. So a caption cannot claim what its
run did not show: at another scale or seed the sentence changes with the table.

Each function takes the figure's table (the CSV the workflow wrote) and returns reStructuredText.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..io import atomic_write

__all__ = ["FACTS", "facts", "write_facts", "capped_fits", "PAPER_FIG3B"]

PAPER_FIG3B = {"p": 0.21, "fn_share": 0.142, "fp_share": 0.033, "sign_accuracy": 0.9}
"""The paper's Results on Fig. 3B: at p = 0.21, 14.2 % false negatives, 3.3 % false positives (shares of
all entries), more than 90 % of the true positives with the correct sign."""


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _mean_sd(values: pd.Series) -> str:
    values = values.dropna()
    if len(values) == 0:
        return "n/a"
    if len(values) == 1:
        return f"{values.iloc[0]:.3f}"
    return f"{values.mean():.3f} ± {values.std():.3f}"


def _methods(table: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(table["method"]))


def capped_fits(table: pd.DataFrame) -> str:
    """How many fits of each optimiser-based method stopped at the iteration cap instead of converging."""
    if "stop_reason" not in table:
        return ""
    parts = []
    for method in _methods(table):
        reasons = table.loc[table["method"] == method, "stop_reason"].dropna()
        reasons = reasons[reasons.astype(str) != ""]
        if len(reasons) == 0:
            continue
        capped = int((reasons == "max_iter").sum())
        parts.append(f"``{method}`` in {capped} of {len(reasons)} fits ({_pct(capped / len(reasons))})")
    if not parts:
        return ""
    return (
        "Optimiser status (this run): stopped at the iteration cap without meeting the convergence test: "
        + "; ".join(parts)
        + ". A capped fit returns its last iterate, as the authors' code does."
    )


def _scores_by_method(table: pd.DataFrame, keys=("auc", "prs", "pcc")) -> str:
    n = table.groupby("method", sort=False).size()
    parts = [
        f"``{m}`` " + ", ".join(f"{k.upper()} {_mean_sd(table.loc[table['method'] == m, k])}" for k in keys)
        for m in _methods(table)
    ]
    count = f"{n.min()} network(s)" if n.min() == n.max() else f"{n.min()}–{n.max()} networks"
    return f"Measured (mean ± sd over {count}): " + "; ".join(parts) + "."


def fig2(table: pd.DataFrame) -> str:
    rows = [
        f"``{r.method}`` AUC {r.auc:.3f}, PRS {r.prs:.3f}, PCC {r.pcc:.3f} over the off-diagonal entries "
        f"({r.pcc_all:.3f} over all N² entries, the paper's arithmetic)"
        for r in table.itertuples()
    ]
    return " ".join(["Measured: " + "; ".join(rows) + ".", capped_fits(table)]).strip()


def fig3(table: pd.DataFrame) -> str:
    out = [capped_fits(table)]
    at = table[(table["panel"] == "B") & np.isclose(table["value"], PAPER_FIG3B["p"])]
    if len(at):
        out.insert(
            0,
            f"At p = {PAPER_FIG3B['p']} (panel B, {len(at)} networks, strongest "
            f"{_pct(at['top_fraction'].iloc[0])} of N² entries): false negatives {_pct(at['fn_share'].mean())} and "
            f"false positives {_pct(at['fp_share'].mean())} of all entries, correct sign for "
            f"{_pct(at['sign_accuracy'].mean())} of the true positives (the paper: "
            f"{_pct(PAPER_FIG3B['fn_share'])}, {_pct(PAPER_FIG3B['fp_share'])}, more than "
            f"{_pct(PAPER_FIG3B['sign_accuracy'])}).",
        )
    else:
        out.insert(0, f"p = {PAPER_FIG3B['p']}, where the paper quotes its error shares, is not a point of this run.")
    return " ".join(s for s in out if s)


def fig4(table: pd.DataFrame) -> str:
    first = _methods(table)[0]
    out = []
    for panel, label in (("A", "σ"), ("B", "observed fraction")):
        part = table[(table["panel"] == panel) & (table["method"] == first)]
        if len(part):
            means = part.groupby("value")["auc"].mean()
            out.append(
                f"Panel {panel}, ``{first}``: mean AUC {means.iloc[0]:.3f} at {label} = {means.index[0]:g} and "
                f"{means.iloc[-1]:.3f} at {label} = {means.index[-1]:g}."
            )
    return " ".join([*out, capped_fits(table)]).strip()


def fig5(table: pd.DataFrame) -> str:
    out = []
    for method in _methods(table):
        means = table[table["method"] == method].groupby(["duration_s", "tau_s"])["auc"].mean().unstack("tau_s")
        best = ", ".join(f"T = {d:g} s: τ = {means.loc[d].idxmax():g} s" for d in means.index)
        rising = int(sum((means[t].diff().dropna() >= 0).all() for t in means.columns))
        out.append(
            f"``{method}``: the τ of the highest mean AUC at each length — {best}; the AUC does not fall "
            f"with length at {rising} of {len(means.columns)} τ values; at the longest length the mean AUC "
            f"runs from {means.iloc[-1].min():.3f} to {means.iloc[-1].max():.3f} across τ."
        )
    out.append(
        "The paper reports better results for slower temporal dynamics (larger τ) at its own grid, which it "
        "does not give; compare the τ above."
    )
    return " ".join([*out, capped_fits(table)]).strip()


def fig7(table: pd.DataFrame) -> str:
    return " ".join([_scores_by_method(table), capped_fits(table)]).strip()


def fig8(table: pd.DataFrame) -> str:
    out = []
    orders = table["order"].unique() if "order" in table else ["symmetrise_first"]
    for order in orders:
        part = table[table["order"] == order] if "order" in table else table
        label = (
            "symmetrised, then thresholded (the paper's way)"
            if order == "symmetrise_first"
            else ("thresholded, then symmetrised (our variant)")
        )
        out.append(
            f"{label}: on average {part['both'].mean():.1f} pairs in both, {part['neither'].mean():.1f} in "
            f"neither, agreement on {part['agree'].mean():.1f} of {int(part['pairs'].iloc[0])} "
            f"({_pct((part['agree'] / part['pairs']).mean())}), {len(part)} subjects"
        )
    return "Measured, " + "; ".join(out) + "."


def freq(table: pd.DataFrame) -> str:
    means = table.groupby(["band", "f_low", "f_high", "scored_against"], sort=False)["auc"].mean()
    parts = [f"{lo:g}–{hi:g} Hz against the {target}: AUC {auc:.3f}" for (_, lo, hi, target), auc in means.items()]
    return "Measured (mean over repetitions): " + "; ".join(parts) + "."


LAG_KIND_NAMES = {"iid": "independent samples", "ar1": "AR(1)", "ou": "OU without HRF", "bold": "OU + HRF"}
"""How a caption names the lag-inputs figure's kinds of data."""


def lag_inputs(table: pd.DataFrame) -> str:
    lag = table[table["panel"] == "lag"]
    noise = table[table["panel"] == "noise"]
    out = []
    if len(lag):
        longest = lag["n_samples"].max()
        last = lag[lag["n_samples"] == longest]
        n_nets = last.groupby(["kind", "input"]).size()
        parts = []
        for kind in dict.fromkeys(lag["kind"]):
            mean = last[last["kind"] == kind].groupby("input")["auc"].mean()
            lr = last[(last["kind"] == kind) & (last["input"] == "long_run")]
            clipped = int(lr["bandwidth_clipped"].astype(bool).sum()) if "bandwidth_clipped" in lr else 0
            note = f", clipped in {clipped} of {len(lr)}" if clipped else ""
            reference = ""
            if "partial_correlation_auc" in last:
                pc = last[last["kind"] == kind].groupby("input")["partial_correlation_auc"].mean()
                reference = (
                    f"; partial correlation {pc.get('zero_lag', np.nan):.3f} and {pc.get('long_run', np.nan):.3f}"
                )
            parts.append(
                f"{LAG_KIND_NAMES.get(kind, kind)} {mean.get('zero_lag', np.nan):.3f} (zero-lag) and "
                f"{mean.get('long_run', np.nan):.3f} (long-run, median bandwidth {lr['bandwidth'].median():.0f}"
                f"{note}{reference})"
            )
        count = f"{n_nets.min()}" if n_nets.min() == n_nets.max() else f"{n_nets.min()}–{n_nets.max()}"
        out.append(
            f"Measured, mean AUC at the longest length ({longest:,.0f} samples, {count} networks): "
            + "; ".join(parts)
            + "."
        )
        one = lag[lag["input"] == lag["input"].iloc[0]]  # one diagnostic per series and length
        verdicts = []
        for kind in dict.fromkeys(one["kind"]):
            part = one[one["kind"] == kind]
            counts = part["verdict"].value_counts()
            listed = ", ".join(f"``{v}`` {c}" for v, c in counts.items())
            at_last = part[part["n_samples"] == longest]["agreement"].mean()
            verdicts.append(
                f"{LAG_KIND_NAMES.get(kind, kind)} {listed} of {len(part)} (agreement at the longest length "
                f"{at_last:.2f})"
            )
        out.append("Lag diagnostic's verdicts over every length and network: " + "; ".join(verdicts) + ".")
    if len(noise):
        means = noise.groupby(["spread", "output"], sort=False)[["auc", "median_link_error"]].mean()
        cells = []
        for spread in (noise["spread"].min(), noise["spread"].max()):
            at = means.loc[spread]
            cells.append(
                f"at s = {spread:g}, "
                + ", ".join(
                    f"{o} AUC {r['auc']:.3f} (median error {r['median_link_error']:.2g})" for o, r in at.iterrows()
                )
            )
        out.append("Unequal driving noise (mean over networks): " + "; ".join(cells) + ".")
    return " ".join([*out, capped_fits(table)]).strip()


def _count(n: int, what: str) -> str:
    """``1 network``, ``3 networks``."""
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _span(values: pd.Series, fmt: str = ".2f") -> str:
    """``a–b`` (or ``a`` when all equal) of the finite values."""
    values = values.dropna()
    if len(values) == 0:
        return "n/a"
    low, high = values.min(), values.max()
    return f"{low:{fmt}}" if f"{low:{fmt}}" == f"{high:{fmt}}" else f"{low:{fmt}}–{high:{fmt}}"


def _cells(part: pd.DataFrame, key: str) -> pd.Series:
    """The mean of ``key`` over networks in every (length, noise level) cell."""
    return part.groupby(["n_samples", "noise_std"])[key].mean()


def _reliability_rules(rules: pd.DataFrame) -> list[str]:
    out = []
    n_cells = rules.groupby(["n_samples", "noise_std"]).ngroups
    for rule, title in (
        ("surrogate_q", "Surrogate BH q ≤ α, independent channels"),
        ("network_q", "Network-null BH q ≤ α, absent links of the fitted network, pooled"),
    ):
        parts = []
        for alpha, part in rules[rules["rule"] == rule].groupby("level"):
            fdp, declared = _cells(part, "fdp"), part.groupby(["n_samples", "noise_std"])["n_declared"].max()
            above = int((fdp > alpha).sum())
            none, fewest = int((declared == 0).sum()), int(part["fewest_declarable"].iloc[0])
            floor = f" (BH declares at least {fewest} links at once or none)" if fewest > 1 else ""
            note = f"; nothing declared in any series in {none} of {n_cells}{floor}" if none else ""
            parts.append(
                f"α = {alpha:g}: FDP {_span(fdp)}, above α in {above} of {n_cells}{note}; power "
                f"{_span(_cells(part, 'power'))}"
            )
        if parts:
            out.append(
                f"{title} (means over networks in each of the {n_cells} length × noise cells): "
                + "; ".join(parts)
                + "."
            )
    parts = []
    for pi, part in rules[rules["rule"] == "stability"].groupby("level"):
        bound = float(part["bound"].iloc[0])
        within = int((part["n_false"] <= bound).sum())
        parts.append(
            f"π = {pi:g}: V {_span(_cells(part, 'n_false'), '.1f')} against the bound {bound:.1f}, within it in "
            f"{within} of {len(part)} series; power {_span(_cells(part, 'power'))}"
        )
    if parts:
        out.append("Stability selection, selection frequency ≥ π (cell means): " + "; ".join(parts) + ".")
    part = rules[rules["rule"] == "interval"]
    if len(part):
        nominal = float(part["nominal"].iloc[0])
        rate = _cells(part, "false_positive_rate")
        out.append(
            f"Interval excluding 0 ({100 * (1 - nominal):g} %): share of absent links declared {_span(rate, '.3f')} "
            f"(nominal at most {nominal:g}; above it in {int((rate > nominal).sum())} of {n_cells} cells), FDP "
            f"{_span(_cells(part, 'fdp'))}, power {_span(_cells(part, 'power'))}."
        )
    hits = rules["n_hits"].sum()
    if hits:
        wrong = (rules["sign_error"].fillna(0) * rules["n_hits"]).sum()
        out.append(
            f"Declared true links with the wrong sign: {wrong:.0f} of {hits:.0f} (pooled over every rule and level)."
        )
    return out


def _reliability_coverage(coverage: pd.DataFrame) -> list[str]:
    level = float(coverage["level"].iloc[0])
    parts = [
        f"{what} {_span(_cells(coverage, key))}"
        for what, key in (
            ("of the target on the true links", "coverage_target_true"),
            ("on the absent links", "coverage_target_absent"),
            ("of G on the true links", "coverage_g_true"),
            ("of G = 0 on the absent links", "coverage_g_absent"),
        )
    ]
    out = [f"Coverage (nominal {level:g}, cell means): " + ", ".join(parts) + "."]
    scale = coverage.groupby("noise_std")["target_to_g"].median()
    shortest, longest = coverage["n_samples"].min(), coverage["n_samples"].max()
    ratio = coverage.groupby("n_samples")["estimate_to_target"].median()
    out.append(
        "The target is "
        + ", ".join(f"{r:.2f} G at σ = {s:g}" for s, r in scale.items())
        + f" on the true links (median); the estimate is {ratio[shortest]:.2f} × the target at "
        f"{shortest:,.0f} samples and {ratio[longest]:.2f} × at {longest:,.0f}."
    )
    return out


def _reliability_null(rules: pd.DataFrame) -> str:
    parts = []
    for (rule, level), part in rules.groupby(["rule", "level"], sort=False):
        name = {"surrogate_q": f"q ≤ {level:g}", "network_q": f"network q ≤ {level:g}", "stability": f"π = {level:g}"}
        name = name.get(rule, "interval")
        extra = ""
        if rule == "stability":
            extra = f", bound {float(part['bound'].iloc[0]):.1f}"
        elif rule == "interval":
            extra = f", share of links {part['false_positive_rate'].mean():.3f} (nominal {part['nominal'].iloc[0]:g})"
        parts.append(
            f"{name} declared a link in {int((part['n_declared'] > 0).sum())} of {len(part)} series "
            f"(mean {part['n_declared'].mean():.1f} links{extra})"
        )
    return "Null networks (G = 0, every declaration false): " + "; ".join(parts) + "."


def reliability(table: pd.DataFrame) -> str:
    null = table["null"].astype(bool)
    coupled = table[~null]
    rules, coverage = coupled[coupled["panel"] == "rules"], coupled[coupled["panel"] == "coverage"]
    first = table.iloc[0]
    n_nets = table.groupby("null")["rep"].nunique()
    coupled_n, null_n = n_nets.get(False, 0), n_nets.get(True, 0)
    out = [
        f"Measured on {_count(coupled_n, 'network')} and {_count(null_n, 'null network')}, "
        f"{int(first['n_resamples'])} resamples and {int(first['n_surrogates'])} surrogates per series; "
        "FDP = V / max(R, 1) with R links declared, V of them absent from G."
    ]
    if len(rules):
        out += _reliability_rules(rules)
    if len(coverage):
        out += _reliability_coverage(coverage)
    blocks = table[table["panel"] == "coverage"]
    if len(blocks):
        spans = ", ".join(
            f"{_span(b, '.0f')} samples at σ = {s:g}" for s, b in blocks.groupby("noise_std")["block_length"]
        )
        capped = int(blocks["block_length_capped"].astype(bool).sum())
        out.append(
            f"Block lengths chosen from the data: {spans}; capped at T // (N + 1) in {capped} of {len(blocks)} series."
        )
    null_rules = table[null & (table["panel"] == "rules")]
    if len(null_rules):
        out.append(_reliability_null(null_rules))
    failed = int(blocks["n_not_converged"].sum()) if len(blocks) else 0
    if failed:
        out.append(f"{failed} refits stopped at the optimiser's iteration cap.")
    return " ".join(out)


def tutorial_side_by_side(table: pd.DataFrame) -> str:
    ok = table[table["status"] == "ok"]
    out = []
    for kind in dict.fromkeys(ok["network"]):
        part = ok[ok["network"] == kind]
        means = part.groupby(["n", "method"])[["auc", "prs", "quality"]].mean()
        sizes = sorted(part["n"].unique())
        cells = []
        for method in dict.fromkeys(part["method"]):
            small, large = means.loc[(sizes[0], method)], means.loc[(sizes[-1], method)]
            cells.append(
                f"``{method}`` AUC {small['auc']:.2f} → {large['auc']:.2f}, PRS {small['prs']:.2f} → "
                f"{large['prs']:.2f}, quality {small['quality']:.2f} → {large['quality']:.2f}"
            )
        out.append(f"{kind} network, N = {sizes[0]} → {sizes[-1]} (means): " + "; ".join(cells) + ".")
    zl = table[table["method"] == "zerolag"]
    if "converged" in zl and zl["converged"].notna().any():
        fits = zl["converged"].dropna()
        out.append(f"``zerolag`` fits that met the convergence test: {int(fits.astype(bool).sum())} of {len(fits)}.")
    return "Measured: " + " ".join(out)


def tutorial_coarse(table: pd.DataFrame) -> str:
    means = table.groupby("group_size")["pearson"].mean()
    return (
        f"Measured: the similarity (Pearson) is {means.iloc[0]:.3f} for groups of {means.index[0]} neurons and "
        f"{means.iloc[-1]:.3f} for groups of {means.index[-1]} (mean over trials); the tutorial concludes that "
        "averaging more neurons per group does not make correlation a better estimate."
    )


def tutorial_sparsity(table: pd.DataFrame) -> str:
    means = table.groupby("p")["pearson"].mean()
    return (
        f"Measured: mean quality {means.iloc[0]:.3f} at sparsity p = {means.index[0]:g} (densest), "
        f"{means.max():.3f} at its best (p = {means.idxmax():g}), {means.iloc[-1]:.3f} at p = {means.index[-1]:g}."
    )


def peers(table: pd.DataFrame) -> str:
    means = table.groupby("method", sort=False)["auc"].mean().sort_values(ascending=False)
    ranked = ", ".join(f"``{m}`` {auc:.3f}" for m, auc in means.items())
    return " ".join([f"Mean AUC, best first: {ranked}.", capped_fits(table)]).strip()


def figS1A(table: pd.DataFrame) -> str:
    means = table.groupby("method", sort=False)[["d_accuracy", "c_sensitivity"]].agg(["mean", "min", "max"])
    means = means.sort_values(("d_accuracy", "mean"), ascending=False)
    parts = [
        f"``{m}`` d-accuracy {r[('d_accuracy', 'mean')]:.2f} ({r[('d_accuracy', 'min')]:.2f}–"
        f"{r[('d_accuracy', 'max')]:.2f}), c-sensitivity {r[('c_sensitivity', 'mean')]:.2f}"
        for m, r in means.iterrows()
    ]
    return (
        f"Measured over the {table['simulation'].nunique()} simulations (mean, and range over simulations), "
        "best d-accuracy first: " + "; ".join(parts) + "." + _generator_variants(table)
    )


GENERATOR_KNOBS = {"thermal_noise": "thermal noise {:g} × the BOLD sd", "hrf_delay_sd": "HRF delay sd {:g} s"}
"""Generator parameters a simulation of Fig. S1A may set for itself, and how a caption names them."""


def _generator_variants(table: pd.DataFrame) -> str:
    """Directed methods' d-accuracy on sim1 (or the first plain simulation) beside the noisier variants."""
    knobs = [k for k in GENERATOR_KNOBS if k in table.columns]
    generated = table[table["source"] == "generated"] if "source" in table.columns else table.iloc[0:0]
    if not knobs or generated.empty:
        return ""
    settings = generated.groupby("simulation", sort=False)[knobs].first()
    usual = settings.mode().iloc[0]
    variants = [name for name, row in settings.iterrows() if not row.equals(usual)]
    plain = [name for name, row in settings.iterrows() if row.equals(usual)]
    if not variants or not plain:
        return ""
    base = "sim1" if "sim1" in plain else plain[0]
    described = [
        f"{v} ("
        + ", ".join(GENERATOR_KNOBS[k].format(settings.loc[v, k]) for k in knobs if settings.loc[v, k] != usual[k])
        + ")"
        for v in variants
    ]
    d = generated[generated["directed"].astype(bool)].pivot_table(
        index="method", columns="simulation", values="d_accuracy", sort=False
    )
    rows = [f"``{m}`` " + " → ".join(f"{r[s]:.2f}" for s in [base, *variants]) for m, r in d.iterrows()]
    return (
        f" The same 5-node network under harder generator settings, d-accuracy on {base} → "
        + " → ".join(described)
        + ": "
        + "; ".join(rows)
        + "."
    )


FACTS: dict[str, Callable[[pd.DataFrame], str]] = {
    "fig2": fig2,
    "fig3": fig3,
    "fig4": fig4,
    "fig5": fig5,
    "fig7": fig7,
    "fig8": fig8,
    "freq": freq,
    "lag_inputs": lag_inputs,
    "reliability": reliability,
    "tutorial_side_by_side": tutorial_side_by_side,
    "tutorial_coarse": tutorial_coarse,
    "tutorial_sparsity": tutorial_sparsity,
    "peers": peers,
    "figS1A": figS1A,
}
"""Figure name → the function that writes its caption's measured sentences from its table."""


def facts(name: str, table: pd.DataFrame) -> str:
    """The measured sentences of figure ``name`` as one reStructuredText paragraph."""
    if name not in FACTS:
        raise KeyError(f"no caption facts for {name!r} (defined for {sorted(FACTS)})")
    if table.empty:
        raise ValueError(f"the table of {name} is empty: nothing to report")
    return FACTS[name](table).strip() + "\n"


def write_facts(name: str, table: str | os.PathLike, out: str | os.PathLike) -> str:
    """Read figure ``name``'s table, write its measured sentences to ``out`` (atomically) and return them."""
    text = facts(name, pd.read_csv(table, dtype={"subject": str}, keep_default_na=True))
    atomic_write(out, lambda tmp: Path(tmp).write_text(text))
    return text
