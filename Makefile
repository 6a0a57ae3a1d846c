# Two entry points: `make demo` and `make test`. Both make the virtualenv and install first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= .kg/store

.PHONY: demo test install eval bench clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/kg

demo: install
	$(BIN)/kg build seeds --store $(STORE)
	$(BIN)/kg query who-fled-where --store $(STORE)

test: install
	$(BIN)/python -m pytest

eval: install
	$(BIN)/python -m bench.accuracy

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .kg *.egg-info
