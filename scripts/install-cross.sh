#!/usr/bin/env bash
# Debian packages for the Windows cross-compile check (scripts/cross-windows.sh):
# MinGW-w64 C and C++ compilers (pion's DirectShow driver is C++).
# Idempotent; as root or with sudo.
set -euo pipefail
pkgs=(gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64)
missing=()
for p in "${pkgs[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
