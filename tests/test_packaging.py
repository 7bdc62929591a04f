"""The conda environment used by the rules pins exactly what pyproject.toml pins."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def pins(requirements):
    out = {}
    for req in requirements:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^;\s]+)", req.strip())
        assert m, f"unpinned requirement {req!r}: pin it with =="
        out[m[1].lower()] = m[2]
    return out


def test_conda_env_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "envs/zerolag.yaml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    local = [r for r in pip_section if r.startswith("-e ")]
    assert pins([r for r in pip_section if r not in local]) == pins(project["dependencies"])
    # the library itself, installed from this checkout (conda runs pip from the env file's directory)
    assert len(local) == 1
    assert (ROOT / "envs" / local[0].removeprefix("-e ").strip() / "pyproject.toml").samefile(ROOT / "pyproject.toml")
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert project["requires-python"] == ">=" + python.split("=")[1]
