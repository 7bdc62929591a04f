"""The Neuromatch "Correlations" tutorial's side-by-side answer: one job per network kind and size.

The tutorial's own experiments (recorded numbers, estimates, size, sparsity, coarse graining, bonus run)
are tables of their own, one job each (targets.smk); they use the tutorial's legacy seeds
(np.random.RandomState), so that its recorded outputs come out bit for bit.
"""


rule tutorial_compare_sigmoid:
    output:
        rows=paths.SIDE_BY_SIDE_SIGMOID,
    log:
        paths.log(paths.SIDE_BY_SIDE_SIGMOID),
    benchmark:
        paths.benchmark(paths.SIDE_BY_SIDE_SIGMOID)
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
        rows=paths.SIDE_BY_SIDE_OU,
    log:
        paths.log(paths.SIDE_BY_SIDE_OU),
    benchmark:
        paths.benchmark(paths.SIDE_BY_SIDE_OU)
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
