"""A run's finished jobs carried to a fresh checkout are not run again; nothing else is carried or clobbered."""

import base64
import io
import json
import subprocess
import tarfile
import time
from pathlib import Path

import pytest
from support import SINGLE_THREAD_ENV, SNAKEMAKE

from zerolag.workflow.carry import CarryError, finished_jobs, restore, save

# Two independent jobs with a script (Snakemake reruns a script job whose outputs are older than its script)
# and one that gathers them.
SNAKEFILE = """
rule gather:
    input: "results/runs/a.csv", "results/runs/b.csv"
    output: "results/tables/gathered.csv"
    shell: "cat {input} > {output}"

rule part:
    output: "results/runs/{x}.csv"
    log: "logs/runs/{x}.log"
    benchmark: "results/benchmarks/runs/{x}.tsv"
    params: value=lambda w: ord(w.x)
    script: "part.py"
"""
SCRIPT = 'open(snakemake.output[0], "w").write(f"{snakemake.params.value}\\n")\nopen(snakemake.log[0], "w").close()\n'


def git(work: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=work, capture_output=True, text=True, check=True).stdout.strip()


def snakemake(work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SNAKEMAKE, "--cores", "1", *args], cwd=work, capture_output=True, text=True, env=SINGLE_THREAD_ENV
    )


def planned(work: Path) -> list[str]:
    """The outputs a dry run of the default target (the gathered table) would build."""
    result = snakemake(work, "-n")
    assert result.returncode == 0, result.stderr[-2000:]
    lines = (result.stdout + result.stderr).splitlines()
    return sorted(line.split(":", 1)[1].strip() for line in lines if line.strip().startswith("output:"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    work = tmp_path / "origin"
    work.mkdir()
    (work / "Snakefile").write_text(SNAKEFILE)
    (work / "part.py").write_text(SCRIPT)
    (work / ".gitignore").write_text("results/\nlogs/\n.snakemake/\n")
    git(work, "init", "--quiet")
    git(work, "add", ".")
    git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "toy")
    return work


def fresh_checkout(repo: Path, dest: Path, *, at: str = "HEAD") -> Path:
    subprocess.run(["git", "clone", "--quiet", str(repo), str(dest)], check=True)
    git(dest, "checkout", "--quiet", "--detach", git(repo, "rev-parse", at))
    time.sleep(0.05)  # the checkout's scripts are newer than anything the origin ran
    return dest


def key(path: str) -> str:
    return base64.urlsafe_b64encode(path.encode()).decode()


def test_finished_jobs_are_carried_and_not_run_again(repo, tmp_path):
    result = snakemake(repo, "results/runs/a.csv", "results/runs/b.csv")
    assert result.returncode == 0, result.stderr[-2000:]
    # b as a job still running: Snakemake's incomplete marker beside its finished-looking output
    (repo / ".snakemake/incomplete" / key("results/runs/b.csv")).write_text("{}")

    jobs = finished_jobs(repo)
    assert list(jobs) == ["results/runs/a.csv"]
    assert jobs["results/runs/a.csv"]["rule"] == "part"
    assert set(jobs["results/runs/a.csv"]["files"]) == {
        "results/runs/a.csv",
        "logs/runs/a.log",
        "results/benchmarks/runs/a.tsv",
        f".snakemake/metadata/{key('results/runs/a.csv')}",
    }

    archive = tmp_path / "carried.tar.gz"
    manifest = save(repo, archive)
    assert manifest["commit"] == git(repo, "rev-parse", "HEAD") and manifest["jobs_by_rule"] == {"part": 1}
    assert manifest["cpu_s"] >= 0 and not manifest["modified"]

    target = fresh_checkout(repo, tmp_path / "fresh")
    assert planned(target) == ["results/runs/a.csv", "results/runs/b.csv", "results/tables/gathered.csv"]
    restore(archive, target)
    assert (target / "results/runs/a.csv").read_text() == f"{ord('a')}\n"
    # a is done (its output newer than the checkout's script); b and the gathering job remain
    assert planned(target) == ["results/runs/b.csv", "results/tables/gathered.csv"]
    assert snakemake(target).returncode == 0
    assert (target / "results/tables/gathered.csv").read_text() == f"{ord('a')}\n{ord('b')}\n"


def test_saving_the_same_jobs_again_leaves_the_archive_as_it_is(repo, tmp_path):
    assert snakemake(repo, "results/runs/a.csv").returncode == 0
    archive = tmp_path / "carried.tar.gz"
    first = save(repo, archive)
    packed = archive.read_bytes()
    time.sleep(1.1)  # a rewrite would carry a later `saved` stamp and member dates
    assert save(repo, archive) == first and archive.read_bytes() == packed
    assert snakemake(repo, "results/runs/b.csv").returncode == 0
    assert save(repo, archive)["jobs_by_rule"] == {"part": 2} and archive.read_bytes() != packed


def test_a_carried_job_reruns_when_its_parameters_changed(repo, tmp_path):
    assert snakemake(repo, "results/runs/a.csv").returncode == 0
    archive = tmp_path / "carried.tar.gz"
    save(repo, archive)
    (repo / "Snakefile").write_text(SNAKEFILE.replace("ord(w.x)", "ord(w.x) + 1"))
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-am", "new params")
    target = fresh_checkout(repo, tmp_path / "fresh", at="HEAD~1")
    restore(archive, target)
    (target / "Snakefile").write_text((repo / "Snakefile").read_text())  # the changed rule, uncommitted
    assert "results/runs/a.csv" in planned(target)


def test_restore_refuses_another_commit_and_writes_nothing(repo, tmp_path):
    assert snakemake(repo, "results/runs/a.csv").returncode == 0
    archive = tmp_path / "carried.tar.gz"
    save(repo, archive)
    (repo / "README").write_text("later\n")
    git(repo, "add", "README")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "later")
    target = fresh_checkout(repo, tmp_path / "fresh")
    with pytest.raises(CarryError, match="git worktree add --detach <dir> "):
        restore(archive, target)
    assert not (target / "results").exists() and not (target / ".snakemake").exists()


def test_restore_refuses_to_overwrite_a_different_file(repo, tmp_path):
    assert snakemake(repo, "results/runs/a.csv").returncode == 0
    archive = tmp_path / "carried.tar.gz"
    save(repo, archive)
    target = fresh_checkout(repo, tmp_path / "fresh")
    (target / "results/runs").mkdir(parents=True)
    (target / "results/runs/a.csv").write_text("mine\n")
    with pytest.raises(CarryError, match="exists and differs"):
        restore(archive, target)
    assert (target / "results/runs/a.csv").read_text() == "mine\n"
    assert not (target / ".snakemake/metadata").exists()


def test_restore_refuses_a_path_outside_the_run(repo, tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, body in (("carry.json", json.dumps({"commit": git(repo, "rev-parse", "HEAD")})), ("../x", "x")):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body.encode()))
    with pytest.raises(CarryError, match="not a plain relative file"):
        restore(archive, repo)
    assert not (tmp_path / "x").exists()


def test_nothing_finished_is_an_error(repo, tmp_path):
    with pytest.raises(CarryError, match="no finished Snakemake job"):
        save(repo, tmp_path / "carried.tar.gz")
    assert not (tmp_path / "carried.tar.gz").exists()
