#!/usr/bin/env bash
# Runs every go test -fuzz target for a short time (default 5s each).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
fuzztime="${1:-5s}"
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/func //' | sort -u); do
    echo "fuzz $pkg $target ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" > /tmp/qrward-fuzz.log 2>&1 || { cat /tmp/qrward-fuzz.log; exit 1; }
  done
done
