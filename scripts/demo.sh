#!/usr/bin/env bash
# Set up, ingest the bundled reports in corpus/ and open the web UI on http://127.0.0.1:7860
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export GHQA_HOME="${GHQA_HOME:-$PWD/.ghqa}"
.venv/bin/ghqa ingest corpus/
.venv/bin/ghqa show 003_25279264fab4da48.txt#7 | sed -n 1,12p
exec .venv/bin/ghqa serve "$@"
