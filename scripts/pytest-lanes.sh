#!/usr/bin/env bash
# Every test, in two lanes: the parallel one under xdist, then the browser and fault tests
# one at a time (they time real processes and a live server against each other).
set -euo pipefail
cd "$(dirname "$0")/.."
# --dist loadgroup: tests marked with one xdist_group (large data in memory) share a worker.
.venv/bin/pytest -q -n auto --dist loadgroup --lane parallel "$@"
.venv/bin/pytest -q --lane serial "$@"
