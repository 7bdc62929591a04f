"""benchmarks/compare_tables.py: exact cell comparison of two results/tables directories, run as a script."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "compare_tables.py"


def fig4():
    return pd.DataFrame(
        {
            "panel": ["A", "A", "B"],
            "rep": [0, 1, 0],
            "method": ["zerolag"] * 3,
            "auc": [0.1, 0.25, 1.0],
            "converged": [True, False, True],
            "stop_reason": ["gtol", "", "ftol"],
            "seconds": [0.5, 0.7, 0.9],
        }
    )


def fig5():
    return pd.DataFrame(
        {
            "panel": ["heatmap"] * 4,
            "duration_s": [60, 60, 120, 120],
            "tau_s": [0.5] * 4,
            "rep": [0, 1, 0, 1],
            "method": ["zerolag"] * 4,
            "auc": [0.8, 0.9, 0.95, 0.97],
            "prs": [0.7, 0.8, 0.9, 0.92],
            "pcc": [0.6, 0.7, 0.8, np.nan],
        }
    )


def write(directory, **tables):
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(directory / f"{name}.csv", index=False, float_format="%.17g")
    return directory


def run(a, b, *args):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(a), str(b), *args], capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def old(tmp_path):
    return write(tmp_path / "old", fig4=fig4(), fig5=fig5())


def test_identical_trees(old, tmp_path):
    new = write(tmp_path / "new", fig4=fig4(), fig5=fig5())
    code, out = run(old, new)
    assert code == 0, out
    assert "fig4.csv: identical (6 columns, 3 rows)" in out
    assert "fig5.csv: identical (8 columns, 4 rows)" in out


def test_last_digit_of_a_float_differs(old, tmp_path):
    changed = fig4()
    changed.loc[0, "auc"] = 0.10000000000000002
    code, out = run(old, write(tmp_path / "new", fig4=changed, fig5=fig5()))
    assert code == 1, out
    assert "fig4.csv: differs" in out
    assert "auc: 1 of 3 cells" in out
    assert "row 0 (panel=A, rep=0, method=zerolag)" in out


def test_wall_time_is_ignored(old, tmp_path):
    changed = fig4()
    changed["seconds"] = [9.0, 8.0, 7.0]
    code, out = run(old, write(tmp_path / "new", fig4=changed, fig5=fig5()))
    assert code == 0, out


def test_missing_file(old, tmp_path):
    code, out = run(old, write(tmp_path / "new", fig4=fig4()))
    assert code == 1, out
    assert "fig5.csv: differs" in out
    assert "missing in B" in out


def test_column_on_one_side(old, tmp_path):
    code, out = run(old, write(tmp_path / "new", fig4=fig4().assign(extra=1), fig5=fig5()))
    assert code == 1, out
    assert "columns only in B: extra" in out


def test_int_and_float_nan_and_nan_are_equal(tmp_path):
    a = write(tmp_path / "a", t=pd.DataFrame({"n": [12, 3], "x": [np.nan, np.inf]}))
    b = tmp_path / "b"
    b.mkdir()
    (b / "t.csv").write_text("n,x\n12.0,nan\n3,inf\n")
    code, out = run(a, b)
    assert code == 0, out
    assert "t.csv: identical" in out


def test_columns_in_another_order_is_a_note(old, tmp_path):
    code, out = run(old, write(tmp_path / "new", fig4=fig4().iloc[:, ::-1], fig5=fig5()))
    assert code == 0, out
    assert "columns in a different order" in out


def test_expected_difference_prints_the_means(old, tmp_path):
    changed = fig5()
    changed["auc"] = changed["auc"] - 0.1
    new = write(tmp_path / "new", fig4=fig4(), fig5=changed)
    code, out = run(old, new, "--expect-different", "fig5")
    assert code == 0, out
    assert "fig5.csv: differs (expected)" in out
    assert "mean duration_s=60: auc 0.8500 -> 0.7500 (-1.00e-01)" in out
    assert "mean duration_s=120: auc 0.9600 -> 0.8600 (-1.00e-01)" in out
    assert "pcc 0.8000 -> 0.8000" in out  # the mean over the non-NaN cells
    code, out = run(old, new)
    assert code == 1, out


def test_missing_directory_is_a_usage_error(old, tmp_path):
    code, out = run(old, tmp_path / "nowhere")
    assert code == 2
    assert "not a directory" in out
