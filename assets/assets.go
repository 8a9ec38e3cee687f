package assets

import (
	"embed"
	_ "embed"
)

// Units holds the bundled administrative-unit datasets in the CSV layout of
// shared/admin-units (province, district, ward codes, names and types).
// LICENSE-source.txt travels with them, as the MIT licence requires.
//
//go:embed units/*.csv units/LICENSE-source.txt
var Units embed.FS

// BundledUnitDataset describes the dataset every new replica starts with.
var BundledUnitDataset = struct {
	ID, Name, File, ValidFrom, Source string
}{
	ID:        "vn-2021",
	Name:      "Đơn vị hành chính 2021 (Đà Nẵng)",
	File:      "units/vn-2021-danang.csv",
	ValidFrom: "2021-11-01",
	Source:    "GSO via ThangLeQuoc/vietnamese-provinces-database v1.0.0 (MIT)",
}

// Icon is the application icon (PNG).
//
//go:embed icon.png
var Icon []byte
