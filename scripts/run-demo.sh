#!/usr/bin/env bash
# Sets up this machine, builds qrward, creates the demo replica (once) and
# opens the window on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/env.sh
mkdir -p bin
echo "Building qrward (the first build compiles Fyne and SQLite: a few minutes)…"
go build -o bin/qrward ./cmd/qrward
db="${QRWARD_DB:-$HOME/.local/share/qrward/demo.db}"
if [ ! -f "$db" ]; then
  ./bin/qrward demo --db "$db" "$@"
fi
exec ./bin/qrward --db "$db"
