# One entry point for people and CI. Every target sets up .venv itself when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: demo test lint bench soak clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "tracker needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/python -m tracker.demo --db $(DEMO_DB)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The reliability campaigns (tests/reliability/) at their long trial counts, then their table:
# crashes, concurrent CLI users, bad input, a full disk, backups. All counts but trials,
# kills and part-way logs must be zero.
soak: $(STAMP)
	@dir=$$(mktemp -d); \
	TRACKER_SOAK=1 TRACKER_SOAK_RESULTS=$$dir/results.jsonl \
	  $(BIN)/python -m pytest -n 2 --dist loadgroup tests/reliability $(PYTEST_ARGS); tests=$$?; \
	$(BIN)/python -m tests.reliability.table $$dir/results.jsonl; table=$$?; \
	rm -rf $$dir; test $$tests -eq 0 -a $$table -eq 0

lint: $(STAMP)
	$(BIN)/ruff check tracker tests alembic
	$(BIN)/ruff format --check tracker tests alembic
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .mypy_cache .ruff_cache

# Benchmarks (tests/benchmarks/, not part of `make test`): the tracker against the
# eventsourcing library and the raw drivers. FULL=1 runs the million-event sizes;
# BENCH_ARGS passes more options, e.g. BENCH_ARGS='--only 1-batch100 --rounds 5'.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m tests.benchmarks.run $(if $(filter 1 yes true,$(FULL)),--full) $(BENCH_ARGS)
