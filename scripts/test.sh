#!/usr/bin/env bash
# Runs the whole test suite (unit, PDF/docx checks, browser tests in Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q -n 2 "$@"
