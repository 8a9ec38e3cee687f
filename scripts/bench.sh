#!/usr/bin/env bash
# Runs the benchmarks whose figures are recorded in docs/PERFORMANCE.md.
# One core (-cpu 1) unless BENCH_CPU says otherwise; output in bench.out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/env.sh
cpu="${BENCH_CPU:-1}"
{
  echo "# $(date -u +%FT%TZ) $(go version) cpu=$cpu $(nproc) cores"
  go test -run '^$' -bench . -benchmem -cpu "$cpu" -benchtime "${BENCHTIME:-1s}" ./data/... ./reports/...
  go test -run '^$' -bench . -benchmem -cpu "$cpu" -benchtime 1x ./data/demo/
  go test -run '^$' -bench . -cpu "$cpu" ./scan/... || true
} 2>&1 | tee bench.out
