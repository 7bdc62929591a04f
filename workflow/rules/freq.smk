"""Frequency-resolved networks: couplings acting in one band, recovered from that band's cross-spectral density."""


rule freq_run:
    output:
        rows="results/freq/rep{rep}.csv",
        arrays="results/freq/rep{rep}.npz",
    log:
        "logs/freq/rep{rep}.log",
    benchmark:
        "results/benchmarks/freq/rep{rep}.tsv"
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
