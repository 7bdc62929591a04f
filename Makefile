# Two commands do everything on a fresh machine (Debian + Python 3.11):
#   make reproduce   set up .venv and run the whole workflow at quick scale
#   make test        set up .venv and run the test suite
# Other targets: lint, report, paper, clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SNAKEMAKE := $(BIN)/snakemake --profile profiles/local

# One BLAS thread per process: jobs pin their own pools; default threading makes small solves ~100x slower.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: reproduce test lint report paper clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[workflow,test]'
	touch $(STAMP)

reproduce: $(STAMP)
	$(SNAKEMAKE) reproduce_all

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check .
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

report: $(STAMP)
	$(SNAKEMAKE) reproduce_all --report results/report.html

paper: $(STAMP)
	$(SNAKEMAKE) reproduce_all --configfile config/paper.yaml

clean:
	rm -rf results logs .snakemake
