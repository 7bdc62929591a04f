"""The estimator's interface: standardisation as the command line does it, the paper's tolerances for data,
scikit-learn covariance estimators as input, and one series per subject with the group's quantities."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.covariance import OAS, EmpiricalCovariance, MinCovDet

from zerolag import NetworkSpec, ZeroLagConnectivity, estimate_connectivity, make_network, score
from zerolag.cli import main
from zerolag.estimation.estimator import standardise
from zerolag.estimation.optimizers.paper import DATA_TOLERANCES
from zerolag.scoring.metrics import kept_count

SPEC = NetworkSpec(12, 0.2, 0.5)


def _samples(seed: int, t: int = 8000, scales: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    g, _ = make_network(SPEC, random_state=0)  # one network, every subject
    x = rng.standard_normal((t, SPEC.n)) @ np.linalg.inv(np.eye(SPEC.n) - g).T
    return g, x if scales is None else x * scales


# --- standardisation


def test_default_standardises_so_the_estimate_does_not_depend_on_the_channels_units():
    _, x = _samples(1)
    scales = np.geomspace(0.01, 100, SPEC.n)
    est = ZeroLagConnectivity().fit(x)
    np.testing.assert_allclose(est.covariance_, np.corrcoef(x, rowvar=False), atol=1e-12)
    np.testing.assert_allclose(est.connectivity_, estimate_connectivity(np.corrcoef(x, rowvar=False)), atol=1e-10)
    np.testing.assert_allclose(ZeroLagConnectivity().fit(x * scales).connectivity_, est.connectivity_, atol=1e-8)
    raw = ZeroLagConnectivity(standardize=False)
    assert np.abs(raw.fit(x * scales).connectivity_ - est.connectivity_).max() > 0.1
    centred = standardise(x - x.mean(axis=0), assume_centered=True)
    np.testing.assert_allclose(np.mean(centred**2, axis=0), 1.0)


@pytest.mark.parametrize("optimizer", ["fast", "paper"])
def test_the_library_and_the_command_line_give_the_same_network(tmp_path, optimizer):
    """Same data, same defaults (standardised; the paper's data tolerances for the paper's optimiser)."""
    _, x = _samples(2, t=4000)
    x = x * np.linspace(0.5, 5, SPEC.n)  # unequal units, which standardising removes
    names = [f"R{k}" for k in range(SPEC.n)]
    pd.DataFrame(x, columns=names).to_csv(tmp_path / "ts.csv", index=False)
    out = tmp_path / "net.csv"
    args = ["estimate", str(tmp_path / "ts.csv"), "-o", str(out), "--no-detrend", "--no-diagnostic"]
    assert main([*args, "--optimizer", optimizer]) == 0
    table = pd.read_csv(out)
    est = ZeroLagConnectivity(optimizer=optimizer, diagnose=False).fit(x)
    cli = np.zeros((SPEC.n, SPEC.n))
    cli[table["target_index"] - 1, table["source_index"] - 1] = table["weight"]
    if optimizer == "fast":
        np.testing.assert_allclose(cli, est.connectivity_, atol=1e-9)
    else:  # capped at its iterations, the paper's optimiser carries last-bit differences of the input along
        assert np.abs(cli - est.connectivity_).max() < 0.02
        assert np.corrcoef(cli.ravel(), est.connectivity_.ravel())[0, 1] > 0.999
        assert {k: est.fit_info_.options[k] for k in DATA_TOLERANCES} == DATA_TOLERANCES


def test_the_paper_optimiser_uses_the_data_tolerances_on_series_and_its_defaults_on_a_covariance():
    _, x = _samples(3, t=3000)
    est = ZeroLagConnectivity(optimizer="paper").fit(x)
    np.testing.assert_allclose(est.covariance_, np.corrcoef(x, rowvar=False), atol=1e-12)
    expected = estimate_connectivity(est.covariance_, optimizer="paper", **DATA_TOLERANCES)
    np.testing.assert_array_equal(est.connectivity_, expected)
    pre = ZeroLagConnectivity(optimizer="paper", covariance="precomputed").fit(np.corrcoef(x, rowvar=False))
    assert pre.fit_info_.options["xtol"] == 0.5  # the paper's noise-free default
    told = ZeroLagConnectivity(optimizer="paper", optimizer_options={"xtol": 1e-2}).fit(x)
    assert told.fit_info_.options["xtol"] == 1e-2 and told.fit_info_.options["ftol"] == DATA_TOLERANCES["ftol"]


# --- scikit-learn covariance estimators


def test_a_covariance_estimator_object_is_cloned_and_fitted_on_the_standardised_series():
    _, x = _samples(4, t=3000)
    oas = OAS()
    est = ZeroLagConnectivity(covariance=oas).fit(x)
    expected = OAS().fit(standardise(x)).covariance_
    np.testing.assert_allclose(est.covariance_, expected, atol=1e-12)
    np.testing.assert_allclose(
        est.connectivity_, ZeroLagConnectivity(covariance="precomputed").fit(expected).connectivity_, atol=1e-12
    )
    assert est.covariance_estimator_ is not oas and not hasattr(oas, "covariance_")  # the parameter is untouched
    empirical = ZeroLagConnectivity(covariance=EmpiricalCovariance(), standardize=False).fit(x)
    np.testing.assert_allclose(empirical.covariance_, np.cov(x, rowvar=False, ddof=0), atol=1e-12)
    assert clone(est).get_params()["covariance"].__class__ is OAS
    robust = ZeroLagConnectivity(covariance=MinCovDet(random_state=0)).fit(x[:600])
    assert robust.connectivity_.shape == (SPEC.n, SPEC.n)


def test_a_covariance_estimator_with_fewer_samples_than_nodes_works_when_it_shrinks():
    _, x = _samples(5, t=8)
    est = ZeroLagConnectivity(covariance=OAS()).fit(x)  # 8 samples, 12 nodes: OAS is positive definite
    assert np.isfinite(est.connectivity_).all()


class _NoCovariance:
    def fit(self, x):
        return self

    def get_params(self, deep=True):
        return {}


@pytest.mark.parametrize(
    ("covariance", "message"),
    [
        (object(), "or a scikit-learn covariance estimator"),
        (_NoCovariance(), "set no covariance_ when fitted"),
        ("shrunk", "'empirical', 'ledoit_wolf', 'long_run' or 'precomputed'"),
    ],
)
def test_a_covariance_that_is_neither_a_name_nor_an_estimator_is_refused(covariance, message):
    _, x = _samples(6, t=500)
    with pytest.raises((ValueError, TypeError), match=message):
        ZeroLagConnectivity(covariance=covariance).fit(x)


# --- one series per subject


def test_a_list_of_subjects_fits_each_and_gives_the_group_quantities():
    g, _ = _samples(0)
    subjects = [_samples(seed, t=4000 + 500 * seed)[1] for seed in range(10, 14)]  # lengths may differ
    group = ZeroLagConnectivity().fit(subjects)
    singles = [ZeroLagConnectivity().fit(x) for x in subjects]
    assert group.n_subjects_ == 4 and group.connectivities_.shape == (4, SPEC.n, SPEC.n)
    for k, single in enumerate(singles):
        np.testing.assert_array_equal(group.connectivities_[k], single.connectivity_)
        np.testing.assert_array_equal(group.covariances_[k], single.covariance_)
        assert group.fit_infos_[k].n_iter == single.n_iter_ == group.n_iter_[k]
    np.testing.assert_allclose(group.connectivity_, np.mean([s.connectivity_ for s in singles], axis=0))
    kept = kept_count(SPEC.n, 0.1)
    assert group.selection_counts_.sum() == 4 * kept and group.selection_counts_.max() <= 4
    assert np.all(np.diag(group.selection_counts_) == 0)
    # the same network in every subject: the links found in all of them are true links, with the true sign
    everywhere = group.selection_counts_ == 4
    assert everywhere.sum() >= 5 and np.all(g[everywhere] != 0)
    assert np.all(group.sign_agreement_[everywhere] == 1.0)
    assert np.all(np.sign(group.connectivity_[everywhere]) == np.sign(g[everywhere]))
    assert score(g, group.connectivity_)["auc"] > 0.9  # measured 0.917; each subject's 0.917–0.931
    assert group.covariance_ is None and group.unitary_ is None and group.converged_ is True


def test_a_group_refit_on_one_series_leaves_no_group_attribute_and_precomputed_lists_work():
    subjects = [_samples(seed, t=3000)[1] for seed in (20, 21)]
    est = ZeroLagConnectivity().fit(subjects)
    est.fit(subjects[0])
    assert not hasattr(est, "connectivities_") and est.covariance_ is not None
    pre = ZeroLagConnectivity(covariance="precomputed").fit([np.corrcoef(x, rowvar=False) for x in subjects])
    np.testing.assert_allclose(pre.connectivity_, ZeroLagConnectivity().fit(subjects).connectivity_, atol=1e-10)


def test_bad_subjects_are_named():
    x = _samples(30, t=2000)[1]
    with pytest.raises(ValueError, match=r"subject 1 \(X\[1\]\).*has 5 features"):
        ZeroLagConnectivity().fit([x, x[:, :5]])
    bad = x.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ValueError, match=r"subject 1 \(X\[1\]\): X\[1\] contains NaN"):
        ZeroLagConnectivity().fit([x, bad])
    with pytest.raises(ValueError, match="empty list"):
        ZeroLagConnectivity().fit([])
    with pytest.raises(ValueError, match=r"top_fraction must lie in \(0, 1\]"):
        ZeroLagConnectivity(top_fraction=0).fit([x, x])
