#!/usr/bin/env bash
# Installs the Debian packages qrward needs to build, run and test.
# Idempotent: packages already present are skipped, and apt is not touched
# at all when nothing is missing.
set -euo pipefail

packages=(
  # cgo toolchain (clang compiles go-gl and sqlite far faster than gcc)
  gcc clang pkg-config
  # Fyne / GLFW headers (X11 and Wayland back-ends are both compiled by GLFW 3.4)
  libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev
  libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev
  # running headless, reading PDFs back, reference QR decoders
  xvfb libgl1-mesa-dri poppler-utils zbar-tools zxing-cpp-tools
  # PostgreSQL server for the sync hub's tests
  postgresql
  # fonts: a Times-New-Roman metric-compatible serif for official documents
  fonts-liberation
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
