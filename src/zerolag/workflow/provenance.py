"""What produced a result: package versions, the configuration's hash, the code's revision."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["PACKAGES", "config_hash", "provenance"]

PACKAGES = ("zerolag", "numpy", "scipy", "pandas", "scikit-learn", "matplotlib", "threadpoolctl", "snakemake")
"""Distributions whose versions are recorded (absent ones are recorded as ``None``)."""


def config_hash(config: dict[str, Any]) -> str:
    """SHA-256 of the configuration as canonical JSON (sorted keys): equal configs, equal hashes."""
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _git_revision(directory: Path) -> dict[str, Any]:
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", *args], cwd=directory, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "modified": None if status is None else bool(status)}


def provenance(config: dict[str, Any], *, code_dir: str | Path) -> dict[str, Any]:
    """Versions, platform, configuration hash and code revision (git commit and whether files differ from it).

    Holds no time stamp, so the same code, environment and configuration give the same record.
    """
    return {
        "config_sha256": config_hash(config),
        "code": _git_revision(Path(code_dir)),
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "packages": {name: _version(name) for name in PACKAGES},
        "executable": sys.executable,
        "config": config,
    }
