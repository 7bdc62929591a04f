"""Zero-lag against long-run input, and unequal noise: one job per network, every kind, length, input, spread."""


rule lag_inputs_run:
    output:
        rows=paths.LAG_INPUTS_RUN,
    log:
        paths.log(paths.LAG_INPUTS_RUN),
    benchmark:
        paths.benchmark(paths.LAG_INPUTS_RUN)
    conda:
        ENV
    threads: 1
    resources:
        # one series per kind at the longest length and its copies: measured 3.4 GB peak for the BOLD kind
        # at 2 000 000 samples and N = 100 (1.6 GB a series), 57 CPU-s for its two longest lengths
        mem_mb=lag_inputs_mem_mb(config),
        runtime=30,
    params:
        kinds=get_lag_inputs_kinds,
        lengths=config["lag_inputs"]["lengths"],
        spreads=config["lag_inputs"]["spreads"],
        methods=get_lag_inputs_method,
        top_fraction=config["scoring"]["top_fraction"],
    script:
        "../scripts/lag_inputs_run.py"
