# Koers: `make demo` sets up and serves the demo; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export KOERS_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test install system-deps messages

demo: install messages
	$(BIN)/koers demo

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
