#!/usr/bin/env bash
# Every test, in two lanes: the parallel one under xdist, then the browser and fault tests
# one at a time (they time real processes and a live server against each other).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pytest -q -n auto --lane parallel "$@"
.venv/bin/pytest -q --lane serial "$@"
