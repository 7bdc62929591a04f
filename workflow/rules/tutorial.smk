"""The Neuromatch "Correlations" tutorial's side-by-side answer: one job per network kind and size.

The tutorial's own experiments (recorded numbers, estimates, size, sparsity, coarse graining, bonus run)
are tables of their own, one job each (targets.smk); they use the tutorial's legacy seeds
(np.random.RandomState), so that its recorded outputs come out bit for bit.
"""


rule tutorial_compare_sigmoid:
    output:
        rows="results/tutorial/side_by_side/sigmoid/N{n}.csv",
    log:
        "logs/tutorial/side_by_side/sigmoid/N{n}.log",
    benchmark:
        "results/benchmarks/tutorial/side_by_side/sigmoid/N{n}.tsv"
    wildcard_constraints:
        n=r"\d+",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        reps=list(range(SIDE_BY_SIDE["reps"])),
        timesteps=SIDE_BY_SIDE["timesteps"],
        sparsity=SIDE_BY_SIDE["sparsity"],
        zerolag=SIDE_BY_SIDE["zerolag"],
    script:
        "../scripts/tutorial_compare_sigmoid.py"


rule tutorial_compare_ou:
    output:
        rows="results/tutorial/side_by_side/ou/{net}.csv",
    log:
        "logs/tutorial/side_by_side/ou/{net}.log",
    benchmark:
        "results/benchmarks/tutorial/side_by_side/ou/{net}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        reps=list(range(SIDE_BY_SIDE["reps"])),
        timesteps=SIDE_BY_SIDE["timesteps"],
        tau=SIDE_BY_SIDE["paper_network"]["tau"],
        dt=SIDE_BY_SIDE["paper_network"]["dt"],
        zerolag=SIDE_BY_SIDE["zerolag"],
    script:
        "../scripts/tutorial_compare_ou.py"
