#!/usr/bin/env bash
# Set up, ingest the bundled reports in corpus/ and open the web UI on http://127.0.0.1:7860
# The data folder is the one every ghqa command uses: $GHQA_HOME if set, else $XDG_DATA_HOME/ghqa or
# ~/.local/share/ghqa, so the README's `.venv/bin/ghqa ask …` afterwards reads the same store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
home="$(.venv/bin/python -c 'from ghqa.core.settings import ghqa_home; print(ghqa_home())')"
echo "ghqa data folder: $home"
.venv/bin/ghqa ingest corpus/
.venv/bin/ghqa show 003_25279264fab4da48.txt#7 | sed -n 1,12p
exec .venv/bin/ghqa serve "$@"
