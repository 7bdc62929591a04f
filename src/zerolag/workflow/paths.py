"""Where the workflow writes: every result path spelled once.

Patterns hold Snakemake wildcards (``{net}``, ``{rep}``, …) and serve as rule outputs; the functions fill
them for input functions. Logs and benchmarks mirror the result paths under ``logs/`` and
``results/benchmarks/``.
"""

from __future__ import annotations

__all__ = [
    "TABLE",
    "FIGURE",
    "NOISEFREE_RUN",
    "SIMULATION_RUN",
    "SIMULATION_ARRAYS",
    "PEERS_RUN",
    "SCALING_RUN",
    "FREQ_RUN",
    "FREQ_ARRAYS",
    "LAG_INPUTS_RUN",
    "RELIABILITY_RUN",
    "SIDE_BY_SIDE_SIGMOID",
    "SIDE_BY_SIDE_OU",
    "NETSIM_SCORES",
    "NETSIM_ESTIMATES",
    "BONUS_EXAMPLE",
    "PROVENANCE",
    "log",
    "benchmark",
    "table",
    "figure",
    "figure_outputs",
    "caption_facts",
    "noisefree_run",
    "simulation_run",
    "simulation_arrays",
    "peers_run",
]

TABLE = "results/tables/{name}.csv"
FIGURE = "results/figures/{name}.{ext}"
FIGURE_FORMATS = ("pdf", "png")
CAPTION_FACTS = "results/captions/{name}.rst"  # a caption's measured sentences (zerolag.workflow.captions)

# one job each: every score of one noise-free network spec (all repetitions), of one simulation, of one series
NOISEFREE_RUN = "results/runs/noisefree/{net}.csv"
SIMULATION_RUN = "results/runs/{simulation}/{net}/rep{rep}/scores.csv"
SIMULATION_ARRAYS = "results/runs/{simulation}/{net}/rep{rep}/networks.npz"
PEERS_RUN = "results/runs/{series}/{net}/rep{rep}/scores.csv"
# the other branches' jobs: one scaling network, one frequency-example repetition, one lag-inputs network, one
# reliability network, one side-by-side size, one NetSim simulation; and the files later rules read besides the tables
SCALING_RUN = "results/scaling/{net}/rep{rep}.csv"
FREQ_RUN = "results/freq/rep{rep}.csv"
FREQ_ARRAYS = "results/freq/rep{rep}.npz"
LAG_INPUTS_RUN = "results/lag_inputs/{net}/rep{rep}.csv"
RELIABILITY_RUN = "results/reliability/{net}/rep{rep}.csv"
SIDE_BY_SIDE_SIGMOID = "results/tutorial/side_by_side/sigmoid/N{n}.csv"
SIDE_BY_SIDE_OU = "results/tutorial/side_by_side/ou/{net}.csv"
NETSIM_SCORES = "results/netsim/{sim}/scores.csv"
NETSIM_ESTIMATES = "results/netsim/{sim}/estimates.npz"
BONUS_EXAMPLE = "results/tutorial/bonus_coarse_example.npz"
PROVENANCE = "results/provenance.json"


def _stem(pattern: str) -> str:
    path = pattern.removeprefix("results/")
    return path.rsplit(".", 1)[0]


def log(pattern: str) -> str:
    """The log path of a result path (``results/x/y.csv`` → ``logs/x/y.log``)."""
    return f"logs/{_stem(pattern)}.log"


def benchmark(pattern: str) -> str:
    """The benchmark path of a result path (``results/x/y.csv`` → ``results/benchmarks/x/y.tsv``)."""
    return f"results/benchmarks/{_stem(pattern)}.tsv"


def table(name: str) -> str:
    """A figure's tidy table."""
    return TABLE.format(name=name)


def figure(name: str, ext: str) -> str:
    """A figure file (``ext`` = ``pdf`` or ``png``)."""
    return FIGURE.format(name=name, ext=ext)


def caption_facts(name: str) -> str:
    """The measured sentences of a figure's caption, written with the figure from its table."""
    return CAPTION_FACTS.format(name=name)


def figure_outputs(name: str) -> list[str]:
    """A figure's files and its table: what its target rule builds."""
    return [*(figure(name, ext) for ext in FIGURE_FORMATS), table(name)]


def noisefree_run(net: str) -> str:
    return NOISEFREE_RUN.format(net=net)


def simulation_run(simulation: str, net: str, rep: int) -> str:
    return SIMULATION_RUN.format(simulation=simulation, net=net, rep=rep)


def simulation_arrays(simulation: str, net: str, rep: int) -> str:
    return SIMULATION_ARRAYS.format(simulation=simulation, net=net, rep=rep)


def peers_run(series: str, net: str, rep: int) -> str:
    return PEERS_RUN.format(series=series, net=net, rep=rep)
