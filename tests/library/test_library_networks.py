import numpy as np
import pytest
from support import ROOT

from zerolag import NetworkSpec, erdos_renyi, make_network, seed_from
from zerolag.simulation.networks import coupling_strength


def test_erdos_renyi_structure():
    n, p, rho = 200, 0.1, 0.7
    g = erdos_renyi(n, p, rho, random_state=3)
    j = rho / np.sqrt(n * p * (1 - p))
    assert np.all(np.diag(g) == 0)
    links = g[g != 0]
    assert np.allclose(np.abs(links), j)
    assert abs((links < 0).sum() - links.size // 2) <= 0
    assert abs(links.size / (n * (n - 1)) - p) < 0.01
    # bulk spectral radius close to rho (Eq. 8)
    assert abs(np.max(np.abs(np.linalg.eigvals(g))) - rho) < 0.1


def test_random_state_is_explicit_and_reproducible():
    a = erdos_renyi(50, 0.1, 0.5, random_state=1)
    b = erdos_renyi(50, 0.1, 0.5, random_state=np.random.default_rng(1))
    c = erdos_renyi(50, 0.1, 0.5, random_state=2)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    with pytest.raises(TypeError):
        erdos_renyi(5, 0.1, 0.5, random_state="seed")


def test_seed_from_is_stable():
    assert seed_from("N100_p0.1_rho0.7_q0", 3) == seed_from("N100_p0.1_rho0.7_q0", "3")
    assert seed_from("a", 1) != seed_from("a", 2)
    assert 0 <= seed_from("x") < 2**63
    assert seed_from("N100_p0.1_rho0.7_q0", 0) == 3910212740709274957  # fixed across machines and versions


@pytest.mark.parametrize(
    "spec", [NetworkSpec(100, 0.1, 0.7), NetworkSpec(20, 0.025, 0.35, q=0.2), NetworkSpec(5, 0.5, 0.1, 0.1, 0.3)]
)
def test_spec_name_round_trip(spec):
    assert NetworkSpec.from_name(spec.name) == spec


def test_spec_rejects_bad_values():
    with pytest.raises(ValueError, match="rho"):
        NetworkSpec(10, 0.1, 1.0)
    with pytest.raises(ValueError, match="probability p"):
        NetworkSpec(10, 0.0, 0.5)
    with pytest.raises(ValueError, match="at least 2"):
        coupling_strength(1, 0.1, 0.5)
    with pytest.raises(ValueError, match="cannot parse"):
        NetworkSpec.from_name("N10_p0.1")


def test_background_is_weak_and_scored_separately():
    spec = NetworkSpec(150, 0.1, 0.7, q=0.2)
    g, truth = make_network(spec, random_state=0)
    background = g - truth
    j_skel = coupling_strength(150, 0.1, 0.7)
    j_bg = coupling_strength(150, 0.2, 0.14)
    assert np.allclose(np.abs(truth[truth != 0]), j_skel)
    # where skeleton and background overlap the entries add up
    only_bg = (truth == 0) & (background != 0)
    assert np.allclose(np.abs(background[only_bg]), j_bg)
    g0, truth0 = make_network(NetworkSpec(150, 0.1, 0.7), random_state=0)
    assert np.array_equal(g0, truth0)


def test_public_names_resolve_lazily():
    import os
    import subprocess
    import sys

    import zerolag

    assert sorted(zerolag.__all__) == sorted(zerolag._EXPORTS)
    for name in zerolag.__all__:
        assert getattr(zerolag, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        zerolag.nope  # noqa: B018
    # drawing a network does not import scikit-learn (it costs ~1 s per workflow job)
    code = "import sys, zerolag; zerolag.make_network(zerolag.NetworkSpec(5, 0.2, 0.5), random_state=0); "
    code += "print(any(m.startswith('sklearn') for m in sys.modules))"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}  # this checkout's library, whatever is installed
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
