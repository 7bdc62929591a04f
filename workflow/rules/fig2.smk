"""Fig. 2: one OU + HRF example — the estimate and the covariance coloured TP/TN/FP/FN, ROC and PR curves."""


rule fig2_table:
    input:
        rows=get_ts_scores("fig2"),
    output:
        table=report(
            "results/tables/fig2.csv",
            caption="../report/fig2_table.rst",
            category="Fig. 2",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fig2.log",
    benchmark:
        "results/benchmarks/tables/fig2.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        labels=ts_rows("fig2"),
    script:
        "../scripts/collect_table.py"


rule fig2_figure:
    input:
        unpack(get_fig2_arrays),
        table="results/tables/fig2.csv",
    output:
        pdf=report(
            "results/figures/fig2.pdf",
            caption="../report/fig2.rst",
            category="Fig. 2",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fig2.png",
            caption="../report/fig2.rst",
            category="Fig. 2",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fig2.log",
    benchmark:
        "results/benchmarks/figures/fig2.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        methods=config["fig2"]["methods"],
        top_fraction=config["scoring"]["top_fraction"],
    script:
        "../scripts/fig2_figure.py"


rule fig2:
    input:
        "results/figures/fig2.pdf",
        "results/figures/fig2.png",
        "results/tables/fig2.csv",
