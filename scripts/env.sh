# Build settings shared by every script (source it). The same tags and
# compiler everywhere keep the cgo build cache warm: changing either
# recompiles go-gl and sqlite from scratch.
export CC="${CC:-clang}"
export GOFLAGS="${GOFLAGS:--tags=migrated_fynedo}"
export CGO_ENABLED=1
# Fyne cannot parse the POSIX "C" locale and logs about it; use a UTF-8 one.
case "${LANG:-C}" in C|C.*|POSIX) export LANG=C.UTF-8 LC_ALL=C.UTF-8 ;; esac
