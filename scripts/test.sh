#!/usr/bin/env bash
# The whole check: ruff, mypy, the dependency audit, every test on SQLite and again on
# PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
echo "== ruff"; $bin/ruff check . && $bin/ruff format --check .
echo "== mypy"; KOERS_SECRET_KEY=type-checking $bin/mypy koers
echo "== dependency audit"; $bin/python scripts/audit_dependencies.py
echo "== pytest on SQLite"; scripts/pytest-lanes.sh "$@"
echo "== pytest on PostgreSQL"; scripts/with-postgres.sh scripts/pytest-lanes.sh "$@"
