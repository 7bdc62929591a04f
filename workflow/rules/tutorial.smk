"""The Neuromatch "Correlations" tutorial: its experiments reproduced exactly, and the side-by-side answer.

The tutorial's own experiments (recorded numbers, estimates, size, sparsity, coarse graining, bonus run)
use its legacy seeds (np.random.RandomState), fixed by the tutorial, so that its recorded outputs come
out bit for bit; each is one job (a few seconds at most). The side-by-side comparison is one job per
network kind, size and repetition.
"""


rule tutorial_recorded_table:
    output:
        table=report(
            "results/tables/tutorial_recorded.csv",
            caption="../report/tutorial_recorded_table.rst",
            category="Tutorial",
            labels={"content": "recorded numbers", "format": "csv"},
        ),
    log:
        "logs/tutorial/recorded_table.log",
    benchmark:
        "results/benchmarks/tutorial/recorded_table.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/tutorial_recorded.py"


rule tutorial_estimates_table:
    output:
        table=report(
            "results/tables/tutorial_estimates.csv",
            caption="../report/tutorial_estimates_table.rst",
            category="Tutorial",
            labels={"content": "estimates table", "format": "csv"},
        ),
    log:
        "logs/tutorial/estimates_table.log",
    benchmark:
        "results/benchmarks/tutorial/estimates_table.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        n=config["tutorial"]["estimates"]["n"],
        timesteps=config["tutorial"]["estimates"]["timesteps"],
        selected_neuron=config["tutorial"]["estimates"]["selected_neuron"],
    script:
        "../scripts/tutorial_estimates.py"


