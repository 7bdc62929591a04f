"""The peers table: every method on the paper's OU + HRF setting (Fig. 7's networks and signal), timed.

bold_timeseries keeps the OU + HRF series (sampled every `peers.tr` s) with its covariance and truth;
the `estimate` rule gives covariance methods the covariance and time-series methods the series.
"""


rule bold_timeseries:
    input:
        network="results/networks/{net}/rep{rep}/network.npz",
    output:
        timeseries="results/timeseries/bold_T{T}_tau{tau}_tr{tr}/{net}/rep{rep}/X.npy",
        covariance="results/covariances/bold_T{T}_tau{tau}_tr{tr}/{net}/rep{rep}/C.npy",
        truth="results/covariances/bold_T{T}_tau{tau}_tr{tr}/{net}/rep{rep}/truth.npz",
    log:
        "logs/timeseries/bold_T{T}_tau{tau}_tr{tr}/{net}/rep{rep}.log",
    benchmark:
        "results/benchmarks/timeseries/bold_T{T}_tau{tau}_tr{tr}/{net}/rep{rep}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        # the full-rate series is held once (200 000 s at dt = 0.1 s, N = 100: 800 MB in float32)
        mem_mb=3000,
        runtime=30,
    params:
        seed=get_bold_series_seed,
        dt=config["timeseries"]["dt"],
    script:
        "../scripts/bold_timeseries.py"


rule peers_table:
    input:
        rows=get_peers_scores,
    output:
        table=report(
            "results/tables/peers.csv",
            caption="../report/peers_table.rst",
            category="Peers",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/peers.log",
    benchmark:
        "results/benchmarks/tables/peers.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        labels=peers_rows(),
    script:
        "../scripts/collect_table.py"


rule peers_figure:
    input:
        table="results/tables/peers.csv",
    output:
        pdf=report(
            "results/figures/peers.pdf",
            caption="../report/peers.rst",
            category="Peers",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/peers.png",
            caption="../report/peers.rst",
            category="Peers",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/peers.log",
    benchmark:
        "results/benchmarks/figures/peers.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/peers_figure.py"


rule peers:
    input:
        "results/figures/peers.pdf",
        "results/figures/peers.png",
        "results/tables/peers.csv",
