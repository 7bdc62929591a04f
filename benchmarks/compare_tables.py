"""Compare two ``results/tables`` directories cell by cell: did a refactor change any number?

Usage
-----
::

    python benchmarks/compare_tables.py A B [--expect-different NAME ...]

Every ``*.csv`` in ``A`` or ``B`` is compared column by column, without the wall-time columns
(``zerolag.scoring.tables.is_run_dependent``: ``seconds``, ``*_seconds``, ``seconds_*``). Cells are read as text and
compared exactly: two cells are equal if their text is equal or both parse as the same float (``12`` and
``12.0``; ``inf`` and ``inf``; NaN and NaN, written empty or ``nan``). There is no tolerance: ``0.1`` and
``0.10000000000000002`` differ (the tables are written with ``float_format="%.17g"``, which round-trips doubles).

``--expect-different NAME`` (repeatable; ``fig5`` or ``fig5.csv``) marks a table that may change: its
differences are printed, with the mean of each score column (``auc``, ``prs``, ``pcc``) per group of the
identifying columns besides ``rep``, but do not count as a failure.

Exit status: 0 when no unexpected difference, 1 otherwise, 2 on usage errors.
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from zerolag.scoring.tables import is_run_dependent

ID_COLUMNS = ("panel", "parameter", "value", "network", "duration_s", "tau_s", "rep", "method", "data")
SCORE_COLUMNS = ("auc", "prs", "pcc")


def number(cell):
    """The cell as a float, or None if it is not a number (an empty cell is NaN: pandas writes NaN so)."""
    if cell == "":
        return np.nan
    try:
        return float(cell)
    except ValueError:
        return None


def same(x, y):
    """Whether two cells (text) hold the same value: same text, or the same float exactly (NaN equals NaN)."""
    if x == y:
        return True
    u, v = number(x), number(y)
    return u is not None and v is not None and (u == v or (u != u and v != v))


def floats(cells):
    """The cells as a float array, NaN where a cell is not a number."""
    return np.array([np.nan if (x := number(c)) is None else x for c in cells], dtype=float)


def largest(differences):
    """The largest of the differences that are not NaN (a NaN against a number has none), as text."""
    known = differences[~np.isnan(differences)]
    return f"{known.max():.3g}" if known.size else "nan"


def read(path):
    """The table as text cells (no dtype inference, no NA parsing), without its wall-time columns."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    return table[[c for c in table.columns if not is_run_dependent(c)]]


def row_label(table, i):
    """Row ``i`` with its identifying columns, e.g. ``row 3 (rep=1, method=zerolag)``."""
    ids = ", ".join(f"{c}={table[c].iloc[i]}" for c in ID_COLUMNS if c in table.columns)
    return f"row {i}" + (f" ({ids})" if ids else "")


def column_difference(a, b, column):
    """A line describing how the column differs between tables ``a`` and ``b``, or None if it is equal."""
    x, y = a[column].to_numpy(), b[column].to_numpy()
    differ = np.array([not same(u, v) for u, v in zip(x, y, strict=True)], dtype=bool)
    if not differ.any():
        return None
    first = int(np.flatnonzero(differ)[0])
    line = f"{column}: {differ.sum()} of {len(x)} cells"
    if all(number(c) is not None for c in (*x[differ], *y[differ])):
        u, v = floats(x[differ]), floats(y[differ])
        with np.errstate(invalid="ignore", divide="ignore"):
            absolute = np.abs(u - v)
            relative = absolute / np.maximum(np.abs(u), np.abs(v))
        line += f", max abs {largest(absolute)}, max rel {largest(relative)}"
    return line + f"; first {row_label(a, first)}: {x[first]!r} vs {y[first]!r}"


def score_means(a, b):
    """Lines with the mean of each score column in ``a`` and ``b`` per group of the identifying columns that vary."""
    scores = [c for c in SCORE_COLUMNS if c in a.columns and c in b.columns]
    # grouped by what a point is (panel, value, …), not by `data`: a changed design may rename the data
    shared = [c for c in ID_COLUMNS if c not in ("rep", "data") and c in a.columns and c in b.columns]
    keys = [c for c in shared if pd.concat([a[c], b[c]]).nunique() > 1]

    def means(table):
        numbers = table[keys].assign(**{c: floats(table[c]) for c in scores})
        return numbers.groupby(keys, sort=False)[scores].mean() if keys else numbers[scores].mean().to_frame().T

    both = pd.concat({"A": means(a), "B": means(b)}, axis=1) if scores else pd.DataFrame()
    lines = []
    for key, row in both.iterrows():
        values = key if isinstance(key, tuple) else (key,)
        group = ", ".join(f"{k}={v}" for k, v in zip(keys, values, strict=True)) if keys else "all rows"
        moved = (f"{c} {row['A', c]:.4f} -> {row['B', c]:.4f} ({row['B', c] - row['A', c]:+.2e})" for c in scores)
        lines.append(f"mean {group}: {'  '.join(moved)}")
    return lines


def compare(path_a, path_b):
    """``(differences, notes, tables)`` of one table present in either directory (tables None if one is missing)."""
    if not path_a.exists() or not path_b.exists():
        return [f"missing in {'A' if not path_a.exists() else 'B'}"], [], None
    a, b = read(path_a), read(path_b)
    differences, notes = [], []
    only_a = [c for c in a.columns if c not in b.columns]
    only_b = [c for c in b.columns if c not in a.columns]
    shared = [c for c in a.columns if c in b.columns]
    if only_a:
        differences.append(f"columns only in A: {', '.join(only_a)}")
    if only_b:
        differences.append(f"columns only in B: {', '.join(only_b)}")
    if shared != [c for c in b.columns if c in a.columns]:
        notes.append("columns in a different order")
    if len(a) != len(b):
        differences.append(f"{len(a)} rows in A, {len(b)} in B (cells not compared)")
    else:
        differences += [d for c in shared if (d := column_difference(a, b, c)) is not None]
    return differences, notes, (a, b)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="results/tables directory before")
    parser.add_argument("b", type=Path, help="results/tables directory after")
    parser.add_argument(
        "--expect-different",
        action="append",
        default=[],
        metavar="NAME",
        help="a table allowed to change, e.g. fig5 (repeatable)",
    )
    args = parser.parse_args(argv)
    for d in (args.a, args.b):
        if not d.is_dir():
            parser.error(f"not a directory: {d}")
    expected = {Path(n).stem for n in args.expect_different}
    names = sorted({p.name for d in (args.a, args.b) for p in d.glob("*.csv")})
    counts = {"identical": 0, "expected": 0, "unexpected": 0}
    for name in names:
        differences, notes, tables = compare(args.a / name, args.b / name)
        note = f"; {', '.join(notes)}" if notes else ""
        if not differences:
            counts["identical"] += 1
            a = tables[0]
            print(f"{name}: identical ({len(a.columns)} columns, {len(a)} rows{note})")
            continue
        is_expected = Path(name).stem in expected
        counts["expected" if is_expected else "unexpected"] += 1
        print(f"{name}: differs{' (expected)' if is_expected else ''}{note}:")
        extra = score_means(*tables) if is_expected and tables is not None else []
        for line in differences + extra:
            print(f"    {line}")
    status = "OK" if counts["unexpected"] == 0 else "FAIL"
    print(
        f"{status}: {len(names)} tables, {counts['identical']} identical, {counts['expected']} differ as expected, "
        f"{counts['unexpected']} differ unexpectedly"
    )
    return 0 if status == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
