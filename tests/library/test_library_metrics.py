import numpy as np
import pytest

from zerolag import score


def test_perfect_and_hand_computed_scores():
    truth = np.array([[0, 1.0, 0], [0, 0, -1.0], [0, 0, 0]])
    s = score(truth, truth, top_fraction=2 / 9)
    assert s["auc"] == 1 and s["prs"] == 1 and s["pcc"] == pytest.approx(1)
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (2, 0, 0, 4)
    assert s["sign_accuracy"] == 1 and s["fnr"] == 0 and s["fpr"] == 0

    # off-diagonal order (row-major): (0,1) (0,2) (1,0) (1,2) (2,0) (2,1); truth labels 1 0 0 1 0 0
    est = np.array([[9.0, -0.9, 0.8], [0.1, 9.0, -0.3], [0.2, 0.05, 9.0]])
    s = score(truth, est, top_fraction=2 / 9)
    # |est| ranks: 0.9(T) 0.8(F) 0.3(T) 0.2(F) 0.1(F) 0.05(F): 2 positives, 4 negatives
    # pairs positive > negative: 0.9 beats 4, 0.3 beats 3 (0.2, 0.1, 0.05) → 7/8
    assert s["auc"] == pytest.approx(7 / 8)
    # average precision: precision at recall 1/2 is 1, at recall 1 is 2/3
    assert s["prs"] == pytest.approx((1 + 2 / 3) / 2)
    assert (s["n_kept"], s["tp"], s["fp"], s["fn"], s["tn"]) == (2, 1, 1, 1, 3)
    assert s["fnr"] == pytest.approx(0.5) and s["fpr"] == pytest.approx(0.25)
    assert s["sign_accuracy"] == 0  # the one true positive, (0,1), has the wrong sign
    t = np.array([1, 0, 0, -1, 0, 0.0])
    e = np.array([-0.9, 0.8, 0.1, -0.3, 0.2, 0.05])
    assert s["pcc"] == pytest.approx(np.corrcoef(t, e)[0, 1])


def test_the_threshold_keeps_the_papers_count_of_n_squared():
    from zerolag.scoring.metrics import kept_count

    assert kept_count(90, 0.1) == 810  # the paper: 810 connections per subject of 90 regions
    assert kept_count(100, 0.1) == 1000  # not 990 = 10 % of N (N − 1)
    assert kept_count(3, 1.0) == 6  # never more than the off-diagonal entries
    rng = np.random.default_rng(1)
    truth = (rng.random((20, 20)) < 0.2) * 1.0
    np.fill_diagonal(truth, 0)
    s = score(truth, rng.standard_normal((20, 20)), top_fraction=0.1)
    assert s["n_kept"] == 40 and s["tp"] + s["fp"] == 40
    with pytest.raises(ValueError, match="top_fraction"):
        kept_count(10, 0)


def test_the_papers_statistics_over_all_entries_by_hand():
    # 3 nodes, 9 entries: truth (0,1) = 1, (1,2) = −1; a covariance-like estimate with a large diagonal
    truth = np.array([[0, 1.0, 0], [0, 0, -1.0], [0, 0, 0]])
    est = np.array([[2.0, 0.9, 0.8], [0.1, 2.0, -0.3], [0.2, 0.05, 2.0]])
    s = score(truth, est, top_fraction=2 / 9)  # keeps (0,1) TP and (0,2) FP; (1,2) is a FN
    assert s["pcc_all"] == pytest.approx(np.corrcoef(truth.ravel(), est.ravel())[0, 1])
    assert s["pcc_all"] < s["pcc"]  # the diagonal, large in the estimate and 0 in the truth, pulls it down
    assert s["fn_share"] == pytest.approx(1 / 9) and s["fp_share"] == pytest.approx(1 / 9)
    assert s["fnr"] == pytest.approx(1 / 2) and s["fpr"] == pytest.approx(1 / 4)  # ours: other denominators


def test_threshold_at_true_density_and_diagonal_ignored():
    truth = np.array([[0, 1.0, 0], [0, 0, 1.0], [0, 0, 0]])
    est = truth + 100 * np.eye(3)
    s = score(truth, est, top_fraction=None)
    assert s["n_kept"] == 2 and s["tp"] == 2 and s["auc"] == 1


def test_degenerate_cases_give_nan_not_errors():
    s = score(np.zeros((3, 3)), np.ones((3, 3)))
    assert np.isnan(s["auc"]) and np.isnan(s["pcc"]) and np.isnan(s["fnr"])


