# Koers: `make demo` sets up and serves the demo; `make check` is the quick check while you
# work (lint, types, the fast tests); `make test` runs every check, as CI does.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export KOERS_DATA_DIR ?= $(CURDIR)/var
# pytest caches its rewritten test modules as bytecode: without it every run, and every xdist
# worker, compiles some 400 test modules again (about 8 s each on a 2-core machine).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo check test install system-deps messages

demo: install messages
	$(BIN)/koers demo

check: install messages
	scripts/check.sh

test: install messages
	scripts/test.sh

install: system-deps $(VENV)/.installed

system-deps:
	@scripts/system-deps.sh

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

messages: $(VENV)/.installed
	@cd koers && KOERS_SECRET_KEY=compilemessages ../$(BIN)/koers compilemessages -v0
