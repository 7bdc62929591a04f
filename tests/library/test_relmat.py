"""BIDS-derivatives relationship matrices: written and read back, in one region order, oriented as they say."""

import json

import numpy as np
import pandas as pd
import pytest

from zerolag.relmat import ORIENTATION, expand_to_nodes, read_relmat, relmat_paths, write_relmat

NODES = pd.DataFrame({"index": [11, 12, 21, 22], "name": ["A_L", "A_R", "B_L", "B_R"]})


def kept_regions(names):
    return NODES[NODES["name"].isin(names)].reset_index(drop=True)


def test_round_trip_keeps_every_node_in_order_with_nan_for_the_dropped(tmp_path):
    rng = np.random.default_rng(0)
    g = rng.standard_normal((3, 3)) / 3
    np.fill_diagonal(g, 0)
    g[0, 1] = -0.0  # written without its sign
    regions = kept_regions(["A_L", "A_R", "B_R"])
    dropped = pd.DataFrame({"index": [21], "name": ["B_L"], "reason": ["no voxels on the image grid"]})
    tsv, sidecar = write_relmat(
        tmp_path / "sub-01_stat-zerolag", g, regions, measure="test", directed=True, nodes=NODES, dropped=dropped
    )
    assert (tsv.name, sidecar.name) == ("sub-01_stat-zerolag_relmat.tsv", "sub-01_stat-zerolag_relmat.json")
    matrix, labels, meta = read_relmat(tsv)
    assert labels == ["A_L", "A_R", "B_L", "B_R"] and meta["NodeIndices"] == [11, 12, 21, 22]
    assert np.isnan(matrix[2]).all() and np.isnan(matrix[:, 2]).all()  # the dropped region keeps its place
    keep = [0, 1, 3]
    np.testing.assert_array_equal(matrix[np.ix_(keep, keep)], g)  # exactly: floats are written shortest-exact
    assert meta["DroppedNodes"] == [{"index": 21, "name": "B_L", "reason": "no voxels on the image grid"}]
    text = tsv.read_text().splitlines()
    assert text[0] == "Node\tA_L\tA_R\tB_L\tB_R"  # xcp_d's layout: a header of labels, the row labels first
    assert text[3].split("\t")[0] == "B_L" and set(text[3].split("\t")[1:]) == {"n/a"}
    assert "-0.0" not in tsv.read_text()
    np.testing.assert_array_equal(read_relmat(tmp_path / "sub-01_stat-zerolag")[0], matrix)  # or by its prefix


def test_the_sidecar_says_row_target_column_source_and_the_matrix_is_so(tmp_path):
    """A known directed network of 3 regions: A_L -> A_R excitatory, A_R -> B_L inhibitory."""
    g = np.zeros((3, 3))
    g[1, 0] = 0.6  # G[target, source]: from A_L to A_R
    g[2, 1] = -0.4  # from A_R to B_L
    regions = kept_regions(["A_L", "A_R", "B_L"])
    tsv, _ = write_relmat(tmp_path / "net", g, regions, measure="test", directed=True)
    matrix, labels, meta = read_relmat(tsv)
    assert meta["Rows"] == "target" and meta["Columns"] == "source" and meta["Orientation"] == ORIENTATION
    assert meta["Directed"] is True and meta["StorageFormat"] == "Full" and meta["ValidDiagonal"] is False
    table = pd.DataFrame(matrix, index=labels, columns=labels)
    assert table.loc["A_R", "A_L"] == 0.6 and table.loc["A_L", "A_R"] == 0  # row = target, column = source
    assert table.loc["B_L", "A_R"] == -0.4 and table.loc["A_R", "B_L"] == 0
    # the same read through pandas as xcp_d's users do (first column as the index)
    pandas_view = pd.read_csv(tsv, sep="\t", index_col=0)
    assert pandas_view.loc["A_R", "A_L"] == 0.6


def test_metadata_is_added_and_may_not_replace_the_orientation(tmp_path):
    g = np.zeros((2, 2))
    regions = kept_regions(["A_L", "A_R"])
    metadata = {"Method": "correlation", "NumberOfSamples": 9}
    _, sidecar = write_relmat(tmp_path / "x", g, regions, measure="m", directed=False, metadata=metadata)
    meta = json.loads(sidecar.read_text())
    assert meta["Method"] == "correlation" and meta["NumberOfSamples"] == 9 and meta["Directed"] is False
    assert meta["GeneratedBy"][0]["Name"] == "zerolag"
    with pytest.raises(ValueError, match="may not replace"):
        write_relmat(tmp_path / "y", g, regions, measure="m", directed=False, metadata={"Rows": "source"})
    assert not list(tmp_path.glob("y*"))


def test_an_error_leaves_no_file(tmp_path):
    g = np.zeros((2, 2))
    regions = kept_regions(["A_L", "A_R"])
    with pytest.raises(TypeError):  # the sidecar cannot be serialised: found before either file is written
        write_relmat(tmp_path / "x", g, regions, measure="m", directed=True, metadata={"Bad": object()})
    with pytest.raises(ValueError, match="not among the dropped regions"):  # a node with no estimate, no reason
        write_relmat(tmp_path / "x", g, regions, measure="m", directed=True, nodes=NODES)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("prefix", ["out/sub-01_relmat", "out/sub-01_relmat.tsv", "out/x.json", "out/"])
def test_a_file_name_is_no_prefix(prefix):
    with pytest.raises(ValueError, match="must be the start of a file name"):
        relmat_paths(prefix)


def test_expand_to_nodes_refuses_regions_outside_the_node_list():
    with pytest.raises(ValueError, match=r"\['C'\] are not in the node list"):
        expand_to_nodes(np.zeros((2, 2)), ["A", "C"], ["A", "B"])


def test_reading_a_broken_file_names_it(tmp_path):
    tsv = tmp_path / "x_relmat.tsv"
    tsv.write_text("Node\ta\tb\nb\t0\t1\na\t1\t0\n")
    (tmp_path / "x_relmat.json").write_text("{}")
    with pytest.raises(ValueError, match="first column .* same order"):
        read_relmat(tsv)
    tsv.write_text("Node\ta\tb\na\t0\tx\nb\t1\t0\n")
    with pytest.raises(ValueError, match="neither a number nor n/a"):
        read_relmat(tsv)
    with pytest.raises(ValueError, match="does not exist"):
        read_relmat(tmp_path / "y_relmat.tsv")
