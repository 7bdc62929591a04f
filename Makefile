# Two commands do everything on a fresh machine (Debian + Python 3.11):
#   make reproduce   set up .venv and run the whole workflow at quick scale
#   make test        set up .venv and run the test suite
# Other targets: lint, report, paper, results-page, clean. Every Snakemake call runs with profiles/default (loaded by
# Snakemake itself: all local cores), except paper-slurm, which names profiles/slurm as the workflow profile.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SNAKEMAKE := $(BIN)/snakemake

# One BLAS thread per process: jobs pin their own pools; default threading makes small solves ~100x slower.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: reproduce test lint report paper results-page clean

# The library and every extra at the exact versions of envs/constraints.txt (pyproject.toml declares ranges).
$(STAMP): pyproject.toml envs/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[workflow,test]' -c envs/constraints.txt
	touch $(STAMP)

reproduce: $(STAMP)
	$(SNAKEMAKE) reproduce-all

# One worker per core, each test file on one worker (its module fixtures, e.g. a tiny workflow run, run once).
test: $(STAMP)
	$(BIN)/pytest --numprocesses auto --dist loadfile

lint: $(STAMP)
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check .
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

report: $(STAMP)
	$(SNAKEMAKE) reproduce-all --report results/report.html
	$(SNAKEMAKE) reproduce-all --report results/report.zip

paper: $(STAMP)
	$(SNAKEMAKE) reproduce-all --configfile config/paper.yaml

# docs/RESULTS.md from the committed tables (docs/paper-scale, docs/quick-scale; zerolag.workflow.publish puts
# a run's tables there). tests/workflow/test_results_page.py fails when the page is stale.
results-page: $(STAMP)
	$(BIN)/python -m zerolag.workflow.results_page docs/paper-scale docs/quick-scale > docs/RESULTS.md.tmp
	mv docs/RESULTS.md.tmp docs/RESULTS.md

clean:
	rm -rf results logs .snakemake

# SLURM (docs/cluster.md). paper-slurm: the paper-scale run through profiles/slurm, from a login node.
# cluster-test: a private single-node SLURM from Debian's packages runs a reduced reproduce_all through
# profiles/slurm and compares its tables with a local run (needs root; tests/cluster/).
.PHONY: paper-slurm cluster-test

paper-slurm: $(STAMP)
	$(BIN)/snakemake --workflow-profile profiles/slurm reproduce-all --configfile config/paper.yaml

cluster-test: $(STAMP)
	$(BIN)/python tests/cluster/run_slurm_test.py
