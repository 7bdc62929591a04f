import numpy as np

from zerolag import covariance_from_network, inverse_covariance


def three_node(links):
    g = np.zeros((3, 3))
    for target, source in links:
        g[target, source] = 0.5
    return g


def test_inverse_covariance_matches_inverse_of_covariance():
    rng = np.random.default_rng(0)
    g = 0.1 * rng.standard_normal((8, 8))
    np.fill_diagonal(g, 0)
    assert np.allclose(inverse_covariance(g) @ covariance_from_network(g), np.eye(8), atol=1e-12)
    b = np.eye(8) - g
    assert np.allclose(inverse_covariance(g), np.eye(8) - g - g.T + g.T @ g)
    assert np.allclose(inverse_covariance(g), b.T @ b)


def test_fig1_only_the_collider_couples_nodes_2_and_3():
    # Fig. 1 (1-based nodes): chain 2→1→3, reversed chain 3→1→2, collider 2→1←3.
    chain = three_node([(0, 1), (2, 0)])
    reversed_chain = three_node([(0, 2), (1, 0)])
    collider = three_node([(0, 1), (0, 2)])
    for g in (chain, reversed_chain):
        assert inverse_covariance(g)[1, 2] == 0
        assert covariance_from_network(g)[1, 2] != 0  # correlated all the same
    assert inverse_covariance(collider)[1, 2] == 0.25  # (GᵀG)₂₃ = 0.5 · 0.5


def test_complex_network_gives_hermitian_covariance():
    rng = np.random.default_rng(1)
    g = 0.1 * (rng.standard_normal((6, 6)) + 1j * rng.standard_normal((6, 6)))
    np.fill_diagonal(g, 0)
    c = covariance_from_network(g)
    assert np.allclose(c, c.conj().T)
    assert np.all(np.linalg.eigvalsh(c) > 0)
    assert np.allclose(inverse_covariance(g) @ c, np.eye(6), atol=1e-12)
