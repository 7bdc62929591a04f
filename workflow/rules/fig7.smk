"""Fig. 7: this method against RIC (FSLNets, λ = 5) on the same simulated networks."""


rule fig7_table:
    input:
        rows=get_ts_scores("fig7"),
    output:
        table=report(
            "results/tables/fig7.csv",
            caption="../report/fig7_table.rst",
            category="Fig. 7",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fig7.log",
    benchmark:
        "results/benchmarks/tables/fig7.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        labels=ts_rows("fig7"),
    script:
        "../scripts/collect_table.py"


rule fig7_figure:
    input:
        table="results/tables/fig7.csv",
    output:
        pdf=report(
            "results/figures/fig7.pdf",
            caption="../report/fig7.rst",
            category="Fig. 7",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fig7.png",
            caption="../report/fig7.rst",
            category="Fig. 7",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fig7.log",
    benchmark:
        "results/benchmarks/figures/fig7.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/fig7_figure.py"


rule fig7:
    input:
        "results/figures/fig7.pdf",
        "results/figures/fig7.png",
        "results/tables/fig7.csv",