rule tutorial_estimates_figure:
    input:
        table="results/tables/tutorial_estimates.csv",
    output:
        pdf=report(
            "results/figures/tutorial_estimates.pdf",
            caption="../report/tutorial_estimates.rst",
            category="Tutorial",
            labels={"content": "estimates figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/tutorial_estimates.png",
            caption="../report/tutorial_estimates.rst",
            category="Tutorial",
            labels={"content": "estimates figure", "format": "png"},
        ),
    log:
        "logs/tutorial/estimates_figure.log",
    benchmark:
        "results/benchmarks/tutorial/estimates_figure.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/tutorial_estimates_figure.py"


rule tutorial_size_table:
    output:
        table=report(
            "results/tables/tutorial_size.csv",
            caption="../report/tutorial_size_table.rst",
            category="Tutorial",
            labels={"content": "size table", "format": "csv"},
        ),
    log:
        "logs/tutorial/size_table.log",
    benchmark:
        "results/benchmarks/tutorial/size_table.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        sizes=config["tutorial"]["size"]["sizes"],
        seeds=config["tutorial"]["size"]["seeds"],
        timesteps=config["tutorial"]["size"]["timesteps"],
    script:
        "../scripts/tutorial_size.py"


rule tutorial_size_figure:
    input:
        table="results/tables/tutorial_size.csv",
    output:
        pdf=report(
            "results/figures/tutorial_size.pdf",
            caption="../report/tutorial_size.rst",
            category="Tutorial",
            labels={"content": "size figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/tutorial_size.png",
            caption="../report/tutorial_size.rst",
            category="Tutorial",
            labels={"content": "size figure", "format": "png"},
        ),
    log:
        "logs/tutorial/size_figure.log",
    benchmark:
        "results/benchmarks/tutorial/size_figure.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/tutorial_size_figure.py"


rule tutorial_sparsity_table:
    output:
        table=report(
            "results/tables/tutorial_sparsity.csv",
            caption="../report/tutorial_sparsity_table.rst",
            category="Tutorial",
            labels={"content": "sparsity table", "format": "csv"},
        ),
    log:
        "logs/tutorial/sparsity_table.log",
    benchmark:
        "results/benchmarks/tutorial/sparsity_table.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        n=config["tutorial"]["sparsity"]["n"],
        timesteps=config["tutorial"]["sparsity"]["timesteps"],
        sparsities=config["tutorial"]["sparsity"]["sparsities"],
        seeds=config["tutorial"]["sparsity"]["seeds"],
    script:
        "../scripts/tutorial_sparsity.py"


rule tutorial_sparsity_figure:
    input:
        table="results/tables/tutorial_sparsity.csv",
    output:
        pdf=report(
            "results/figures/tutorial_sparsity.pdf",
            caption="../report/tutorial_sparsity.rst",
            category="Tutorial",
            labels={"content": "sparsity figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/tutorial_sparsity.png",
            caption="../report/tutorial_sparsity.rst",
            category="Tutorial",
            labels={"content": "sparsity figure", "format": "png"},
        ),
    log:
        "logs/tutorial/sparsity_figure.log",
    benchmark:
        "results/benchmarks/tutorial/sparsity_figure.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/tutorial_sparsity_figure.py"


rule tutorial_coarse_table:
    output:
        table=report(
            "results/tables/tutorial_coarse.csv",
            caption="../report/tutorial_coarse_table.rst",
            category="Tutorial",
            labels={"content": "coarse table", "format": "csv"},
        ),
    log:
        "logs/tutorial/coarse_table.log",
    benchmark:
        "results/benchmarks/tutorial/coarse_table.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        n=config["tutorial"]["coarse"]["n"],
        timesteps=config["tutorial"]["coarse"]["timesteps"],
        seeds=config["tutorial"]["coarse"]["seeds"],
    script:
        "../scripts/tutorial_coarse.py"


rule tutorial_bonus_table:
    output:
        table=report(
            "results/tables/tutorial_bonus.csv",
            caption="../report/tutorial_bonus_table.rst",
            category="Tutorial",
            labels={"content": "bonus table", "format": "csv"},
        ),
        example="results/tutorial/bonus_coarse_example.npz",
    log:
        "logs/tutorial/bonus_table.log",
    benchmark:
        "results/benchmarks/tutorial/bonus_table.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        n=config["tutorial"]["bonus"]["n"],
        timesteps=config["tutorial"]["bonus"]["timesteps"],
        n_groups=config["tutorial"]["bonus"]["n_groups"],
    script:
        "../scripts/tutorial_bonus.py"


rule tutorial_coarse_figure:
    input:
        table="results/tables/tutorial_coarse.csv",
        example="results/tutorial/bonus_coarse_example.npz",
    output:
        pdf=report(
            "results/figures/tutorial_coarse.pdf",
            caption="../report/tutorial_coarse.rst",
            category="Tutorial",
            labels={"content": "coarse figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/tutorial_coarse.png",
            caption="../report/tutorial_coarse.rst",
            category="Tutorial",
            labels={"content": "coarse figure", "format": "png"},
        ),
    log:
        "logs/tutorial/coarse_figure.log",
    benchmark:
        "results/benchmarks/tutorial/coarse_figure.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/tutorial_coarse_figure.py"


rule tutorial_compare_sigmoid:
    output:
        rows="results/tutorial/side_by_side/sigmoid/N{n}/rep{rep}.csv",
    log:
        "logs/tutorial/side_by_side/sigmoid/N{n}/rep{rep}.log",
    benchmark:
        "results/benchmarks/tutorial/side_by_side/sigmoid/N{n}/rep{rep}.tsv"
    wildcard_constraints:
        n=r"\d+",
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        timesteps=config["tutorial"]["side_by_side"]["timesteps"],
        sparsity=config["tutorial"]["side_by_side"]["sparsity"],
        zerolag=config["tutorial"]["side_by_side"]["zerolag"],
    script:
        "../scripts/tutorial_compare_sigmoid.py"


rule tutorial_compare_ou:
    input:
        network="results/networks/{net}/rep{rep}/network.npz",
    output:
        rows="results/tutorial/side_by_side/ou/{net}/rep{rep}.csv",
    log:
        "logs/tutorial/side_by_side/ou/{net}/rep{rep}.log",
    benchmark:
        "results/benchmarks/tutorial/side_by_side/ou/{net}/rep{rep}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        network_seed=get_seed,
        seed=get_tutorial_ou_seed,
        timesteps=config["tutorial"]["side_by_side"]["timesteps"],
        tau=config["tutorial"]["side_by_side"]["paper_network"]["tau"],
        dt=config["tutorial"]["side_by_side"]["paper_network"]["dt"],
        zerolag=config["tutorial"]["side_by_side"]["zerolag"],
    script:
        "../scripts/tutorial_compare_ou.py"


rule tutorial_side_by_side_table:
    input:
        rows=get_tutorial_side_by_side_parts,
    output:
        table=report(
            "results/tables/tutorial_side_by_side.csv",
            caption="../report/tutorial_side_by_side_table.rst",
            category="Tutorial",
            labels={"content": "side_by_side table", "format": "csv"},
        ),
    log:
        "logs/tutorial/side_by_side_table.log",
    benchmark:
        "results/benchmarks/tutorial/side_by_side_table.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/tutorial_side_by_side_table.py"


rule tutorial_side_by_side_figure:
    input:
        table="results/tables/tutorial_side_by_side.csv",
    output:
        pdf=report(
            "results/figures/tutorial_side_by_side.pdf",
            caption="../report/tutorial_side_by_side.rst",
            category="Tutorial",
            labels={"content": "side_by_side figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/tutorial_side_by_side.png",
            caption="../report/tutorial_side_by_side.rst",
            category="Tutorial",
            labels={"content": "side_by_side figure", "format": "png"},
        ),
    log:
        "logs/tutorial/side_by_side_figure.log",
    benchmark:
        "results/benchmarks/tutorial/side_by_side_figure.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/tutorial_side_by_side_figure.py"


rule tutorial:
    input:
        tutorial_outputs(),
