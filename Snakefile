"""Reproduce Schiefer et al. 2018 figure by figure: `snakemake reproduce-all`, `snakemake fig3`.

Bare `snakemake <target>` runs on every local core (profiles/default, the workflow profile Snakemake
loads by itself); on SLURM, `--workflow-profile profiles/slurm` (docs/cluster.md).
"""

import os
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

# The library lives in src/; make it importable here and in every job, whatever the environment.
_src = str(Path(workflow.basedir) / "src")
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (_src, os.environ.get("PYTHONPATH")) if p
)
if _src not in sys.path:
    sys.path.insert(0, _src)


envvars:
    "PYTHONPATH",


configfile: "config/config.yaml"


import yaml

from zerolag.workflow.config_keys import check_keys

# a mistyped key is named, with the keys allowed there, before the schema's full report
check_keys(
    config, yaml.safe_load(Path(workflow.basedir, "config/schema.yaml").read_text())
)
validate(config, "config/schema.yaml")


report: "workflow/report/workflow.rst"


# config views, checks, wildcards → input functions → the declared figures → their rules
include: "workflow/rules/common.smk"
include: "workflow/rules/inputs.smk"
include: "workflow/rules/targets.smk"
include: "workflow/rules/core.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/scaling.smk"
include: "workflow/rules/freq.smk"
include: "workflow/rules/lag_inputs.smk"
include: "workflow/rules/reliability.smk"
include: "workflow/rules/tutorial.smk"
include: "workflow/rules/fmri.smk"
include: "workflow/rules/netsim.smk"
include: "workflow/rules/provenance.smk"


onstart:
    check_writable()


rule all:
    default_target: True
    input:
        get_final_output(),


rule reproduce_all:
    input:
        get_final_output(),


rule:
    name:
        "reproduce-all"
    input:
        get_final_output(),


rule tutorial:
    input:
        [path for name in TUTORIAL_FIGURES for path in figure_targets(name)],


rule fmri:
    input:
        [path for name in FMRI_FIGURES for path in figure_targets(name)],
