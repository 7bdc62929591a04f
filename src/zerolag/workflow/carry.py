"""Carry a long run's finished jobs from one machine to the next.

    python -m zerolag.workflow.carry save <run directory> <archive.tar.gz>
    python -m zerolag.workflow.carry restore <archive.tar.gz> <run directory>

A paper-scale target can need more hours than a machine lives. ``save`` packs every job of the run that
Snakemake has finished: its outputs, its log, its benchmark file and Snakemake's metadata record for each
output (``.snakemake/metadata``), with a manifest (``carry.json``: the run's commit, the jobs, their CPU
time). ``restore`` unpacks them into a checkout of the same commit, so that Snakemake sees those jobs as
done, with the metadata it would have written itself (a change of parameters still triggers a rerun; the
restored files are dated at the restore, after the checkout's scripts), and runs only the rest. A job
still running when ``save`` is called, or one that failed, is not carried.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from . import paths

__all__ = ["finished_jobs", "save", "restore", "CarryError"]

MANIFEST = "carry.json"
METADATA = Path(".snakemake/metadata")
INCOMPLETE = Path(".snakemake/incomplete")


class CarryError(RuntimeError):
    """The archive does not fit the run directory."""


def _decode(record: Path, root: Path) -> str:
    """The output path a Snakemake metadata (or incomplete-marker) file is named after."""
    parts = record.relative_to(root).parts
    return base64.urlsafe_b64decode("".join(part.removeprefix("@") for part in parts)).decode()


def _commit(run: Path) -> tuple[str, bool]:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=run, capture_output=True, text=True, check=True).stdout

    try:
        return git("rev-parse", "HEAD").strip(), bool(git("status", "--porcelain", "--untracked-files=no").strip())
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        raise CarryError(f"{run} is not a git checkout: the carried jobs must name the commit they ran at") from exc


def _cpu_seconds(benchmark: Path) -> float:
    lines = benchmark.read_text().splitlines()
    if len(lines) < 2:
        return 0.0
    header, values = lines[0].split("\t"), lines[-1].split("\t")
    try:
        return float(values[header.index("cpu_time")])
    except (ValueError, IndexError):
        return 0.0


def finished_jobs(run: str | Path) -> dict[str, dict]:
    """The finished jobs of a run directory, by rule and first output.

    An output is finished when Snakemake holds a metadata record for it that is not marked incomplete and the
    file exists. Returns ``{output: {"rule", "files", "cpu_s"}}`` with ``files`` every path (relative to
    ``run``) to carry: the job's outputs, logs, benchmark and metadata records.
    """
    run = Path(run)
    incomplete = set()
    if (run / INCOMPLETE).is_dir():
        incomplete = {_decode(p, run / INCOMPLETE) for p in (run / INCOMPLETE).rglob("*") if p.is_file()}
    jobs: dict[tuple, dict] = {}
    root = run / METADATA
    for record_path in sorted(root.rglob("*")) if root.is_dir() else []:
        if not record_path.is_file():
            continue
        output = _decode(record_path, root)
        record = json.loads(record_path.read_text())
        if record.get("incomplete") or output in incomplete or not (run / output).is_file():
            continue
        key = (record.get("rule"), record.get("job_hash"), tuple(record.get("log") or ()))
        job = jobs.setdefault(key, {"rule": record.get("rule"), "outputs": [], "files": set(), "cpu_s": 0.0})
        job["outputs"].append(output)
        job["files"].update({output, str(record_path.relative_to(run))})
        job["files"].update(log for log in record.get("log") or () if (run / log).is_file())
        benchmark = paths.benchmark(output)
        if (run / benchmark).is_file():
            job["files"].add(benchmark)
            job["cpu_s"] = _cpu_seconds(run / benchmark)
    return {
        sorted(job["outputs"])[0]: {"rule": job["rule"], "files": sorted(job["files"]), "cpu_s": job["cpu_s"]}
        for job in jobs.values()
    }


def _manifest(archive: Path) -> dict | None:
    """The manifest of an existing archive, or None where there is none to read."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            return json.loads(member.read()) if member else None
    except (OSError, tarfile.TarError, KeyError, ValueError):
        return None


