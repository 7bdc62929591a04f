"""Write the run's provenance record."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag.io import save_json
from zerolag.workflow.provenance import provenance

record = provenance(dict(snakemake.config), code_dir=snakemake.params.code_dir)
save_json(snakemake.output.json, record)
print(f"config {record['config_sha256'][:12]}, code {record['code']}", file=sys.stderr)
