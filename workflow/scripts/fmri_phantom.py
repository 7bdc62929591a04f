"""Write one phantom subject: a 4D NIfTI in MNI space from a known network, its confounds and its truth."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag.fmri.phantom import save_phantom

cfg = dict(snakemake.params.phantom)
cfg.pop("subjects")
out = snakemake.output
info = save_phantom(
    image=out.image,
    confounds=out.confounds,
    truth=out.truth,
    labels=out.labels,
    regions=out.regions,
    atlas=snakemake.input.atlas,
    atlas_labels=snakemake.input.atlas_labels,
    exclude=list(snakemake.params.exclude),
    random_state=snakemake.params.seed,
    **cfg,
)
print(info, file=sys.stderr)
