"""The results page's section beyond the paper: what the links declared reliable are worth, on ground truth.

Rendered from ``reliability.csv`` (``snakemake reliability``) at each scale: per declaration rule and level,
the measured error beside its nominal bound and the power, in every data length × observation noise cell,
and how often the null networks (``G = 0``) got a link declared. Nothing here is typed by hand: an error
above its nominal bound is set in bold, so the table itself says where a level is not held.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .captions import _cells

__all__ = ["RULES", "reliability_section"]

RULES = {
    "surrogate_q": ("surrogate q ≤ α", "FDP (≤ {:.2f})", "fdp", "nominal", 2),
    "network_q": ("network-null q ≤ α", "FDP (≤ {:.2f})", "fdp", "nominal", 2),
    "stability": ("selection frequency ≥ π", "V (E ≤ {:.1f})", "n_false", "bound", 1),
    "interval": ("interval excludes 0", "FPR (≤ {:.2f})", "false_positive_rate", "nominal", 2),
}
"""rule: (label, its error against the nominal bound, the column measuring the error, the column holding the
bound, the error's decimals)."""

_INTRO = [
    "Not in the paper: the resampling statistics of `zerolag.bootstrap_connectivity`, calibrated on OU + HRF",
    "series of networks with known G and of null twins with G = 0 (`snakemake reliability`; the caption of the",
    "`reliability` figure gives every number). Each cell is the mean over networks of the rule's error, then its",
    "power (fraction of true links declared). The error is the false-discovery proportion (FDP, nominal α) for",
    "the q-value rules, the number of false selections (V, against the stability-selection bound on its",
    "expectation) for the selection frequency, and the share of absent links declared (FPR, nominal 1 − the",
    "interval's level) for the interval rule. **Bold**: the mean error is above its nominal bound. The last column",
    "counts the null networks' series in which the rule declared any link. The surrogate q tests no coupling at",
    "all (G = 0), its null on the null networks; on the coupled ones its FDP is what reading it as a test of each",
    "link costs. The network-null q is the test of an absent link of the fitted network.",
]


def _cell(error: float, power: float, bound: float, digits: int) -> str:
    text = f"{error:.{digits}f}"
    return f"{f'**{text}**' if error > bound + 1e-12 else text} / {power:.2f}"


def _condition(n_samples: float, noise: float) -> str:
    return f"{n_samples:,.0f} samples, σ = {noise:g}"


def _table(table: pd.DataFrame) -> list[str]:
    """One row per rule and level: error / power in each cell, then the null networks' declarations."""
    rules = table[table["panel"] == "rules"]
    null = rules["null"].astype(bool)
    coupled, nulls = rules[~null], rules[null]
    cells = sorted(coupled.groupby(["n_samples", "noise_std"]).groups)
    header = ["rule", "level", "error (nominal)"] + [_condition(*c) for c in cells] + ["null series declaring"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for rule, (label, against, error, nominal, digits) in RULES.items():
        for level, part in coupled[coupled["rule"] == rule].groupby("level"):
            bound = float(part[nominal].iloc[0])
            errors, power = _cells(part, error), _cells(part, "power")
            row = [label, f"{level:g}", against.format(bound)]
            row += [_cell(errors[c], power[c], bound, digits) if c in errors else "—" for c in cells]
            twins = nulls[(nulls["rule"] == rule) & (nulls["level"] == level)]
            row.append(f"{int((twins['n_declared'] > 0).sum())} of {len(twins)}" if len(twins) else "—")
            lines.append("| " + " | ".join(row) + " |")
    return lines


def _fmri(directory: Path) -> list[str]:
    """One sentence on the fMRI subjects' reliable links, from ``fmri_reliability.csv`` (if published)."""
    path = directory / "fmri_reliability.csv"
    if not path.exists():
        return []
    table = pd.read_csv(path, dtype={"subject": str}, keep_default_na=False)
    subjects, group = table[table["subject"] != "group"], table[table["subject"] == "group"]
    first = table.iloc[0]
    text = (
        f"fMRI (`fmri_reliability`, dataset {first['dataset']}, {int(first['n_regions'])} regions): links reliable at "
        f"q ≤ {first['q']:g} against the {first['null_model']} null with a sign stable in ≥ "
        f"{first['sign_stability']:g} of the resamples, "
        f"{subjects['reliable'].min()}–{subjects['reliable'].max()} per subject (median "
        f"{subjects['reliable'].median():g}; {len(subjects)} subjects) of the {int(first['kept'])} kept"
    )
    if len(group):
        row = group.iloc[0]
        text += (
            f"; in the group (t-test across {int(row['n_subjects'])} subjects, q ≤ {row['q']:g}): {row['reliable']} "
            f"(smallest q {row['smallest_q']:.2g})"
        )
    return [text + ".", ""]


def _scale(directory: Path, title: str) -> list[str]:
    path = directory / "reliability.csv"
    lines = [f"### {title}", ""]
    if not path.exists():
        return lines + ["Not run yet at this scale.", "", *_fmri(directory)]
    table = pd.read_csv(path)
    first = table.iloc[0]
    n_nets = table.groupby("null")["rep"].nunique()
    lines += [
        f"{n_nets.get(False, 0)} networks (N = {int(first['n'])}) and {n_nets.get(True, 0)} null twins, "
        f"{int(first['n_resamples'])} resamples and {int(first['n_surrogates'])} surrogates per series.",
        "",
    ]
    return lines + _table(table) + ["", *_fmri(directory)]


def reliability_section(paper_dir: str | Path, quick_dir: str | Path) -> list[str]:
    """The section's Markdown lines: the paper-scale table (or "not run yet"), then the quick-scale one."""
    lines = ["", "## Beyond the paper: which links can be trusted", "", *_INTRO, ""]
    lines += _scale(Path(paper_dir), "Paper scale")
    lines += _scale(Path(quick_dir), "Quick scale")
    return lines
