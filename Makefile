# Two commands: `make demo` and `make test`. Both build .venv from nothing but Python 3.11 and PyPI.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench model corpus clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/coder run corpus/ --out out/

test: $(VENV)/.installed-dev
	$(BIN)/coder codebook check
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/coding.py

# Rebuild the shipped model from the training split of the labelled data (reproducible: fixed
# folds and seeds; the held-out test split is never seen).
model: $(VENV)/.installed
	$(BIN)/coder train training/seeds/labels.jsonl training/written/part1.jsonl training/written/part2.jsonl \
		training/dev/reviews.jsonl \
		--split train --out models/default

corpus: $(VENV)/.installed-dev
	$(BIN)/python corpus/build.py

clean:
	rm -rf $(VENV) out .pytest_cache
