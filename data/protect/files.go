package protect

import (
	"path/filepath"
	"strings"
)

// PersonalMarker is added to the name of every file qrward writes that
// holds personal data, so it is recognised wherever it is copied.
const PersonalMarker = "du-lieu-ca-nhan"

// PersonalFileName returns name with the personal-data marker before the
// extension ("ds.xlsx" → "ds-du-lieu-ca-nhan.xlsx"), unless it has it.
func PersonalFileName(name string) string {
	if strings.Contains(filepath.Base(name), PersonalMarker) {
		return name
	}
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "-" + PersonalMarker + ext
}

// OnRemovableMedia reports whether path lies on a removable drive (USB
// stick, memory card), where the window warns before writing personal
// data. It errs on the side of false when it cannot tell.
func OnRemovableMedia(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	return onRemovable(abs)
}
