"""Which links can be trusted, on ground truth: one job per network (and per null twin), every length and noise level."""


rule reliability_run:
    output:
        rows=paths.RELIABILITY_RUN,
    log:
        paths.log(paths.RELIABILITY_RUN),
    benchmark:
        paths.benchmark(paths.RELIABILITY_RUN)
    conda:
        ENV
    # the refits run in `threads` processes (bootstrap_connectivity's n_jobs); the result does not depend on it
    threads: 2
    resources:
        mem_mb=lambda wildcards, threads: reliability_mem_mb(config, threads),
        runtime=reliability_runtime(config),
    params:
        settings=get_reliability_settings,
        methods=get_reliability_method,
        top_fraction=config["scoring"]["top_fraction"],
    script:
        "../scripts/reliability_run.py"
