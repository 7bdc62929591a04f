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
        "../../envs/zerolag.yaml"
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


rule freq_table:
    input:
        rows=expand("results/freq/rep{rep}.csv", rep=range(config["freq"]["networks"])),
    output:
        table=report(
            "results/tables/freq.csv",
            caption="../report/freq_table.rst",
            category="Frequency-resolved networks",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/freq.log",
    benchmark:
        "results/benchmarks/tables/freq.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/concat_tables.py"


rule freq_figure:
    input:
        table="results/tables/freq.csv",
        arrays="results/freq/rep0.npz",
    output:
        pdf=report(
            "results/figures/freq.pdf",
            caption="../report/freq.rst",
            category="Frequency-resolved networks",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/freq.png",
            caption="../report/freq.rst",
            category="Frequency-resolved networks",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/freq.log",
    benchmark:
        "results/benchmarks/figures/freq.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/freq_figure.py"


rule freq:
    input:
        "results/figures/freq.pdf",
        "results/figures/freq.png",
        "results/tables/freq.csv",
