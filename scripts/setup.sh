#!/usr/bin/env bash
# Create .venv (if missing) and install ghqa into it. Usage: scripts/setup.sh [EXTRAS], e.g. "dev,st".
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python3 -m venv .venv 2>/dev/null || true
[ -x .venv/bin/pip ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [[ ",$extras," == *",st,"* ]]; then
  # The CPU build first: any other torch requirement pulls a multi-GB CUDA build.
  .venv/bin/pip install -q "torch==2.13.0"
fi
if [ -n "$extras" ]; then
  .venv/bin/pip install -q -e ".[$extras]"
else
  .venv/bin/pip install -q -e .
fi
# Earlier dev extras installed opencc-python-reimplemented, whose `opencc` module shadows the official binding's.
if .venv/bin/pip show -q opencc-python-reimplemented 2>/dev/null; then
  .venv/bin/pip uninstall -y -q opencc-python-reimplemented
  .venv/bin/pip install -q --force-reinstall --no-deps "opencc>=1.1.9"
fi
