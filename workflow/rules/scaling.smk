"""Optimiser scaling (issue 6): seconds, AUC and L1 cost against N for each optimiser, noise-free."""


rule scaling_run:
    input:
        network="results/networks/{net}/rep{rep}/network.npz",
    output:
        rows="results/scaling/{net}/rep{rep}.csv",
    log:
        "logs/scaling/{net}/rep{rep}.log",
    benchmark:
        "results/benchmarks/scaling/{net}/rep{rep}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    # Two threads reserve the whole small machine, so no other job disturbs the timings; the
    # optimisers themselves run with one BLAS thread, as in benchmarks/bench_optimizers.py.
    threads: 2
    resources:
        mem_mb=2000,
        runtime=60,
    params:
        methods=scaling_methods(),
        connfinder=config["scaling"]["connfinder"],
    script:
        "../scripts/scaling_run.py"


rule scaling_table:
    input:
        rows=get_scaling_runs,
    output:
        table=report(
            "results/tables/scaling.csv",
            caption="../report/scaling_table.rst",
            category="Optimiser scaling",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/scaling.log",
    benchmark:
        "results/benchmarks/tables/scaling.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/concat_tables.py"


rule scaling_figure:
    input:
        table="results/tables/scaling.csv",
    output:
        pdf=report(
            "results/figures/scaling.pdf",
            caption="../report/scaling.rst",
            category="Optimiser scaling",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/scaling.png",
            caption="../report/scaling.rst",
            category="Optimiser scaling",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/scaling.log",
    benchmark:
        "results/benchmarks/figures/scaling.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/scaling_figure.py"


rule scaling:
    input:
        "results/figures/scaling.pdf",
        "results/figures/scaling.png",
        "results/tables/scaling.csv",
