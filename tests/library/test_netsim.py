"""NetSim-style benchmark: scores on hand-made cases, the .mat reader, the generator and balloon model."""

import numpy as np
import pytest
import scipy.io

from zerolag.netsim import (
    BalloonParameters,
    NetSimModel,
    NetSimSpec,
    c_sensitivity,
    d_accuracy,
    estimate_subjects,
    netsim_scores,
    netsim_structure,
    read_netsim,
    simulate_netsim,
)
from zerolag.netsim.balloon import BalloonState

# ---------------------------------------------------------------------------------------------
# scores on hand-made cases (G[target, source])


def chain3():
    t = np.zeros((3, 3))
    t[1, 0] = t[2, 1] = 1.0  # 0 → 1 → 2; the pair {0, 2} is absent
    return t


def test_c_sensitivity_by_hand():
    truth = np.stack([chain3(), chain3()])
    est = np.zeros((2, 3, 3))
    # subject 0: true pairs 0.9 and 0.2 (in either direction), absent pair 0.3
    est[0, 1, 0], est[0, 1, 2], est[0, 2, 0] = 0.9, -0.2, 0.3
    # subject 1: true pairs 0.5 and 0.6, absent pair 0.1 (stored in the other triangle)
    est[1, 0, 1], est[1, 2, 1], est[1, 0, 2] = 0.5, 0.6, -0.1
    # absent strengths pooled: {0.3, 0.1}; 95th percentile = 0.1 + 0.95 · 0.2 = 0.29
    # true strengths pooled: {0.9, 0.2, 0.5, 0.6}: three exceed 0.29
    assert c_sensitivity(truth, est) == pytest.approx(3 / 4)
    assert c_sensitivity(truth, est, percentile=0) == pytest.approx(1.0)  # threshold 0.1: all four exceed it
    assert c_sensitivity(truth, est, percentile=100) == pytest.approx(3 / 4)  # threshold 0.3


def test_c_sensitivity_percentile_moves_the_threshold():
    truth = np.stack([chain3()])
    est = np.zeros((1, 3, 3))
    est[0, 1, 0], est[0, 2, 1], est[0, 2, 0] = 0.4, 0.2, 0.3
    assert c_sensitivity(truth, est) == pytest.approx(0.5)  # only 0.4 beats the absent 0.3
    est[0, 2, 0] = 0.1
    assert c_sensitivity(truth, est) == pytest.approx(1.0)
    assert np.isnan(c_sensitivity(np.ones((1, 2, 2)) - np.eye(2), est[:, :2, :2]))  # no absent pair


def test_d_accuracy_by_hand():
    truth = chain3()
    right = np.zeros((3, 3))
    right[1, 0], right[2, 1] = 0.5, 0.4
    assert d_accuracy(truth, right) == 1.0
    assert d_accuracy(truth, right.T) == 0.0  # every link reversed
    assert d_accuracy(truth, right + right.T) == 0.5  # symmetric: ties count one half = chance
    half = right.copy()
    half[1, 2] = 0.9  # the second link now points back
    assert d_accuracy(truth, half) == 0.5
    assert d_accuracy(truth, -right) == 1.0  # magnitude, not sign
    recip = chain3()
    recip[0, 1] = 1.0  # 0 ↔ 1 has no single direction: only 1 → 2 is scored
    est = np.zeros((3, 3))
    est[0, 1], est[2, 1] = 0.9, 0.3
    assert d_accuracy(recip, est) == 1.0
    # pooled over subjects: 2 of 4 one-way links right
    assert d_accuracy(np.stack([truth, truth]), np.stack([right, right.T])) == 0.5


def test_netsim_scores_report_means_over_subjects():
    truth = np.stack([chain3(), chain3()])
    est = np.stack([chain3() * 0.5, chain3().T * 0.5])
    s = netsim_scores(truth, est)
    assert s["n_subjects"] == 2 and s["d_accuracy"] == 0.5
    assert s["auc"] == pytest.approx(np.mean([1.0, 0.25]))  # the reversed estimate ranks the truth last


def test_scores_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="equal shape"):
        c_sensitivity(np.zeros((2, 3, 3)), np.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="NaN"):
        d_accuracy(chain3(), np.full((3, 3), np.nan))


# ---------------------------------------------------------------------------------------------
# the reader


def write_netsim(path, ts, net, **overrides):
    s, t, n = ts.shape
    content = {
        "ts": ts.reshape(s * t, n),
        "net": net,
        "Nnodes": np.array([[n]]),
        "Nsubjects": np.array([[s]]),
        "Ntimepoints": np.array([[t]]),
    }
    content.update(overrides)
    scipy.io.savemat(path, content)


def test_reader_transposes_net_and_unstacks_subjects(tmp_path):
    rng = np.random.default_rng(0)
    ts = rng.standard_normal((3, 20, 4))
    net = np.zeros((3, 4, 4))
    net[:, [0, 1, 2, 3], [0, 1, 2, 3]] = -1  # NetSim's self-decay on the diagonal
    net[:, 0, 1] = 0.4  # i → j = 0 → 1
    net[1, 2, 3] = 0.7  # only subject 1: 2 → 3
    write_netsim(tmp_path / "sim.mat", ts, net)
    data = read_netsim(tmp_path / "sim.mat")
    assert data.n_subjects == 3 and np.allclose(data.ts, ts)
    assert np.all(data.truth[:, 1, 0] == 0.4) and np.all(data.truth[:, 0, 1] == 0)  # G[target, source]
    assert data.truth[1, 3, 2] == 0.7 and data.truth[0, 3, 2] == 0
    assert np.all(np.diagonal(data.truth, axis1=1, axis2=2) == 0)


