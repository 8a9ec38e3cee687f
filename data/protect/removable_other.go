//go:build !linux && !windows

package protect

import "strings"

// onRemovable treats external volumes (macOS mounts them under /Volumes)
// as removable.
func onRemovable(path string) bool { return strings.HasPrefix(path, "/Volumes/") }
