"""Fig. 3: noise-free validation. spec → G → C → estimate → score → table → figure."""


rule network:
    output:
        npz="results/networks/{net}/rep{rep}/network.npz",
    log:
        "logs/networks/{net}/rep{rep}.log",
    benchmark:
        "results/benchmarks/networks/{net}/rep{rep}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        seed=get_seed,
    script:
        "../scripts/network.py"


rule noisefree_covariance:
    input:
        network="results/networks/{net}/rep{rep}/network.npz",
    output:
        covariance="results/covariances/noisefree/{net}/rep{rep}/C.npy",
    log:
        "logs/covariances/noisefree/{net}/rep{rep}.log",
    benchmark:
        "results/benchmarks/covariances/noisefree/{net}/rep{rep}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/noisefree_covariance.py"


rule estimate:
    input:
        # the covariance, or the time series for methods that need it (get_estimate_input)
        unpack(get_estimate_input),
    output:
        estimate="results/estimates/{data}/{net}/rep{rep}/{method}.npy",
        info="results/estimates/{data}/{net}/rep{rep}/{method}.json",
    log:
        "logs/estimates/{data}/{net}/rep{rep}/{method}.log",
    benchmark:
        "results/benchmarks/estimates/{data}/{net}/rep{rep}/{method}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        method=get_method,
        options=get_method_params,
    script:
        "../scripts/estimate.py"


rule score:
    input:
        truth=get_truth,
        estimate="results/estimates/{data}/{net}/rep{rep}/{method}.npy",
        info="results/estimates/{data}/{net}/rep{rep}/{method}.json",
    output:
        row="results/scores/{data}/{net}/rep{rep}/{method}.csv",
    log:
        "logs/scores/{data}/{net}/rep{rep}/{method}.log",
    benchmark:
        "results/benchmarks/scores/{data}/{net}/rep{rep}/{method}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        directed=is_directed,
        top_fraction=config["scoring"]["top_fraction"],
        seed=get_seed,
    script:
        "../scripts/score.py"


rule fig3_table:
    input:
        rows=get_fig3_scores,
    output:
        table=report(
            "results/tables/fig3.csv",
            caption="../report/fig3_table.rst",
            category="Fig. 3",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fig3.log",
    benchmark:
        "results/benchmarks/tables/fig3.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        labels=fig3_rows(),
    script:
        "../scripts/collect_table.py"


rule fig3_figure:
    input:
        table="results/tables/fig3.csv",
    output:
        pdf=report(
            "results/figures/fig3.pdf",
            caption="../report/fig3.rst",
            category="Fig. 3",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fig3.png",
            caption="../report/fig3.rst",
            category="Fig. 3",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fig3.log",
    benchmark:
        "results/benchmarks/figures/fig3.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        method=config["fig3"]["plot_method"],
    script:
        "../scripts/fig3_figure.py"


rule fig3:
    input:
        "results/figures/fig3.pdf",
        "results/figures/fig3.png",
        "results/tables/fig3.csv",
