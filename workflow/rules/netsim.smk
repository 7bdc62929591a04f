"""Fig. S1A's unit of work: one NetSim-style simulation (or NetSim file), every method on every subject.

The estimates take milliseconds at NetSim's sizes, so one job runs every method (changing one method's
options reruns that simulation's methods: seconds).
"""


rule netsim_run:
    input:
        mat=get_netsim_file,
    output:
        scores=paths.NETSIM_SCORES,
        estimates=paths.NETSIM_ESTIMATES,
    log:
        "logs/netsim/{sim}.log",
    benchmark:
        "results/benchmarks/netsim/{sim}.tsv"
    wildcard_constraints:
        sim=r"[A-Za-z0-9_]+",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    params:
        settings=get_netsim_params,
        seed=get_netsim_seed,
        methods=method_specs(config["methods"], config["netsim"]["methods"]),
        top_fraction=config["scoring"]["top_fraction"],
    script:
        "../scripts/netsim_run.py"