def save(run: str | Path, archive: str | Path) -> dict:
    """Pack the finished jobs of ``run`` into ``archive`` (a .tar.gz); returns its manifest.

    An archive that already holds exactly these jobs of this commit is left as it is (a committed archive
    saved again and again by a loop changes only when a job finishes).
    """
    run, archive = Path(run), Path(archive)
    commit, modified = _commit(run)
    jobs = finished_jobs(run)
    if not jobs:
        raise CarryError(f"{run} has no finished Snakemake job to carry (no record in {run / METADATA})")
    by_rule: dict[str, int] = {}
    for job in jobs.values():
        by_rule[job["rule"]] = by_rule.get(job["rule"], 0) + 1
    manifest = {
        "commit": commit,
        "modified": modified,
        "saved": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "jobs_by_rule": dict(sorted(by_rule.items())),
        "cpu_s": round(sum(job["cpu_s"] for job in jobs.values()), 1),
        "jobs": {output: {"rule": job["rule"], "cpu_s": job["cpu_s"]} for output, job in sorted(jobs.items())},
    }
    previous = _manifest(archive)
    if previous and all(previous.get(k) == manifest[k] for k in ("commit", "modified", "jobs")):
        return previous
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".tmp")
    with tarfile.open(partial, "w:gz") as tar:
        body = json.dumps(manifest, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime = len(body), int(time.time())
        tar.addfile(info, io.BytesIO(body))
        for path in sorted({f for job in jobs.values() for f in job["files"]}):
            tar.add(run / path, arcname=path, recursive=False)
    partial.replace(archive)
    return manifest


def _members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in tar.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not member.isfile():
            raise CarryError(f"{tar.name}: member {member.name!r} is not a plain relative file; not restoring")
        if member.name != MANIFEST:
            members.append(member)
    return members


def restore(archive: str | Path, run: str | Path) -> dict:
    """Unpack ``archive`` into ``run``, a checkout of the commit the jobs ran at; returns the manifest.

    Refuses (and writes nothing) when the commits differ, when the run's tracked files are modified, or when a
    file of the archive already exists in ``run`` with other contents.
    """
    archive, run = Path(archive), Path(run)
    if not archive.is_file():
        raise CarryError(f"{archive} does not exist")
    with tarfile.open(archive, "r:gz") as tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except KeyError:
            raise CarryError(f"{archive} has no {MANIFEST}: not an archive written by `carry save`") from None
        commit, modified = _commit(run)
        if commit != manifest["commit"]:
            raise CarryError(
                f"{archive} holds jobs run at commit {manifest['commit'][:12]}, but {run} is at {commit[:12]}: "
                f"restore into a checkout of that commit (git worktree add --detach <dir> {manifest['commit'][:12]})"
            )
        if modified:
            raise CarryError(f"{run} has modified tracked files: restore into a clean checkout of {commit[:12]}")
        members = _members(tar)
        for member in members:
            target = run / member.name
            if target.exists() and target.read_bytes() != tar.extractfile(member).read():
                raise CarryError(f"{target} exists and differs from the archive's copy; move it away first")
        for member in members:
            tar.extract(member, run, filter="data")
    # Snakemake reruns a job whose outputs are older than its script, and a fresh checkout's scripts are new:
    # the commit is the one the jobs ran at, so the restored files are dated now, in their original order.
    now = time.time()
    for i, member in enumerate(sorted(members, key=lambda m: (m.mtime, m.name))):
        os.utime(run / member.name, (now + i * 1e-3,) * 2)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zerolag.workflow.carry", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    save_p = sub.add_parser("save", help="pack a run's finished jobs")
    save_p.add_argument("run")
    save_p.add_argument("archive")
    restore_p = sub.add_parser("restore", help="unpack finished jobs into a checkout of their commit")
    restore_p.add_argument("archive")
    restore_p.add_argument("run")
    args = parser.parse_args(argv)
    try:
        if args.command == "save":
            before = Path(args.archive).stat().st_mtime_ns if Path(args.archive).exists() else None
            manifest = save(args.run, args.archive)
            unchanged = before is not None and Path(args.archive).stat().st_mtime_ns == before
            verb, where = ("unchanged:", args.archive) if unchanged else ("saved", args.archive)
        else:
            manifest = restore(args.archive, args.run)
            verb, where = "restored", args.run
    except CarryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{n} {rule}" for rule, n in manifest["jobs_by_rule"].items())
    print(
        f"{verb} {len(manifest['jobs'])} jobs ({counts}; {manifest['cpu_s']:.0f} CPU-s) at "
        f"{manifest['commit'][:12]} → {where}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