def test_bad_shapes_and_values_raise():
    with pytest.raises(ValueError, match="equal shape"):
        score(np.zeros((3, 3)), np.zeros((4, 4)))
    with pytest.raises(ValueError, match="NaN"):
        score(np.eye(3), np.full((3, 3), np.nan))
    with pytest.raises(ValueError, match="top_fraction"):
        score(np.eye(3), np.eye(3), top_fraction=1.5)


def test_auc_and_average_precision_match_scikit_learn_with_ties():
    from sklearn.metrics import average_precision_score, roc_auc_score

    from zerolag.scoring.metrics import average_precision, roc_auc

    rng = np.random.default_rng(0)
    for _ in range(20):
        labels = rng.random(200) < 0.2
        scores = np.round(rng.random(200) + labels * rng.random(), 1)  # many ties
        assert roc_auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)
        assert average_precision(labels, scores) == pytest.approx(average_precision_score(labels, scores), abs=1e-12)


# --------------------------------------------------------------------------------------------------
# curves and confusion classes (Fig. 2)


def test_roc_and_pr_curves_on_a_hand_computed_case():
    from zerolag.scoring.metrics import precision_recall_curve, roc_curve

    truth = np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]], dtype=float)  # 2 links among 6 off-diagonal entries
    est = np.array([[0, 0.9, 0.8], [0.1, 0, 0.3], [0.2, 0.05, 0]])
    # ranked: (0,1) T, (0,2) F, (1,2) T, (2,0) F, (1,0) F, (2,1) F
    fpr, tpr = roc_curve(truth, est)
    assert np.allclose(fpr, [0, 0, 0.25, 0.25, 0.5, 0.75, 1.0])
    assert np.allclose(tpr, [0, 0.5, 0.5, 1, 1, 1, 1])
    assert np.trapezoid(tpr, fpr) == pytest.approx(score(truth, est)["auc"])
    recall, precision = precision_recall_curve(truth, est)
    assert np.allclose(recall, [0.5, 0.5, 1, 1, 1, 1])
    assert np.allclose(precision, [1, 0.5, 2 / 3, 0.5, 0.4, 1 / 3])


def test_tied_scores_form_one_step():
    from zerolag.scoring.metrics import roc_curve

    truth = np.array([[0, 1], [0, 0]], dtype=float)
    fpr, tpr = roc_curve(truth, np.array([[0, 0.5], [0.5, 0]]))  # a symmetric estimate cannot rank the pair
    assert np.allclose(fpr, [0, 1]) and np.allclose(tpr, [0, 1])


def test_confusion_labels_at_the_top_fraction():
    from zerolag.scoring.metrics import confusion_labels

    truth = np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]], dtype=float)
    est = np.array([[0, 0.9, 0.8], [0.1, 0, 0.3], [0.2, 0.05, 0]])
    labels = confusion_labels(truth, est, top_fraction=2 / 9)  # round(2/9 · 3²) = 2 kept: (0,1) and (0,2)
    assert labels.tolist() == [["", "TP", "FP"], ["TN", "", "FN"], ["TN", "TN", ""]]


def test_pcc_all_counts_the_diagonal_a_baseline_had_before_it_was_zeroed():
    from zerolag.methods.baselines import correlation, covariance_matrix, diagonal_before_zeroing

    truth = np.array([[0, 1.0, 0], [0, 0, -1.0], [0, 0, 0]])
    c = np.array([[2.0, 0.5, 0.1], [0.5, 1.5, -0.4], [0.1, -0.4, 1.0]])
    s = score(truth, covariance_matrix(c), diagonal=diagonal_before_zeroing("covariance", c))
    assert s["pcc_all"] == pytest.approx(np.corrcoef(truth.ravel(), c.ravel())[0, 1])  # the paper's Fig. 2 arithmetic
    assert s["pcc"] == score(truth, covariance_matrix(c))["pcc"]  # the off-diagonal PCC does not change
    d = np.sqrt(np.diag(c))
    r = score(truth, correlation(c), diagonal=diagonal_before_zeroing("correlation", c))
    assert r["pcc_all"] == pytest.approx(np.corrcoef(truth.ravel(), (c / np.outer(d, d)).ravel())[0, 1])
    assert diagonal_before_zeroing("zerolag", c) is None
    with pytest.raises(ValueError, match="diagonal must be 3 finite values"):
        score(truth, c, diagonal=np.ones(2))
