#!/usr/bin/env bash
# Sets up this machine (Debian packages) and runs every test: vet, the
# unit and integration tests, and a short fuzzing pass over each parser.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/env.sh

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted"; exit 1; fi
echo "== go vet"
go vet ./...
echo "== go test"
go test -count=1 ./...
# Tracing reads on several connections at once and reuses buffers between
# traces: its tests also run under the race detector.
echo "== go test -race (tracing)"
go test -race -count=1 -run 'Trace|Collector' ./data/sqlite/ ./data/trace/
echo "== fuzz (short)"
bash scripts/fuzz.sh "${FUZZTIME:-5s}"
echo "== windows cross-compile check (camera driver)"
bash scripts/cross-windows.sh
