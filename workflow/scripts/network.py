"""Draw one network from its spec name; the seed comes from the wildcards."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag import NetworkSpec, make_network
from zerolag.io import save_npz

spec = NetworkSpec.from_name(snakemake.wildcards.net)
g, truth = make_network(spec, random_state=snakemake.params.seed)
save_npz(snakemake.output.npz, G=g, truth=truth)
print(f"{spec} seed={snakemake.params.seed}: {int((truth != 0).sum())} skeleton links", file=sys.stderr)
