"""Fig. 4: performance against observation noise (A) and against the fraction of observed nodes (B)."""


rule fig4_table:
    input:
        rows=get_ts_scores("fig4"),
    output:
        table=report(
            "results/tables/fig4.csv",
            caption="../report/fig4_table.rst",
            category="Fig. 4",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fig4.log",
    benchmark:
        "results/benchmarks/tables/fig4.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        labels=ts_rows("fig4"),
    script:
        "../scripts/collect_table.py"


rule fig4_figure:
    input:
        table="results/tables/fig4.csv",
    output:
        pdf=report(
            "results/figures/fig4.pdf",
            caption="../report/fig4.rst",
            category="Fig. 4",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fig4.png",
            caption="../report/fig4.rst",
            category="Fig. 4",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fig4.log",
    benchmark:
        "results/benchmarks/figures/fig4.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/fig4_figure.py"


rule fig4:
    input:
        "results/figures/fig4.pdf",
        "results/figures/fig4.png",
        "results/tables/fig4.csv",
