"""Fig. 1: three 3-node networks (chain, reversed chain, collider) and their inverse covariances."""


rule fig1_table:
    output:
        table=report(
            "results/tables/fig1.csv",
            caption="../report/fig1_table.rst",
            category="Fig. 1",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fig1.log",
    benchmark:
        "results/benchmarks/tables/fig1.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        weight=config["fig1"]["weight"],
    script:
        "../scripts/fig1_table.py"


rule fig1_figure:
    input:
        table="results/tables/fig1.csv",
    output:
        pdf=report(
            "results/figures/fig1.pdf",
            caption="../report/fig1.rst",
            category="Fig. 1",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fig1.png",
            caption="../report/fig1.rst",
            category="Fig. 1",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fig1.log",
    benchmark:
        "results/benchmarks/figures/fig1.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/fig1_figure.py"


rule fig1:
    input:
        "results/figures/fig1.pdf",
        "results/figures/fig1.png",
        "results/tables/fig1.csv",
