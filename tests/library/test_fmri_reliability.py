"""Reliable links of the fMRI networks: per subject from its series, and in the group, on simulated subjects."""

import numpy as np
import pandas as pd
import pytest

from zerolag import NetworkSpec, make_network
from zerolag.fmri.reliability import group_links, reliability_summary, reliable, subject_reliability

SPEC = NetworkSpec(12, 0.15, 0.5)


def _subject(seed):
    g, _ = make_network(SPEC, random_state=0)
    x = np.random.default_rng(seed).standard_normal((3000, SPEC.n)) @ np.linalg.inv(np.eye(SPEC.n) - g).T
    return g, (x - x.mean(0)) / x.std(0, ddof=1)


REGIONS = pd.DataFrame({"index": np.arange(101, 101 + SPEC.n), "name": [f"R{k}_L" for k in range(SPEC.n)]})


@pytest.fixture(scope="module")
def subjects():
    out = []
    for seed in (1, 2, 3):
        g, x = _subject(seed)
        out.append(
            subject_reliability(
                x,
                REGIONS,
                n_resamples=40,
                n_surrogates=19,
                random_state=seed,
                params={"optimizer": "fast"},
                top_fraction=0.1,
                null_distribution="pooled",
            )  # fmt: skip
        )
    return g, out


def _declared(table, g):
    ok = reliable(table, q=0.05, sign_stability=0.95).to_numpy()
    pos = {name: k for k, name in enumerate(REGIONS["name"])}
    truth = g[table["target"].map(pos), table["source"].map(pos)]
    return ok, truth


def test_a_subjects_links_carry_their_label_values_and_the_true_strong_links_are_reliable(subjects):
    g, out = subjects
    table, record = out[0]
    assert len(table) == SPEC.n * (SPEC.n - 1) and table["target_index"].iloc[0] == 101
    assert record["null_distribution"] == "pooled" and record["n_surrogates"] == 19
    assert record["null_model"] == "network"  # the default here: the null of an absent link
    ok, truth = _declared(table, g)
    # power: most true links are declared, with their signs (measured: 15 of the 19 true links, 3 absent ones)
    assert (ok & (truth != 0)).sum() >= 15
    assert np.all(np.sign(table["weight"].to_numpy()[ok & (truth != 0)]) == np.sign(truth[ok & (truth != 0)]))
    with pytest.raises(ValueError, match="lacks"):
        reliable(table.drop(columns=["q"]), q=0.05, sign_stability=0.95)


def test_the_no_coupling_null_declares_more_absent_links_than_the_network_null(subjects):
    # the no-coupling surrogates test against G = 0: the fit's own errors on the absent links of a coupled
    # network pass that test too (measured on this subject: 17 absent links declared against the network
    # null's 3, at 17 and 15 of the 19 true links)
    g, out = subjects
    x = _subject(1)[1]
    independent, record = subject_reliability(
        x, REGIONS, n_resamples=40, n_surrogates=19, random_state=1, params={"optimizer": "fast"}, top_fraction=0.1,
        null_model="independent", null_distribution="pooled",
    )  # fmt: skip
    assert record["null_model"] == "independent"
    ok_net, truth = _declared(out[0][0], g)
    ok_ind, _ = _declared(independent, g)
    assert (ok_ind & (truth == 0)).sum() >= 2 * (ok_net & (truth == 0)).sum() + 5
    assert (ok_net & (truth != 0)).sum() >= (ok_ind & (truth != 0)).sum() - 3


def test_the_group_row_counts_the_group_test_and_each_subject_its_reliable_links(subjects):
    _, out = subjects
    tables = [t for t, _ in out]
    group = group_links(tables, top_fraction=0.1)
    assert len(group) == SPEC.n * (SPEC.n - 1) and (group["n_subjects"] == 3).all()
    summary = reliability_summary(["a", "b", "c"], tables, group, q=0.05, sign_stability=0.95, top_fraction=0.1)
    assert summary["subject"].tolist() == ["a", "b", "c", "group"]
    for name, t in zip("abc", tables, strict=True):
        row = summary.set_index("subject").loc[name]
        assert row["reliable"] == int(reliable(t, q=0.05, sign_stability=0.95).sum()) and row["kept"] == 14
    assert summary.set_index("subject").loc["group", "reliable"] == int((group["q"] <= 0.05).sum())
    assert summary.set_index("subject").loc["group", "smallest_q"] == group["q"].min()
    assert summary["smallest_q"].iloc[0] == tables[0]["q"].min()
    with pytest.raises(ValueError, match="at least 2 subjects"):
        group_links(tables[:1], top_fraction=0.1)
