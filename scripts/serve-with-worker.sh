#!/usr/bin/env bash
# make run: the development server and the background worker, started and stopped together.
# Ctrl+C reaches both (one process group); the trap also stops the worker when the server
# exits on its own.
set -euo pipefail
PY=$1
ADDRESS=$2

"$PY" manage.py run_worker --verbosity 0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py runserver "$ADDRESS"
