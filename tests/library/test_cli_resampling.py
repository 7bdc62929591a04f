"""``zerolag estimate --bootstrap N --surrogates M``: the statistics as columns of the table, their record, the
progress line, and the options refused."""

import io
import json

import numpy as np
import pandas as pd
import pytest

from zerolag import bootstrap_connectivity
from zerolag.cli import main
from zerolag.cli_resampling import COLUMNS, _progress

G = np.zeros((5, 5))
G[4, :3] = [0.6, 0.3, -0.3]  # three inputs of region e (row = target, column = source)
NAMES = list("abcde")


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    x = np.random.default_rng(0).standard_normal((3000, 5)) @ np.linalg.inv(np.eye(5) - G).T
    path = tmp_path_factory.mktemp("ts") / "ts.csv"
    pd.DataFrame(x * [1.0, 2.0, 0.5, 1.0, 3.0], columns=NAMES).to_csv(path, index=False)
    return path, x


def _run(path, out, *extra):
    args = ["estimate", str(path), "-o", str(out), "--no-detrend", "--no-diagnostic", *extra]
    assert main(args) == 0
    return pd.read_csv(out), json.loads(out.with_name(out.name + ".fit.json").read_text())


def test_the_table_gets_the_bootstrap_and_surrogate_columns_of_the_library(series, tmp_path):
    path, x = series
    table, record = _run(path, tmp_path / "net.csv", "--bootstrap", "100", "--surrogates", "99", "--seed", "3")
    at = list(table.columns).index("kept")
    assert list(table.columns[at + 1 :]) == list(COLUMNS.values())
    standardised = (x - x.mean(0)) / x.std(0, ddof=1)
    expected = bootstrap_connectivity(standardised, n_resamples=100, n_surrogates=99, random_state=3)
    off = ~np.eye(5, dtype=bool)
    # the CLI cleans with nilearn: the same standardisation, other rounding. The intervals agree on every link;
    # the sign and rank statistics on the true links (an absent link's estimate is ~0, its sign is noise)
    true = (G != 0)[off]
    for key, name in COLUMNS.items():
        got, want = table[name].to_numpy(), getattr(expected, key)[off]
        if key in ("ci_low", "ci_high", "sd"):
            np.testing.assert_allclose(got, want, atol=1e-4, err_msg=name)
        else:
            np.testing.assert_allclose(got[true], want[true], atol=1e-9, err_msg=name)
    # the three true inputs: stable sign, the smallest p the surrogates allow
    inputs = table[(table["target"] == "e") & table["source"].isin(["a", "b", "c"])]
    assert (inputs["sign_stability"] >= 0.95).all() and (inputs["p"] <= 0.02).all()
    assert np.all(np.sign(inputs["weight"]) == np.sign(G[4, :3]))
    resampling = record["resampling"]
    assert resampling["n_resamples"] == 100 and resampling["n_surrogates"] == 99 and resampling["seed"] == 3
    assert resampling["null_distribution"] == "per_link"
    assert resampling["block_length"] == expected.block_length and set(resampling["links_at_q"]) == {
        "0.01",
        "0.05",
        "0.1",
    }
    assert resampling["stability_selection"]["0.9"]["links"] == int(expected.stable_links(0.9).sum())


def test_the_same_seed_gives_the_same_file_and_bootstrap_alone_has_no_p(series, tmp_path):
    path, _ = series
    first, _ = _run(path, tmp_path / "a.csv", "--bootstrap", "60", "--jobs", "2")
    again, _ = _run(path, tmp_path / "b.csv", "--bootstrap", "60")
    pd.testing.assert_frame_equal(first, again, check_exact=True)
    assert "p" not in first and "q" not in first and "sign_stability" in first
    plain, record = _run(path, tmp_path / "c.csv")
    assert "ci_low" not in plain and "resampling" not in record


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--bootstrap", "100", "--method", "ric"], "resample the zero-lag estimator; --method ric is not"),
        (["--surrogates", "99", "--covariance", "long_run"], "--covariance long_run is not supported with them"),
        (["--block-length", "20"], "--block-length sets the resampling: add --bootstrap N"),
        (["--null", "pooled"], "--null sets the resampling"),
        (["--null-model", "network"], "--null-model sets the resampling"),
        (["--bootstrap", "100", "--null-model", "network"], "--null-model network draws its null from surrogates"),
        (["--bootstrap", "-5"], "give 0 (none) or a positive number"),
        (["--bootstrap", "10"], "n_resamples = 10 is too few for a 0.95 interval"),
        (["--bootstrap", "100", "--block-length", "2000"], "block_length"),
    ],
)
def test_resampling_options_that_cannot_work_are_refused_and_nothing_is_written(
    series, tmp_path, capsys, extra, message
):
    path, _ = series
    out = tmp_path / "net.csv"
    assert main(["estimate", str(path), "-o", str(out), "--no-diagnostic", *extra]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_the_network_null_gives_the_librarys_p_values_and_is_recorded(series, tmp_path):
    path, x = series
    extra = ("--surrogates", "49", "--null-model", "network", "--null", "pooled", "--seed", "4")
    table, record = _run(path, tmp_path / "net.csv", *extra)
    standardised = (x - x.mean(0)) / x.std(0, ddof=1)
    expected = bootstrap_connectivity(
        standardised, n_resamples=0, n_surrogates=49, null_model="network", null_distribution="pooled", random_state=4
    )
    off = ~np.eye(5, dtype=bool)
    true = (G != 0)[off]
    np.testing.assert_allclose(table["p"].to_numpy()[true], expected.p[off][true], atol=1e-9)
    inputs = table[(table["target"] == "e") & table["source"].isin(["a", "b", "c"])]
    assert (inputs["q"] <= 0.05).all()
    assert record["resampling"]["null_model"] == "network" and record["resampling"]["null_distribution"] == "pooled"


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_drawn_on_a_terminal_only():
    assert _progress(io.StringIO()) is None
    stream = _Terminal()
    show = _progress(stream)
    show("surrogate", 16, 32)
    show("surrogate", 32, 32)
    text = stream.getvalue()
    assert "\rsurrogates " in text and "16/32" in text and text.endswith("32/32\n")
