"""The network on the glass brain: region centroids, the strongest links, arrows from source to target."""

import nibabel as nib
import numpy as np
import pytest
from matplotlib.patches import FancyArrow
from support import save, tiny_atlas

from zerolag.io import save_figure
from zerolag.plotting.glass_brain import plot_glass_brain_network, region_centroids, top_links


def test_centroids_are_the_mean_voxel_centres_in_world_coordinates(tmp_path):
    # tiny_atlas stores x flipped (negative x step); its grid in image order has known world coordinates
    atlas, _, grid, affine = tiny_atlas(tmp_path)
    got = region_centroids(atlas, [21, 11, 12])
    for row, label in zip(got, (21, 11, 12), strict=True):
        ijk = np.argwhere(grid == label)
        np.testing.assert_allclose(row, (ijk @ affine[:3, :3].T + affine[:3, 3]).mean(axis=0), atol=1e-12)
    # by hand: Area_A_L is x voxels 0-1 (x = -4, -2 mm), all 3 y (-2, 0, 2 mm), the lower slice (z = 0)
    np.testing.assert_allclose(got[1], [-3.0, 0.0, 0.0])
    np.testing.assert_allclose(got[0], [-1.0, -1.0, 2.0])  # Vermis_B: all x, y voxels 0-1, the upper slice


def test_a_single_voxel_region_sits_at_its_voxel_centre(tmp_path):
    data = np.zeros((3, 3, 3), dtype=np.int16)
    data[2, 0, 1] = 5
    affine = np.array([[0, 3.0, 0, 10], [-3.0, 0, 0, 20], [0, 0, 3.0, -30], [0, 0, 0, 1]])  # rotated axes
    path = save(nib.Nifti1Image(data, affine), tmp_path / "one.nii.gz")
    np.testing.assert_allclose(region_centroids(path, [5]), [[10.0, 20.0 - 6.0, -30.0 + 3.0]])
    with pytest.raises(ValueError, match=r"no voxel with label value\(s\) \[7\]"):
        region_centroids(path, [5, 7])


def test_top_links_keep_the_strongest_with_their_direction_and_sign():
    g = np.array([[0.0, 0.1, -0.9], [0.5, 0.0, 0.05], [0.0, -0.6, 0.0]])
    g[1, 1] = 5.0  # the diagonal is never a link
    kept = top_links(g, 2)
    expected = np.zeros((3, 3))
    expected[0, 2], expected[2, 1] = -0.9, -0.6  # from 2 to 0 and from 1 to 2, inhibitory
    np.testing.assert_array_equal(kept, expected)
    assert top_links(g, 3)[1, 0] == 0.5 and top_links(g, 3)[0, 1] == 0  # 0 -> 1, not 1 -> 0
    assert np.count_nonzero(top_links(g, 0.34)) == 3  # a fraction counts round(0.34 · N²) links
    s = np.array([[0, 0.3, -0.8], [0.3, 0, 0.1], [-0.8, 0.1, 0]])
    np.testing.assert_array_equal(top_links(s, 1), np.where(np.abs(s) == 0.8, s, 0))  # a symmetric pair
    for bad in (0, 1.5, True, "3"):
        with pytest.raises(ValueError, match="top must"):
            top_links(g, bad)


def far_apart_network():
    """Four regions at the corners of the brain: left occipital -> right frontal excitatory (+0.8), right
    occipital -> left frontal inhibitory (-0.5)."""
    coords = np.array([[-20.0, -90, 10], [30, 40, 30], [35, -85, 10], [-30, 40, 30]])
    g = np.zeros((4, 4))
    g[1, 0] = 0.8  # G[target, source]
    g[3, 2] = -0.5
    return g, coords


def test_the_plot_draws_an_arrow_from_source_to_target_in_the_sign_colour(tmp_path):
    g, coords = far_apart_network()
    fig = plot_glass_brain_network(g, coords, display_mode="z", title="two links")
    arrows = [p for ax in fig.axes for p in ax.patches if isinstance(p, FancyArrow)]
    assert len(arrows) == 2
    for arrow in arrows:
        vertices = arrow.get_path().vertices  # in the top view, the 2D point of a region is its (x, y)
        red, _, blue, _ = arrow.get_facecolor()
        source, target = (0, 1) if red > blue else (2, 3)  # the excitatory link is drawn red
        # the head's tip is the target; the tail's two corners are centred on the source
        assert np.min(np.linalg.norm(vertices - coords[target, :2], axis=1)) < 1e-9
        corners = vertices[np.argsort(np.linalg.norm(vertices - coords[source, :2], axis=1))[:2]]
        np.testing.assert_allclose(corners.mean(axis=0), coords[source, :2], atol=1e-9)
    assert sorted(a.get_facecolor()[0] > a.get_facecolor()[2] for a in arrows) == [False, True]  # one blue, one red
    path = tmp_path / "net.png"
    save_figure(fig, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def test_the_plot_refuses_mismatched_or_missing_coordinates():
    g, coords = far_apart_network()
    with pytest.raises(ValueError, match="N × 3 for the same N"):
        plot_glass_brain_network(g, coords[:3])
    coords[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        plot_glass_brain_network(g, coords)
