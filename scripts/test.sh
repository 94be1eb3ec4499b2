#!/usr/bin/env bash
# Set up with the test extras and run every test: unit, retrieval quality gate, LLM loopback, browser.
# The browser tests need Debian's chromium and fonts-noto-cjk (scripts/install-browser.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev,st
.venv/bin/ruff check .
.venv/bin/ruff format --check .
export HF_HUB_OFFLINE=1
exec .venv/bin/pytest "$@"
