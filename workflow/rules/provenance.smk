"""Provenance of the run: versions, configuration hash, code revision (results/provenance.json)."""


rule provenance:
    output:
        json=report(
            paths.PROVENANCE,
            caption="../report/provenance.rst",
            category="Provenance",
        ),
    log:
        "logs/provenance.log",
    benchmark:
        "results/benchmarks/provenance.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        config_sha256=config_hash(config),  # a changed config reruns this job
        code_dir=workflow.basedir,
    script:
        "../scripts/provenance.py"
