"""Fig. 5: performance against data length and OU time constant τ (heat maps)."""


rule fig5_table:
    input:
        rows=get_ts_scores("fig5"),
    output:
        table=report(
            "results/tables/fig5.csv",
            caption="../report/fig5_table.rst",
            category="Fig. 5",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fig5.log",
    benchmark:
        "results/benchmarks/tables/fig5.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        labels=ts_rows("fig5"),
    script:
        "../scripts/collect_table.py"


rule fig5_figure:
    input:
        table="results/tables/fig5.csv",
    output:
        pdf=report(
            "results/figures/fig5.pdf",
            caption="../report/fig5.rst",
            category="Fig. 5",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fig5.png",
            caption="../report/fig5.rst",
            category="Fig. 5",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fig5.log",
    benchmark:
        "results/benchmarks/figures/fig5.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/fig5_figure.py"


rule fig5:
    input:
        "results/figures/fig5.pdf",
        "results/figures/fig5.png",
        "results/tables/fig5.csv",
