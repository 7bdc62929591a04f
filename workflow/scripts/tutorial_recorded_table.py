"""Recompute the tutorial's two recorded outputs and compare them with the recorded values, bit for bit.

``quality`` is computed in the reference arithmetic (x86-64 AVX2, see ``zerolag.tutorial.reference_arithmetic``),
``quality_native`` with whatever kernels this machine picks; the job fails if the reference differs.
"""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.tutorial.neuromatch import RECORDED_QUALITY, get_sys_corr
from zerolag.tutorial.reference_arithmetic import REFERENCE_ARITHMETIC, reference_quality, ulps_apart

TIMESTEPS, SEED = 5000, 42  # the tutorial's Sections 1 and 2.1
rows = []
for n, recorded in RECORDED_QUALITY.items():
    quality = reference_quality(n, TIMESTEPS, SEED)
    with blas_threads(snakemake.threads):
        native = float(get_sys_corr(n, TIMESTEPS, SEED))
    rows.append(
        {
            "n": n,
            "timesteps": TIMESTEPS,
            "seed": SEED,
            "quality": quality,
            "recorded": recorded,
            "exact": quality == recorded,
            "quality_repr": repr(quality),
            "recorded_repr": repr(recorded),
            "arithmetic": REFERENCE_ARITHMETIC,
            "quality_native": native,
            "native_ulps_from_recorded": ulps_apart(native, recorded),
        }
    )
    print(f"N = {n}: {quality!r} (recorded {recorded!r}; this CPU's own kernels: {native!r})", file=sys.stderr)
table = pd.DataFrame(rows)
save_table(snakemake.output.table, table)
if not table["exact"].all():
    raise RuntimeError(f"the recomputed quality differs from the tutorial's recorded output:\n{table}")
