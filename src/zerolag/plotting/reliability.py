"""Which links can be trusted (beyond the paper): the resampling statistics' rules measured on ground truth."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import apply_style, panel_label, plt

__all__ = ["plot_reliability"]

RULE_COLOURS = {"surrogate_q": "#1f77b4", "network_q": "#9467bd", "stability": "#ff7f0e", "interval": "#2ca02c"}
RULE_NAMES = {"surrogate_q": "q ≤ {:g}", "network_q": "network q ≤ {:g}", "stability": "selection freq. ≥ {:g}",
              "interval": "interval excludes 0"}  # fmt: skip
Q_TITLES = {"surrogate_q": "surrogate BH (independent channels): q ≤ α", "network_q": "network-null BH: q ≤ α"}
COVERAGE_STYLES = {
    "coverage_target_true": {"color": "#1f77b4", "label": "target, true links"},
    "coverage_target_absent": {"color": "#9ecae1", "label": "target, absent links"},
    "coverage_g_true": {"color": "#d62728", "label": "G, true links"},
    "coverage_g_absent": {"color": "#fc9272", "label": "G = 0, absent links"},
}
NOISE_STYLES = ({"ls": "-", "marker": "o"}, {"ls": "--", "marker": "s"}, {"ls": ":", "marker": "^"})
"""Observation-noise levels in increasing order: line style and marker."""
COLUMNS = {"panel", "null", "n_samples", "noise_std", "rule", "level", "nominal", "n_declared", "n_false", "fdp",
           "power", "false_positive_rate", "coverage_target_true", "coverage_target_absent", "coverage_g_true",
           "coverage_g_absent", "block_length"}  # fmt: skip


def _samples(t: float) -> str:
    return f"{t / 1000:g}k" if t >= 1000 else f"{t:g}"


def _noise_label(sigma: float) -> str:
    return "no observation noise" if sigma == 0 else f"observation noise σ = {sigma:g}"


def _length_colours(lengths: list[int]) -> dict[int, tuple]:
    cmap = plt.get_cmap("viridis")
    return {t: cmap(0.15 + 0.7 * i / max(1, len(lengths) - 1)) for i, t in enumerate(lengths)}


def _errorbar(ax: plt.Axes, x: np.ndarray, stats: pd.DataFrame, **style) -> None:
    ax.errorbar(x, stats["mean"].to_numpy(), yerr=stats["std"].fillna(0).to_numpy(), ms=4, capsize=2, **style)


def _identity(ax: plt.Axes, top: float, label: str) -> None:
    ax.plot([0, top], [0, top], color="k", lw=0.7, ls=":", label=label)


def _q_panel(ax, rules, rule, lengths, noises, colours) -> None:
    part = rules[rules["rule"] == rule]
    top = 0.0
    for t in lengths:
        for k, sigma in enumerate(noises):
            cell = part[(part["n_samples"] == t) & (part["noise_std"] == sigma)]
            stats = cell.groupby("level")["fdp"].agg(["mean", "std"])
            declared = cell.groupby("level")["n_declared"].max()
            style = NOISE_STYLES[k % len(NOISE_STYLES)]
            _errorbar(ax, stats.index.to_numpy(float), stats, color=colours[t], **style)
            empty = declared.index[declared == 0].to_numpy(float)
            ax.plot(empty, stats.loc[empty, "mean"], ls="none", marker=style["marker"], ms=7, mfc="white",
                    color=colours[t])  # fmt: skip
            top = max(top, float((stats["mean"] + stats["std"].fillna(0)).max()))
    levels = part["level"].unique()
    _identity(ax, max(levels.max(), top) * 1.05, "FDP = α (nominal)")
    ax.plot([], [], ls="none", marker="o", mfc="white", color="grey", label="nothing declared in any series")
    ax.set(xlabel="α", ylabel="false-discovery proportion (mean ± sd)", title=Q_TITLES[rule])
    ax.set_xlim(0, levels.max() * 1.1)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=7)


def _stability_panel(ax, rules, lengths, noises, colours) -> None:
    part = rules[rules["rule"] == "stability"]
    top = 0.0
    for t in lengths:
        for k, sigma in enumerate(noises):
            cell = part[(part["n_samples"] == t) & (part["noise_std"] == sigma)]
            stats = cell.groupby("bound")["n_false"].agg(["mean", "std"])
            _errorbar(ax, stats.index.to_numpy(float), stats, color=colours[t], **NOISE_STYLES[k % len(NOISE_STYLES)])
            top = max(top, float((stats["mean"] + stats["std"].fillna(0)).max()))
    bounds = part.groupby("level")["bound"].first()
    top = max(top, bounds.max()) * 1.05
    _identity(ax, top, "V = bound")
    for pi, bound in bounds.items():
        ax.annotate(f"π = {pi:g}", (bound, top), xytext=(2, -3), textcoords="offset points", fontsize=7, rotation=90,
                    va="top")  # fmt: skip
    ax.set(xlabel="Meinshausen–Bühlmann bound on E[V]", ylabel="false selections V (mean ± sd)")
    ax.set_title("stability selection: freq. ≥ π")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.legend(loc="upper left", fontsize=7)


def _interval_panel(ax, rules, lengths, noises) -> None:
    part = rules[rules["rule"] == "interval"]
    for key, colour, label in (
        ("false_positive_rate", "#2ca02c", "absent links declared"),
        ("fdp", "#8c564b", "false-discovery proportion"),
    ):
        for k, sigma in enumerate(noises):
            stats = part[part["noise_std"] == sigma].groupby("n_samples")[key].agg(["mean", "std"])
            _errorbar(ax, stats.index.to_numpy(float), stats, color=colour, label=label if k == 0 else None,
                      **NOISE_STYLES[k % len(NOISE_STYLES)])  # fmt: skip
    nominal = float(part["nominal"].iloc[0])
    ax.axhline(nominal, color="k", lw=0.7, ls=":", label=f"1 − confidence = {nominal:g} (nominal)")
    ax.set(xlabel="samples", ylabel="fraction (mean ± sd)", title=f"{100 * (1 - nominal):g} % interval excludes 0")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=7)


def _power_panel(ax, rules, noises) -> None:
    for rule in RULE_COLOURS:
        part = rules[rules["rule"] == rule]
        levels = sorted(part["level"].unique())
        for j, level in enumerate(levels):
            alpha = 1.0 if len(levels) == 1 else 0.35 + 0.65 * j / (len(levels) - 1)
            for k, sigma in enumerate(noises):
                stats = part[(part["level"] == level) & (part["noise_std"] == sigma)]
                stats = stats.groupby("n_samples")["power"].agg(["mean", "std"])
                name = RULE_NAMES[rule].format(level)
                _errorbar(ax, stats.index.to_numpy(float), stats, color=RULE_COLOURS[rule], alpha=alpha,
                          label=name if k == 0 else None, **NOISE_STYLES[k % len(NOISE_STYLES)])  # fmt: skip
    ax.set(xlabel="samples", ylabel="power: true links declared (mean ± sd)", title="power")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="upper left", fontsize=6, ncol=1)


def _coverage_panel(ax, coverage, noises) -> None:
    for key, style in COVERAGE_STYLES.items():
        for k, sigma in enumerate(noises):
            stats = coverage[coverage["noise_std"] == sigma].groupby("n_samples")[key].agg(["mean", "std"])
            _errorbar(ax, stats.index.to_numpy(float), stats, color=style["color"],
                      label=style["label"] if k == 0 else None, **NOISE_STYLES[k % len(NOISE_STYLES)])  # fmt: skip
    level = float(coverage["level"].iloc[0])
    ax.axhline(level, color="k", lw=0.7, ls=":", label=f"confidence {level:g} (nominal)")
    ax.set(xlabel="samples", ylabel="intervals holding the value (mean ± sd)", title="coverage, coupled networks")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left", fontsize=6)


def _null_panel(ax, rules, lengths, noises, colours) -> None:
    keys = list(rules[["rule", "level"]].drop_duplicates().itertuples(index=False, name=None))
    cells = [(t, sigma) for sigma in noises for t in lengths]
    width = 0.8 / len(cells)
    for c, (t, sigma) in enumerate(cells):
        part = rules[(rules["n_samples"] == t) & (rules["noise_std"] == sigma)]
        means = part.groupby(["rule", "level"])["n_declared"].mean()
        heights = [means.get(key, np.nan) for key in keys]
        x = np.arange(len(keys)) - 0.4 + width * (c + 0.5)
        hatch = "" if noises.index(sigma) == 0 else "//"
        ax.bar(x, heights, width, color=colours[t], hatch=hatch, edgecolor="white", lw=0.3)
    anyone = rules.groupby(["rule", "level"])["n_declared"].apply(lambda v: int((v > 0).sum()))
    series = rules.groupby(["rule", "level"]).size()
    short = {"surrogate_q": "q", "network_q": "nq", "stability": "π", "interval": "CI"}
    ax.set_xticks(
        range(len(keys)), [f"{short[r]} {lv:g}\n{anyone[(r, lv)]}/{series[(r, lv)]}" for r, lv in keys], fontsize=6.5
    )
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylim(bottom=0)
    ax.set(ylabel="links declared (mean)", title="null networks (G = 0): every link false")
    ax.set_xlabel("rule and level; series declaring any link / series", fontsize=7)


def _block_panel(ax, coverage, noises) -> None:
    for k, sigma in enumerate(noises):
        stats = coverage[coverage["noise_std"] == sigma].groupby("n_samples")["block_length"].agg(["mean", "std"])
        _errorbar(ax, stats.index.to_numpy(float), stats, color="k", label=_noise_label(sigma),
                  **NOISE_STYLES[k % len(NOISE_STYLES)])  # fmt: skip
    ax.set_yscale("log")
    ax.set(xlabel="samples", ylabel="block length, samples (mean ± sd)", title="block length chosen from the data")
    ax.legend(loc="upper left", fontsize=7)


def plot_reliability(table: pd.DataFrame) -> plt.Figure:
    """FDP against α (two nulls), false selections against their bound, the interval rule, power, coverage, null.

    Parameters
    ----------
    table : DataFrame
        The ``reliability`` table (:func:`zerolag.workflow.reliability.reliability_rows`, one network's rows after
        another): ``panel = "rules"`` rows (``rule``, ``level``, ``nominal``, ``bound``, ``n_declared``,
        ``n_false``, ``fdp``, ``power``, ``false_positive_rate``) and ``panel = "coverage"`` rows, each with
        ``null``, ``n_samples``, ``noise_std`` and ``block_length``.

    Returns
    -------
    matplotlib.figure.Figure
        Coupled networks: A and B, the false-discovery proportion against ``α`` of the surrogate rule
        (independent channels) and of the network null (identity line); C, stability selection's false
        selections against the Meinshausen–Bühlmann bound; D, the interval rule's share of absent links declared
        and its false-discovery proportion against length; E, power against length; F, coverage against length.
        G: the null networks' declared links per rule and level. H: the block length chosen from the data, every
        network. Colour: length (A, B, C, G); line style and marker, or hatching: observation noise. Mean ± sd
        over networks.
    """
    missing = COLUMNS - set(table.columns)
    if missing:
        raise ValueError(f"the reliability table lacks the columns {sorted(missing)}")
    apply_style()
    null = table["null"].astype(bool)
    rules = table[(table["panel"] == "rules") & ~null]
    coverage = table[(table["panel"] == "coverage") & ~null]
    null_rules = table[(table["panel"] == "rules") & null]
    lengths = sorted(int(t) for t in table["n_samples"].unique())
    noises = sorted(float(s) for s in table["noise_std"].unique())
    colours = _length_colours(lengths)
    fig, axes = plt.subplots(2, 4, figsize=(17, 8.2))
    (a, b, c, d), (e, f, g, h) = axes
    if len(rules):
        for ax, rule in ((a, "surrogate_q"), (b, "network_q")):
            if (rules["rule"] == rule).any():
                _q_panel(ax, rules, rule, lengths, noises, colours)
        _stability_panel(c, rules, lengths, noises, colours)
        _interval_panel(d, rules, lengths, noises)
        _power_panel(e, rules, noises)
    if len(coverage):
        _coverage_panel(f, coverage, noises)
    if len(null_rules):
        _null_panel(g, null_rules, lengths, noises, colours)
    _block_panel(h, table[table["panel"] == "coverage"], noises)
    for ax in (d, e, f, h):
        ax.set_xscale("log")
        ax.set_xticks(lengths, [_samples(t) for t in lengths])
        ax.xaxis.set_minor_locator(plt.matplotlib.ticker.NullLocator())
        ax.set_xlim(lengths[0] / 1.5, lengths[-1] * 1.5)
    for ax, letter in zip(axes.flat, "ABCDEFGH", strict=True):
        panel_label(ax, letter)
    handles = [plt.Line2D([], [], color=colours[t], lw=6) for t in lengths]
    labels = [f"{_samples(t)} samples" for t in lengths]
    for k, sigma in enumerate(noises):
        style = NOISE_STYLES[k % len(NOISE_STYLES)]
        handles.append(plt.Line2D([], [], color="grey", **style))
        labels.append(_noise_label(sigma) + (" (bars: hatched)" if k else ""))
    n_nets = table.groupby("null")["rep"].nunique()
    counts = [
        f"{k} {what}{'' if k == 1 else 's'}"
        for k, what in ((n_nets.get(False, 0), "network"), (n_nets.get(True, 0), "null network"))
    ]
    title = (
        f"{counts[0]} and {counts[1]}; mean ± sd over networks. Colour in A, B, C and G: length; line style and "
        "marker, or hatching: observation noise"
    )
    fig.legend(
        handles, labels, loc="upper center", ncol=len(labels), fontsize=7.5, frameon=False, title=title,
        title_fontsize=8,
    )  # fmt: skip
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig
