"""The shared pipeline, one job per natural unit: network → data → every estimate → every score, one tidy table.

noisefree_point  one network spec, all its repetitions (Fig. 3): C = (1 − G)⁻¹(1 − G)⁻ᵀ, every method
simulation       one OU + HRF simulation (Figs. 2, 4, 5, 7): every noise level, observed fraction and
                 data length (a prefix of the series) any figure asks of it, every method
peers_run        one OU + HRF series sampled every tr (the peers table): every method
"""


rule noisefree_point:
    output:
        scores=paths.NOISEFREE_RUN,
    log:
        paths.log(paths.NOISEFREE_RUN),
    benchmark:
        paths.benchmark(paths.NOISEFREE_RUN)
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        reps=get_noisefree_reps,
        methods=get_noisefree_methods,
        top_fraction=config["scoring"]["top_fraction"],
    script:
        "../scripts/noisefree_point.py"


rule simulation:
    output:
        scores=paths.SIMULATION_RUN,
        arrays=paths.SIMULATION_ARRAYS,
    log:
        paths.log(paths.SIMULATION_RUN),
    benchmark:
        paths.benchmark(paths.SIMULATION_RUN)
    conda:
        ENV
    threads: 1
    resources:
        # streamed: a few chunks of ~2 M values whatever the duration (200 000 s at N = 100: ~80 MB)
        mem_mb=1000,
        runtime=120,
    params:
        datasets=get_simulation_datasets,
        methods=get_simulation_methods,
        dt=config["timeseries"]["dt"],
        top_fraction=config["scoring"]["top_fraction"],
    script:
        "../scripts/simulation.py"


rule peers_run:
    output:
        scores=paths.PEERS_RUN,
    log:
        paths.log(paths.PEERS_RUN),
    benchmark:
        paths.benchmark(paths.PEERS_RUN)
    conda:
        ENV
    threads: 1
    resources:
        # the full-rate series is held once (200 000 s at dt = 0.1 s, N = 100: 800 MB in float32)
        mem_mb=3000,
        runtime=60,
    params:
        methods=get_peers_methods,
        dt=config["timeseries"]["dt"],
        top_fraction=config["scoring"]["top_fraction"],
    script:
        "../scripts/peers_run.py"
