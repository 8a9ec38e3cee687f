package venuefile

import (
	"path/filepath"
	"strconv"
	"strings"

	"qrward/data"
)

// Format is a venue file format.
type Format int

// The formats qrward reads and writes.
const (
	CSV  Format = iota + 1 // UTF-8 text, comma, semicolon or tab separated
	XLSX                   // Excel 2007+ workbook
)

func (f Format) String() string {
	switch f {
	case CSV:
		return "CSV"
	case XLSX:
		return "XLSX"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// Ext is the file name extension of the format, with its dot.
func (f Format) Ext() string {
	switch f {
	case CSV:
		return ".csv"
	case XLSX:
		return ".xlsx"
	}
	return ""
}

// FormatFromName chooses the format from a file name's extension (.csv,
// .txt, .xlsx, .xlsm; any case). Any other name, including the old .xls,
// is an EUnsupported error with key err.venuefile_format_unknown.
func FormatFromName(name string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".csv", ".txt", ".tsv":
		return CSV, nil
	case ".xlsx", ".xlsm":
		return XLSX, nil
	case ".xls":
		return 0, data.Errorf(data.EUnsupported, "err.venuefile_xls_unsupported")
	}
	return 0, data.Errorf(data.EUnsupported, "err.venuefile_format_unknown", ext)
}

// numberText undoes what spreadsheets do to long digit strings stored as
// numbers: "905123456.0" or "9.05123456E+08" back to "905123456". Other
// text is returned unchanged.
func numberText(s string) string {
	if s == "" || !strings.ContainsAny(s, ".eE") {
		return s
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789.eE+-", r) {
			return s
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e15 || f != float64(int64(f)) {
		return s
	}
	return strconv.FormatInt(int64(f), 10)
}
