#!/usr/bin/env bash
# The quick check: ruff, mypy and the fast tests on SQLite in parallel (no slow, browser or
# fault tests, no PostgreSQL). `scripts/test.sh` runs everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
echo "== ruff"; $bin/ruff check . && $bin/ruff format --check .
echo "== mypy"; KOERS_SECRET_KEY=type-checking $bin/mypy koers
echo "== pytest, fast lane, on SQLite"; $bin/pytest -q -n auto --lane fast "$@"
