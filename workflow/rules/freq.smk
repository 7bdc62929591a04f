"""Frequency-resolved networks: couplings acting in one band, recovered from that band's cross-spectral density."""


rule freq_run:
    output:
        rows=paths.FREQ_RUN,
        arrays=paths.FREQ_ARRAYS,
    log:
        paths.log(paths.FREQ_RUN),
    benchmark:
        paths.benchmark(paths.FREQ_RUN)
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        seed=lambda wildcards: seed_from("freq", wildcards.rep),
        cfg=config["freq"],
        method=config["methods"][config["freq"]["method"]]["params"],
    script:
        "../scripts/freq_run.py"
