"""Group statistics, agreement with RIC and the comparison with structure, on hand-made matrices;
the ADMM graphical lasso behind RIC against scikit-learn and its optimality conditions."""

import numpy as np
import pytest

from zerolag.fmri.anatomy import compare_with_structure
from zerolag.fmri.group import (
    agreement,
    chance_consistent,
    group_statistics,
    subject_statistics,
    threshold,
    topography,
    undirected,
)
from zerolag.methods.glasso import graphical_lasso_admm

# 4 regions, 12 off-diagonal entries; top_fraction 3/16 keeps round(3/16 · 4²) = 3 entries (the paper's N² count)
# and, for undirected networks made the paper's way, round(3/16 · 4² / 2) = 2 of the 6 pairs
TOP = 3 / 16
G1 = np.array(
    [
        [0.0, 0.9, 0.0, 0.0],
        [0.8, 0.0, 0.0, -0.7],
        [0.0, 0.0, 0.0, 0.1],
        [0.0, 0.0, 0.2, 0.0],
    ]
)  # kept: (0,1) 0.9, (1,0) 0.8, (1,3) -0.7 → one bidirectional pair, one inhibitory
G2 = np.array(
    [
        [0.0, 0.0, 0.0, 0.0],
        [0.9, 0.0, 0.0, 0.0],
        [-0.8, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.7, 0.0],
    ]
)  # kept: (1,0), (2,0) −, (3,2)


def test_threshold_keeps_the_strongest_by_magnitude_whatever_the_sign():
    kept = threshold(G1, TOP)
    assert sorted(zip(*np.nonzero(kept), strict=True)) == [(0, 1), (1, 0), (1, 3)]
    assert not kept.diagonal().any()


def test_subject_statistics_by_hand():
    s = subject_statistics(G1, TOP)
    assert s["links"] == 3 and s["possible_links"] == 12
    assert s["inhibitory"] == 1 and s["fraction_inhibitory"] == pytest.approx(1 / 3)
    assert s["bidirectional"] == 2 and s["unidirectional"] == 1
    assert s["threshold"] == pytest.approx(0.7)


def test_group_statistics_by_hand():
    g = group_statistics([G1, G2, G1], top_fraction=TOP, min_subjects=2)
    # kept counts: (0,1): 2, (1,0): 3, (1,3): 2, (2,0): 1, (3,2): 1 → 3 entries in ≥ 2 subjects
    assert g["consistent_links"] == 3 and g["consistent_fraction"] == pytest.approx(1.0)
    assert g["absent_in_all"] == 12 - 5
    assert g["fraction_inhibitory"] == pytest.approx(1 / 3)
    assert g["bidirectional"] == pytest.approx((2 + 0 + 2) / 3)
    # pairs, symmetrised first (strength max(|g_ij|, |g_ji|)), 2 kept: G1 {01 .9, 13 .7}, G2 {01 .9, 02 .8}
    # → pair 01 in 3 networks, 13 in 2, 02 in 1
    assert g["consistent_pairs"] == 2 and g["absent_pairs_in_all"] == 6 - 3
    assert g["pairs_per_subject"] == 2
    # thresholded first: G1 {01, 13}, G2 {01, 02, 23} → 01 in 3, 13 in 2, 02 in 1, 23 in 1
    t = group_statistics([G1, G2, G1], top_fraction=TOP, min_subjects=2, order="threshold_first")
    assert t["consistent_pairs"] == 2 and t["absent_pairs_in_all"] == 6 - 4
    assert t["pairs_per_subject"] == pytest.approx((2 + 3 + 2) / 3)
    assert g["chance_consistent"] == pytest.approx(12 * (3 * TOP**2 * (1 - TOP) + TOP**3))
    with pytest.raises(ValueError, match="no subjects"):
        group_statistics([])


def test_chance_level_matches_the_papers_estimate():
    # the paper: random directed networks at 10 % → fewer than 25 of 8100 entries in ≥ 4 of 7
    assert 20 < chance_consistent(8100, 0.1, 7, 4) < 25


def test_topography_by_hand():
    names = ["A_L", "A_R", "B_L", "B_R", "C_L", "C_R", "Vermis"]
    kept = np.zeros((7, 7), dtype=bool)
    kept[0, 1] = kept[1, 0] = True  # A_L ↔ A_R: the one homotopic pair, both directions
    kept[0, 2] = True  # A_L → B_L: within-hemisphere neighbours (places 0 and 1)
    kept[0, 4] = True  # A_L → C_L: two places apart, still a neighbour at distance 2
    kept[6, 0] = True  # Vermis → A_L: midline, in no block
    out = topography(kept, names, neighbour_distance=1)
    assert out["homotopic_entries"] == 6 and out["neighbour_entries"] == 8
    # homotopic: 2 of 6 kept, against 5 of 42 off-diagonal entries
    assert out["homotopic_enrichment"] == pytest.approx((2 / 6) / (5 / 42))
    # neighbours (distance ≤ 1): A–B, B–C in each hemisphere, both directions = 8, 1 kept; within: 12, 2 kept
    assert out["neighbour_enrichment"] == pytest.approx((1 / 8) / (2 / 12))
    assert topography(kept, names)["neighbour_enrichment"] == pytest.approx(1.0)  # distance 2: all within
    with pytest.raises(ValueError, match="one name per row"):
        topography(kept, names[:-1])


