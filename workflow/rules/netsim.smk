"""Fig. S1A: every method on NetSim-style simulations (or NetSim files), scored by c-sensitivity, d-accuracy, AUC.

netsim_data → results/netsim/{sim}/data.npz (all subjects) → netsim_run (every method on every subject,
timed; one row per method) → figS1A table and figure.
"""


rule netsim_data:
    input:
        mat=get_netsim_file,
    output:
        data="results/netsim/{sim}/data.npz",
    log:
        "logs/netsim/{sim}/data.log",
    benchmark:
        "results/benchmarks/netsim/{sim}/data.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        settings=get_netsim_params,
        seed=get_netsim_seed,
    script:
        "../scripts/netsim_data.py"


rule netsim_run:
    input:
        data="results/netsim/{sim}/data.npz",
    output:
        scores="results/netsim/{sim}/scores.csv",
        estimates="results/netsim/{sim}/estimates.npz",
    log:
        "logs/netsim/{sim}/run.log",
    benchmark:
        "results/benchmarks/netsim/{sim}/run.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        # every method in one job per simulation: the estimates take milliseconds, a job's start seconds
        methods=get_netsim_methods,
        top_fraction=config["scoring"]["top_fraction"],
        spec=lambda w: netsim_simulations().get(w.sim, {}),
    script:
        "../scripts/netsim_run.py"


rule figS1A_table:
    input:
        rows=get_netsim_scores,
    output:
        table=report(
            "results/tables/figS1A.csv",
            caption="../report/figS1A_table.rst",
            category="Fig. S1A",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/figS1A.log",
    benchmark:
        "results/benchmarks/tables/figS1A.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/concat_tables.py"


rule figS1A_figure:
    input:
        table="results/tables/figS1A.csv",
    output:
        pdf=report(
            "results/figures/figS1A.pdf",
            caption="../report/figS1A.rst",
            category="Fig. S1A",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/figS1A.png",
            caption="../report/figS1A.rst",
            category="Fig. S1A",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/figS1A.log",
    benchmark:
        "results/benchmarks/figures/figS1A.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/figS1A_figure.py"


rule figS1A:
    input:
        "results/figures/figS1A.pdf",
        "results/figures/figS1A.png",
        "results/tables/figS1A.csv",
