"""Copy a run's tables and figures into ``docs/<scale>/`` with where they came from, for ``docs/RESULTS.md``.

    python -m zerolag.workflow.publish <run directory> docs/paper-scale fig3 fig7 ...

For each name: ``results/tables/<name>.csv``, ``results/figures/<name>.png`` (if drawn) and
``results/captions/<name>.rst`` (if written) are copied; ``<dest>/provenance.json`` records per name the
commit, whether tracked files differed from it, the config hash (all from the run's
``results/provenance.json``, so run ``snakemake provenance`` with the same config first) and a free ``--note``
(e.g. the run's wall time and CPU-hours).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from . import paths

__all__ = ["publish"]


def publish(
    run: str | Path, dest: str | Path, names: list[str], note: str = "", figures: bool = True
) -> dict[str, dict]:
    """Copy each name's table, PNG (unless ``figures`` is false) and caption sentences from ``run`` to ``dest``.

    Returns the provenance records added to ``dest/provenance.json``.
    """
    run, dest = Path(run), Path(dest)
    record_path = run / paths.PROVENANCE
    if not record_path.exists():
        raise FileNotFoundError(
            f"{record_path} is missing: run `snakemake provenance` in {run} with the run's config first"
        )
    record = json.loads(record_path.read_text())
    dest.mkdir(parents=True, exist_ok=True)
    ledger_path = dest / "provenance.json"
    ledger = json.loads(ledger_path.read_text()) if ledger_path.exists() else {}
    added = {}
    for name in names:
        table = run / paths.table(name)
        if not table.exists():
            raise FileNotFoundError(f"{table} is missing: build it first (`snakemake {name}`)")
        shutil.copyfile(table, dest / f"{name}.csv")
        copies = [(run / paths.caption_facts(name), dest / f"{name}.caption.rst")]
        if figures:
            copies.append((run / paths.figure(name, "png"), dest / f"{name}.png"))
        for source, target in copies:
            if source.exists():
                shutil.copyfile(source, target)
        added[name] = {
            "commit": record["code"]["commit"],
            "modified": record["code"]["modified"],
            "config_hash": record["config_sha256"],
            "note": note,
        }
    ledger.update(added)
    ledger_path.write_text(json.dumps(ledger, indent=2, sort_keys=True) + "\n")
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", help="the workflow directory of the run (holds results/)")
    parser.add_argument("dest", help="e.g. docs/paper-scale")
    parser.add_argument("names", nargs="+", help="tables to publish, e.g. fig3 fig7")
    parser.add_argument("--note", default="", help="a note for the provenance ledger (e.g. wall time, CPU-hours)")
    parser.add_argument("--tables-only", action="store_true", help="copy no PNG (e.g. for the quick-scale tables)")
    args = parser.parse_args(argv)
    for name, record in publish(args.run, args.dest, args.names, args.note, figures=not args.tables_only).items():
        print(f"{name}: commit {record['commit'][:12]}, config {record['config_hash'][:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
