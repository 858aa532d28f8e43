#!/usr/bin/env bash
# The whole check: ruff, mypy, the dependency audit, the test suite on SQLite and again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
echo "== ruff"; $bin/ruff check . && $bin/ruff format --check .
echo "== mypy"; KOERS_SECRET_KEY=type-checking $bin/mypy koers
echo "== dependency audit"; $bin/python scripts/audit_dependencies.py
echo "== pytest on SQLite"; $bin/pytest -q "$@"
echo "== pytest on PostgreSQL"; scripts/with-postgres.sh $bin/pytest -q "$@"
