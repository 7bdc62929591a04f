"""Simulated data: OU + HRF streamed into sums (one simulation per network), then covariances per noise level
and observed fraction. Estimation and scoring reuse the `estimate` and `score` rules ({data} = ou_…).
"""


rule bold_statistics:
    input:
        network="results/networks/{net}/rep{rep}/network.npz",
    output:
        stats="results/simulations/ou_T{T}_tau{tau}/{net}/rep{rep}/stats.npz",
    log:
        "logs/simulations/ou_T{T}_tau{tau}/{net}/rep{rep}.log",
    benchmark:
        "results/benchmarks/simulations/ou_T{T}_tau{tau}/{net}/rep{rep}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        # streamed: a few chunks of ~2 M values whatever the duration (200 000 s at N = 100: ~80 MB)
        mem_mb=1000,
        runtime=60,
    params:
        seed=get_simulation_seed,
        dt=config["timeseries"]["dt"],
    script:
        "../scripts/bold_statistics.py"


rule ou_covariance:
    input:
        stats="results/simulations/ou_T{T}_tau{tau}/{net}/rep{rep}/stats.npz",
        network="results/networks/{net}/rep{rep}/network.npz",
    output:
        covariance="results/covariances/ou_T{T}_tau{tau}_sig{sig}_obs{obs}/{net}/rep{rep}/C.npy",
        truth="results/covariances/ou_T{T}_tau{tau}_sig{sig}_obs{obs}/{net}/rep{rep}/truth.npz",
    log:
        "logs/covariances/ou_T{T}_tau{tau}_sig{sig}_obs{obs}/{net}/rep{rep}.log",
    benchmark:
        "results/benchmarks/covariances/ou_T{T}_tau{tau}_sig{sig}_obs{obs}/{net}/rep{rep}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        observed_seed=get_observed_seed,
    script:
        "../scripts/ou_covariance.py"
