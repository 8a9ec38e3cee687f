#!/bin/sh
# Runs qrward's decoder, zbarimg and ZXingReader over the generated frame set
# and the qr-dev photos in one run and writes a Markdown table.
# Usage (from the repository root): sh scan/testdata/run_reference.sh [OUT.md]
# Needs: zbar-tools (zbarimg), zxing-cpp-tools (ZXingReader), /work/shared/qr-dev
# (or QRWARD_QRDEV_DIR). Takes about 10 minutes on 2 cores.
set -eu
out=${1:-/tmp/qrward-reference.md}
CGO_ENABLED=0 QRWARD_REFERENCE=1 QRWARD_QRDEV=1 QRWARD_REFERENCE_OUT="$out" \
	go test -run TestReferenceDecoders -count 1 -timeout 60m -v ./scan >/dev/null
cat "$out"
