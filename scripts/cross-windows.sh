#!/usr/bin/env bash
# Cross-compile check for Windows: builds the camera package (pion's
# DirectShow driver, C++) and, with --full, the whole qrward.exe, using
# Debian's MinGW-w64. libgcc and libstdc++ are linked statically so the exe
# needs only system DLLs (see /work/shared/ECOSYSTEM-NOTES.md §3).
# Usage: bash scripts/cross-windows.sh [--full]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-cross.sh
source scripts/env.sh
export GOOS=windows GOARCH=amd64 CGO_ENABLED=1
export CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++
ldflags='-s -w -extldflags "-static-libgcc -static-libstdc++"'
echo "== scan/camera (pion DirectShow driver) for windows/amd64"
go vet ./scan/camera/
go build ./scan/camera/
if [ "${1:-}" = "--full" ]; then
	echo "== qrward.exe"
	mkdir -p build
	go build -ldflags "-H=windowsgui $ldflags" -o build/qrward.exe ./cmd/qrward
	if command -v x86_64-w64-mingw32-objdump >/dev/null; then
		echo "DLLs imported:"
		x86_64-w64-mingw32-objdump -p build/qrward.exe | awk '/DLL Name/ {print "  " $3}'
	fi
fi
echo "ok"
