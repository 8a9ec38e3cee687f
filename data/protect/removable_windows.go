package protect

import (
	"path/filepath"

	"golang.org/x/sys/windows"
)

// onRemovable asks Windows for the type of the drive holding path.
func onRemovable(path string) bool {
	root := filepath.VolumeName(path) + `\`
	p, err := windows.UTF16PtrFromString(root)
	if err != nil {
		return false
	}
	return windows.GetDriveType(p) == windows.DRIVE_REMOVABLE
}
