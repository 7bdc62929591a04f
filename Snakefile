"""Reproduce Schiefer et al. 2018 figure by figure. Entry point: `snakemake --profile profiles/local`."""

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


validate(config, "config/schema.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/fig3.smk"
include: "workflow/rules/scaling.smk"
include: "workflow/rules/tutorial.smk"
include: "workflow/rules/provenance.smk"
include: "workflow/rules/timeseries.smk"
include: "workflow/rules/fig1.smk"
include: "workflow/rules/fig2.smk"
include: "workflow/rules/fig4.smk"
include: "workflow/rules/fig5.smk"
include: "workflow/rules/fig7.smk"
include: "workflow/rules/freq.smk"
include: "workflow/rules/fmri.smk"
include: "workflow/rules/peers.smk"
include: "workflow/rules/netsim.smk"


onstart:
    check_writable()


rule all:
    default_target: True
    input:
        get_final_output(),


rule reproduce_all:
    input:
        get_final_output(),
