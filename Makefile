# Two entry points: `make demo` and `make test`. Both make the virtualenv and install first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= .kg/store
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test install browser eval bench clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/kg

demo: install
	$(BIN)/kg build seeds --store $(STORE)
	$(BIN)/kg query who-fled-where --store $(STORE)
	$(BIN)/kg report --store $(STORE) --output .kg/report.html

# The report's browser test drives Debian's chromium (with the playwright package from the test extra).
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the report's browser test"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browser
	$(BIN)/python -m pytest

eval: install
	$(BIN)/python -m bench.accuracy

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .kg *.egg-info