def test_agreement_counts_by_hand():
    a = agreement(G1, G2, TOP)
    # the paper's way, symmetrise then threshold: G1 {01, 13}, G2 {01, 02}
    assert a == {
        "pairs": 6,
        "both": 1,
        "neither": 3,
        "only_ours": 1,
        "only_theirs": 1,
        "agree": 4,
    }  # neither: 03, 12, 23
    a = agreement(G1, G2, TOP, order="threshold_first")
    # threshold then symmetrise: G1 {01, 13}, G2 {01, 02, 23}
    assert a == {"pairs": 6, "both": 1, "neither": 2, "only_ours": 1, "only_theirs": 2, "agree": 3}  # neither: 03, 12
    with pytest.raises(ValueError, match="order"):
        agreement(G1, G2, TOP, order="sideways")


def test_undirected_the_papers_way_keeps_half_as_many_pairs_as_links():
    # the paper's counts: ours and RIC's symmetrised networks together hold ≈ 810 of 90 regions' 4050 pairs
    rng = np.random.default_rng(3)
    g = rng.standard_normal((90, 90))
    sym = undirected(g, 0.1)
    assert (sym == sym.T).all() and not sym.diagonal().any()
    assert np.triu(sym, 1).sum() == 405
    # a symmetric network gives the same pairs either way (RIC's case)
    s = g + g.T
    assert (undirected(s, 0.1) == undirected(s, 0.1, order="threshold_first")).all()
    # a directed one thresholded first gets up to twice as many pairs
    assert np.triu(undirected(g, 0.1, order="threshold_first"), 1).sum() > 700


def test_comparison_with_structure():
    rng = np.random.default_rng(0)
    sc = rng.uniform(1, 100, (10, 10))
    sc = sc + sc.T
    np.fill_diagonal(sc, 0)
    same = compare_with_structure(np.log(sc + 1), sc, sc_top_fraction=0.2)
    assert same["spearman"] == pytest.approx(1.0) and same["auc_sc_top"] == pytest.approx(1.0)
    assert np.isnan(same["auc_sc_positive"]) and same["sc_zero_pairs"] == 0  # every pair connected
    sc2 = sc.copy()
    sc2[0, 1] = sc2[1, 0] = 0
    g = sc2.copy()
    g[0, 1] = 1000.0  # one direction only: symmetrised, still the strongest pair
    out = compare_with_structure(-g, sc2)  # signs are ignored
    assert out["sc_zero_pairs"] == 1 and out["auc_sc_positive"] == pytest.approx(0.0)
    with pytest.raises(ValueError, match="non-negative"):
        compare_with_structure(g, -sc)


def test_admm_graphical_lasso_matches_scikit_learn():
    from sklearn.covariance import graphical_lasso

    x = np.random.default_rng(3).standard_normal((400, 20))
    s = np.cov(x, rowvar=False)
    _, p = graphical_lasso(s, alpha=0.05, tol=1e-12, enet_tol=1e-12, max_iter=2000)
    np.testing.assert_allclose(graphical_lasso_admm(s, 0.05), p, atol=1e-8)


def test_admm_solves_an_ill_conditioned_correlation_where_scikit_learn_fails(monkeypatch):
    from zerolag.methods.baselines import ric

    rng = np.random.default_rng(1)
    n, t = 60, 400
    x = rng.standard_normal((t, n)) * 0.15 + rng.standard_normal((t, 1))  # a strong global signal
    c = np.corrcoef(x, rowvar=False)
    rho = 0.005
    s = c + rho * np.eye(n)
    z = graphical_lasso_admm(s, rho)
    grad = s - np.linalg.inv(z)  # optimality: grad_ij = −rho sign(z_ij) where z_ij ≠ 0, |grad_ij| ≤ rho else
    off = ~np.eye(n, dtype=bool)
    nz = off & (z != 0)
    assert np.abs(grad[nz] + rho * np.sign(z[nz])).max() < 1e-6
    assert np.abs(grad[off & (z == 0)]).max() <= rho + 1e-6
    assert np.abs(np.diag(grad)).max() < 1e-6
    # RIC at λ = 5 (rho = 0.005, as FSLNets) on the same matrix: scikit-learn's solver fails on it, so RIC
    # must take its ADMM fallback and return that solution, normalised: r_ij = −z_ij / sqrt(z_ii z_jj)
    import zerolag.methods.glasso as glasso

    calls = []
    monkeypatch.setattr(
        glasso, "graphical_lasso_admm", lambda *a, **k: calls.append(a) or graphical_lasso_admm(*a, **k)
    )
    r = ric(c, 5)
    assert len(calls) == 1, "scikit-learn's solver answered: the fallback was not exercised"
    np.testing.assert_array_equal(calls[0][0], c / np.mean(np.diag(c)) + 0.005 * np.eye(n))
    d = np.sqrt(np.diag(z))
    expected = -z / np.outer(d, d)
    np.fill_diagonal(expected, 0)
    np.testing.assert_allclose(r, expected, rtol=0, atol=1e-12)
    assert np.count_nonzero(r) > 0 and np.array_equal(r, r.T)
