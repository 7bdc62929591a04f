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
        # one series per kind at the longest length (200 000 samples at N = 100: 160 MB in float64); paper
        # scale ~40 s of CPU per network (estimated from its parts: 3 kinds x 7 lengths, 5 spreads)
        mem_mb=2000,
        runtime=10,
    params:
        kinds=get_lag_inputs_kinds,
        lengths=config["lag_inputs"]["lengths"],
        spreads=config["lag_inputs"]["spreads"],
        methods=get_lag_inputs_method,
        top_fraction=config["scoring"]["top_fraction"],
    script:
        "../scripts/lag_inputs_run.py"