def test_reader_names_what_is_wrong(tmp_path):
    rng = np.random.default_rng(0)
    ts = rng.standard_normal((2, 10, 3))
    write_netsim(tmp_path / "bad_shape.mat", ts, np.zeros((2, 3, 3)), Ntimepoints=np.array([[9]]))
    with pytest.raises(ValueError, match=r"ts has shape \(20, 3\), expected .* \(18, 3\)"):
        read_netsim(tmp_path / "bad_shape.mat")
    scipy.io.savemat(tmp_path / "no_net.mat", {"ts": ts.reshape(20, 3)})
    with pytest.raises(ValueError, match=r"not a NetSim file, missing \['net'"):
        read_netsim(tmp_path / "no_net.mat")
    (tmp_path / "junk.mat").write_text("not a mat file")
    with pytest.raises(ValueError, match="not a readable MATLAB"):
        read_netsim(tmp_path / "junk.mat")


# ---------------------------------------------------------------------------------------------
# the generator


def edges(structure):
    return {(int(s), int(t)) for t, s in zip(*np.nonzero(structure), strict=True)}  # (source, target)


def test_structures_of_the_variants():
    assert edges(netsim_structure(NetSimSpec(5))) == {(0, 1), (1, 2), (2, 3), (3, 4), (0, 4)}
    cyc = netsim_structure(NetSimSpec(5, cycle=True))
    assert edges(cyc) == {(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)}
    assert np.trace(np.linalg.matrix_power(cyc.astype(int), 5)) == 5  # a directed 5-cycle through every node
    back = netsim_structure(NetSimSpec(5, backward=2))
    assert edges(back) == {(0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (3, 4), (0, 4)}
    ten = netsim_structure(NetSimSpec(10))
    assert len(edges(ten)) == 11 and (2, 5) in edges(ten)  # two modules and the link between them


def test_simulation_shapes_truth_and_per_subject_streams():
    model = NetSimModel(burn_in=20.0)
    spec = NetSimSpec(5, duration=90.0)
    ts, truth = simulate_netsim(spec, model, subjects=3, random_state=7)
    assert ts.shape == (3, 30, 5) and truth.shape == (3, 5, 5)
    structure = netsim_structure(spec)
    assert np.all((truth != 0) == structure[None])
    assert np.all((truth[truth != 0] >= 0.1) & (truth[truth != 0] <= 0.9))
    assert not np.allclose(truth[0], truth[1])  # strengths differ between subjects
    ts2, truth2 = simulate_netsim(spec, model, subjects=2, random_state=7)
    assert np.array_equal(ts2, ts[:2]) and np.array_equal(truth2, truth[:2])  # subject k is subject k
    ts3, _ = simulate_netsim(spec, model, subjects=2, random_state=8)
    assert not np.allclose(ts3, ts2)


def test_linked_nodes_correlate_and_shared_input_adds_correlation():
    model = NetSimModel()
    ts, _ = simulate_netsim(NetSimSpec(5), model, subjects=6, random_state=1)
    r = np.mean([np.corrcoef(x.T) for x in ts], axis=0)
    assert r[1, 0] > 0.2 and r[3, 2] > 0.2 and abs(r[3, 0]) < r[1, 0]
    shared, _ = simulate_netsim(NetSimSpec(5, shared_input=0.6), model, subjects=6, random_state=1)
    r_shared = np.mean([np.corrcoef(x.T) for x in shared], axis=0)
    assert r_shared[3, 0] > r[3, 0] + 0.1  # 0 and 3 are not linked: only the shared input correlates them


def test_directed_peer_finds_the_direction_on_generated_data():
    ts, truth = simulate_netsim(NetSimSpec(5), NetSimModel(), subjects=6, random_state=2)
    est, infos, seconds = estimate_subjects("pairwise_lr", ts)
    assert est.shape == truth.shape and len(infos) == len(seconds) == 6
    assert d_accuracy(truth, est) > 0.8  # skewed (up/down) inputs: the pairwise ratio reads the direction
    sym, *_ = estimate_subjects("correlation", ts)
    assert d_accuracy(truth, sym) == 0.5


def test_balloon_steady_state_and_rest():
    p = BalloonParameters()
    state = BalloonState((2,), p)
    for _ in range(4000):  # 200 s at 0.05 s
        state.step(np.array([0.0, 1.0]), 0.05)
    f = np.exp(state.x[1])
    assert f[0] == pytest.approx(1.0) and state.bold()[0] == pytest.approx(0.0, abs=1e-12)  # rest stays at rest
    assert f[1] == pytest.approx(1 + p.efficacy / p.gamma, rel=1e-6)  # ds/dt = 0 ⇒ f − 1 = ε z / γ
    v = np.exp(state.x[2])
    assert v[1] == pytest.approx(f[1] ** p.alpha, rel=1e-6)  # dv/dt = 0 ⇒ v^{1/α} = f
    assert state.bold()[1] > 0  # more flow, less deoxyhaemoglobin: a positive BOLD response


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: NetSimSpec(7), "multiple of 5"),
        (lambda: NetSimSpec(5, duration=0), "duration"),
        (lambda: NetSimSpec(5, shared_input=1.0), "shared_input"),
        (lambda: NetSimSpec(5, backward=5), "backward"),
        (lambda: NetSimModel(dt=5.0), "must not exceed the TR"),
        (lambda: NetSimModel(burn_in=0.5), "burn_in"),
        (lambda: BalloonParameters(e0=1.5), "e0"),
    ],
)
def test_bad_netsim_parameters_are_named(make, match):
    with pytest.raises(ValueError, match=match):
        make()
