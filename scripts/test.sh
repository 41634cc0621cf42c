#!/usr/bin/env bash
# Runs the test suite. `--fast`: everything except full renders, LibreOffice, the wheel and the
# browser (marks `slow` and `browser`), about 2.5 min on 2 cores. Without flags: the whole suite (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fast" ]; then
  shift
  exec .venv/bin/python -m pytest -q -n 2 -m "not slow and not browser" "$@"
fi
exec .venv/bin/python -m pytest -q -n 2 "$@"
