"""The conda environment used by the rules pins exactly what pyproject.toml pins."""

import re
import tomllib

import yaml
from support import ROOT


def pins(requirements):
    out = {}
    for req in requirements:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^;\s]+)", req.strip())
        assert m, f"unpinned requirement {req!r}: pin it with =="
        out[m[1].lower()] = m[2]
    return out


def env_pip(path):
    """A conda env file's pip pins, its local (``-e``) installs and its ``python=`` line."""
    env = yaml.safe_load((ROOT / path).read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    local = [r for r in pip_section if r.startswith("-e ")]
    return pins([r for r in pip_section if r not in local]), local, python


def assert_installs_this_checkout(local):
    # the library itself, installed from this checkout (conda runs pip from the env file's directory)
    assert len(local) == 1
    assert (ROOT / "envs" / local[0].removeprefix("-e ").strip() / "pyproject.toml").samefile(ROOT / "pyproject.toml")


def test_conda_env_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned, local, python = env_pip("envs/zerolag.yaml")
    assert pinned == pins(project["dependencies"])
    assert_installs_this_checkout(local)
    assert project["requires-python"] == ">=" + python.split("=")[1]


# --- the environment that runs Snakemake (envs/snakemake.yaml), and completeness of the pins ------------------


def test_snakemake_env_pins_the_library_and_the_workflow_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned, local, python = env_pip("envs/snakemake.yaml")
    # the Snakefile imports the library to plan jobs, so the driver needs its dependencies too
    assert pinned == pins(project["dependencies"]) | pins(project["optional-dependencies"]["workflow"])
    assert "snakemake-executor-plugin-slurm" in pinned
    assert_installs_this_checkout(local)
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

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {name.replace("_", "-") for name in pins(project["dependencies"])}
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "workflow/scripts").glob("*.py")]
    third_party = imported_modules(files) - set(sys.stdlib_module_names) - {"zerolag"}
    assert {"numpy", "scipy"} <= third_party  # the scan sees the imports
    distributions = packages_distributions()
    for module in sorted(third_party):
        provided_by = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
        assert provided_by & pinned, f"{module} is imported but no pinned distribution provides it ({provided_by})"
