package data

import "time"

// Unit levels. A commune-level unit (phường, xã, thị trấn) is a "ward"
// here, as users say.
const (
	LevelProvince = "province"
	LevelDistrict = "district"
	LevelWard     = "ward"
)

// UnitDataset is one published version of the administrative tree. Codes
// are only unique inside a dataset: the 2025 reform reuses codes for
// different units, so every record keeps the dataset with the code.
type UnitDataset struct {
	ID        string // e.g. "vn-2021"
	Name      string
	ValidFrom time.Time
	ValidTo   *time.Time // nil while in force
	Source    string
}

// AdminUnit is a province, district or ward as one dataset defines it.
type AdminUnit struct {
	Dataset    string
	Code       string // GSO code: 2 digits province, 3 district, 5 ward
	Level      string
	Type       string // "Phường", "Xã", "Quận", "Thành phố", …
	Name       string // without the type word: "Hải Châu I"
	ParentCode string // empty for a province
}

// FullName is the official name: type word, space, name.
func (u AdminUnit) FullName() string {
	if u.Type == "" {
		return u.Name
	}
	return u.Type + " " + u.Name
}

// Lineage kinds say how a unit of one dataset relates to one of another.
const (
	LineageSame    = "same"    // same territory, same name
	LineageRenamed = "renamed" // same territory, new name or type
	LineageMerged  = "merged"  // the old unit became part of the new one
	LineageSplit   = "split"   // part of the old unit went to the new one
)

// UnitLineage links a unit of an older dataset to its successor.
type UnitLineage struct {
	FromDataset, FromCode string
	ToDataset, ToCode     string
	Kind                  string
	Effective             time.Time
}

// WardLookup answers whether a ward exists; validation uses it so a venue
// can never point at a ward that is not in the replica.
type WardLookup interface {
	Ward(code string) (AdminUnit, bool)
}
