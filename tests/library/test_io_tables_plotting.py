"""Atomic writers, the tidy metric row and the Fig. 3 drawing (the workflow's library side)."""

import json
import os
import stat

import numpy as np
import pandas as pd
import pytest

from zerolag import NetworkSpec, make_network, score
from zerolag.io import atomic_write, save_figure, save_json, save_npy, save_npz, save_table
from zerolag.scoring.tables import FIT_COLUMNS, metric_row


def test_writers_round_trip_and_leave_no_temporary_files(tmp_path):
    a = np.arange(6.0).reshape(2, 3)
    save_npy(tmp_path / "sub/a.npy", a)
    save_npz(tmp_path / "b.npz", G=a, truth=-a)
    save_json(tmp_path / "c.json", {"x": np.float64(1.5), "n": np.int64(3), "t": (1, 2)})
    save_table(tmp_path / "d.csv", pd.DataFrame({"v": [0.1 + 0.2, 1 / 3]}))
    assert np.array_equal(np.load(tmp_path / "sub/a.npy"), a)
    with np.load(tmp_path / "b.npz") as f:
        assert np.array_equal(f["truth"], -a)
    assert json.loads((tmp_path / "c.json").read_text()) == {"n": 3, "t": [1, 2], "x": 1.5}
    assert pd.read_csv(tmp_path / "d.csv")["v"].tolist() == [0.1 + 0.2, 1 / 3]  # full precision
    names = {p.name for p in tmp_path.rglob("*")}
    assert names == {"sub", "a.npy", "b.npz", "c.json", "d.csv"}


def test_written_files_get_the_mode_of_an_ordinary_open(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    save_npy(tmp_path / "a.npy", np.zeros(2))
    assert stat.S_IMODE((tmp_path / "a.npy").stat().st_mode) == 0o666 & ~umask


def test_failed_write_keeps_the_old_file_and_cleans_up(tmp_path):
    target = tmp_path / "x.json"
    save_json(target, {"old": True})

    def broken(tmp):
        with open(tmp, "w") as f:
            f.write("{half")
        raise RuntimeError("killed mid-write")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert json.loads(target.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_metric_row_has_both_thresholds_spec_and_fit_record():
    spec = NetworkSpec(n=30, p=0.1, rho=0.7)
    _, truth = make_network(spec, random_state=1)
    rng = np.random.default_rng(0)
    est = truth + 0.05 * rng.standard_normal(truth.shape)
    info = {"n_iter": 12, "converged": True, "stop_reason": "gtol", "final_cost": 3.0}
    row = metric_row(
        truth, est, net=spec.name, rep=2, method="zerolag", directed=True, info=info, seconds=0.5, top_fraction=0.1
    )
    expected = score(truth, est, top_fraction=0.1)
    at_density = score(truth, est, top_fraction=None)
    assert {k: row[k] for k in expected} == expected
    assert row["tp_density"] == at_density["tp"] and row["fnr_density"] == at_density["fnr"]
    assert (row["n"], row["p"], row["rho"], row["q"], row["rep"]) == (30, 0.1, 0.7, 0.0, 2)
    assert row["n_iter"] == 12 and row["converged"] is True and row["seconds"] == 0.5
    assert all(k in row for k in FIT_COLUMNS)
    assert all(np.isscalar(v) for v in row.values())  # flat: one CSV row


def test_metric_row_of_a_method_without_optimiser_leaves_fit_columns_empty():
    spec = NetworkSpec(n=20, p=0.2, rho=0.5)
    _, truth = make_network(spec, random_state=3)
    row = metric_row(
        truth, truth, net=spec.name, rep=0, method="covariance", directed=False, info={}, seconds=0.0, top_fraction=0.1
    )
    assert row["auc"] == 1.0 and row["n_iter"] == "" and row["directed"] is False


def _fig3_table():
    rng = np.random.default_rng(0)
    rows = []
    for panel, parameter, values in [
        ("A", "rho", [0.1, 0.5, 0.9]),
        ("B", "p", [0.05, 0.1]),
        ("C", "n", [20, 50]),
        ("D", "q", [0.0, 0.1]),
    ]:
        for value in values:
            for rep in range(3):
                for method in ("zerolag", "covariance"):
                    auc, prs, pcc = rng.uniform(0.5, 1, 3)
                    rows.append(
                        dict(
                            panel=panel,
                            parameter=parameter,
                            value=value,
                            rep=rep,
                            method=method,
                            auc=auc,
                            prs=prs,
                            pcc=pcc,
                        )
                    )
    return pd.DataFrame(rows)


def test_plot_fig3_draws_four_lettered_panels_and_saves(tmp_path):
    from zerolag.plotting.fig3 import plot_fig3

    fig = plot_fig3(_fig3_table())
    axes = fig.get_axes()
    assert len(axes) == 4
    letters = [t.get_text() for ax in axes for t in ax.texts]
    assert letters == ["A", "B", "C", "D"]
    assert [ax.get_xlabel() for ax in axes] == [
        "spectral radius ρ",
        "connection probability p",
        "network size N",
        "background connection probability q",
    ]
    assert all("3 networks per point" in ax.get_title(loc="right") for ax in axes)
    assert len(axes[0].get_lines()) == 3  # AUC, PRS, PCC
    save_figure(fig, tmp_path / "f.pdf", tmp_path / "f.png")
    assert (tmp_path / "f.pdf").read_bytes()[:4] == b"%PDF"
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"


def test_plot_fig3_names_the_methods_present_when_asked_for_a_missing_one():
    from zerolag.plotting.fig3 import plot_fig3

    with pytest.raises(ValueError, match="covariance"):
        plot_fig3(_fig3_table(), method="ric")
