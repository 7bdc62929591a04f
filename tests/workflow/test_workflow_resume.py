"""Interrupted and repeated runs give the same tables: SIGTERM, SIGKILL, 1 vs 2 cores.

Every table under results/tables/ must be bit-identical to an uninterrupted 2-core run, apart from
the columns that measure the run itself (wall times, see ``zerolag.scoring.tables.is_run_dependent``).
"""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from support import SINGLE_THREAD_ENV, SNAKEMAKE, assert_same_tables, copy_workflow, load_config, tables

TARGETS = ("fig3", "scaling")
# Small enough to run four times in CI, big enough (5 noise-free points, scaling, 2 tables, 2 figures) to be
# interrupted part-way.
SMALL = load_config("tiny_resume")


def fresh_copy(tmp_path: Path, name: str) -> Path:
    work = copy_workflow(tmp_path / name)
    (work / "tiny.yaml").write_text(yaml.safe_dump(SMALL))
    return work


def command(work: Path, cores: int, *extra: str) -> list[str]:
    # the default workflow profile, loaded by itself as for a user (it sets rerun-incomplete); --configfile last
    return [
        SNAKEMAKE,
        *TARGETS,
        "--cores",
        str(cores),
        *extra,
        "--configfile",
        "tiny.yaml",
    ]


def run(work: Path, cores: int = 2, *extra: str) -> None:
    result = subprocess.run(
        command(work, cores, *extra), cwd=work, capture_output=True, text=True, env=SINGLE_THREAD_ENV, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]


def interrupt(work: Path, sig: signal.Signals, *, after_scores: int = 2) -> None:
    """Start the run and send ``sig`` to its whole process group once some jobs have finished."""
    process = subprocess.Popen(
        command(work, 2),
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=SINGLE_THREAD_ENV,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    scores = work / "results/runs"  # one score table per job
    while time.monotonic() < deadline and process.poll() is None:
        if scores.is_dir() and sum(1 for _ in scores.rglob("*.csv")) >= after_scores:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run finished before it could be interrupted"
    os.killpg(process.pid, sig)
    process.wait(timeout=120)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    work = fresh_copy(tmp_path_factory.mktemp("resume"), "uninterrupted")
    run(work)
    return tables(work)


def test_sigterm_then_rerun_gives_the_same_tables(reference, tmp_path):
    work = fresh_copy(tmp_path, "sigterm")
    interrupt(work, signal.SIGTERM)
    assert not (work / "results/tables/fig3.csv").exists()
    run(work)
    assert_same_tables(reference, tables(work))


def test_sigkill_then_unlock_and_rerun_gives_the_same_tables(reference, tmp_path):
    work = fresh_copy(tmp_path, "sigkill")
    interrupt(work, signal.SIGKILL)
    # a killed Snakemake cannot remove its lock: --unlock (as the README says), then the same command
    unlock = subprocess.run(
        command(work, 2, "--unlock"), cwd=work, capture_output=True, text=True, env=SINGLE_THREAD_ENV
    )
    assert unlock.returncode == 0, unlock.stderr[-2000:]
    run(work)
    assert_same_tables(reference, tables(work))


def test_one_core_gives_the_same_tables(reference, tmp_path):
    work = fresh_copy(tmp_path, "one_core")
    run(work, cores=1)
    assert_same_tables(reference, tables(work))
