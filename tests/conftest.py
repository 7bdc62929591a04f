"""Fixtures shared by the tests; plain helpers (also used outside pytest) are in tests/support.py."""

import pytest
from support import copy_workflow


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A copy of the workflow in a temporary directory, one per test module (``--dist loadfile``: one worker)."""
    return copy_workflow(tmp_path_factory.mktemp("workflow"))
