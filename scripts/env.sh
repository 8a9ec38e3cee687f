# Build settings shared by every script (source it). The same tags and
# compiler everywhere keep the cgo build cache warm: changing either
# recompiles go-gl and sqlite from scratch.
export CC="${CC:-clang}"
export GOFLAGS="${GOFLAGS:--tags=migrated_fynedo}"
export CGO_ENABLED=1
# Fyne cannot parse a POSIX locale name ("C", "C.UTF-8") and logs an
# error about it at every start; give it a well-formed name (only the
# name is read, the locale need not be installed).
case "${LC_ALL:-${LANG:-C}}" in C|C.*|POSIX) export LANG=en_US.UTF-8; unset LC_ALL ;; esac
