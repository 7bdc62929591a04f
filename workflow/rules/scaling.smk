"""Optimiser scaling: seconds, AUC and L1 cost against N for each optimiser, noise-free, one job per network."""


rule scaling_run:
    output:
        rows=paths.SCALING_RUN,
    log:
        paths.log(paths.SCALING_RUN),
    benchmark:
        paths.benchmark(paths.SCALING_RUN)
    conda:
        ENV
    # Two threads reserve the whole small machine, so no other job disturbs the timings; the
    # optimisers themselves run with one BLAS thread, as in benchmarks/bench_optimizers.py.
    threads: 2
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        seed=lambda wildcards: seed_from(wildcards.net, wildcards.rep),
        methods=scaling_methods(config),
        connfinder=config["scaling"]["connfinder"],
    script:
        "../scripts/scaling_run.py"
