package sqlite

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"qrward/data"
)

// FuzzImportUnitDataset: a broken administrative-units CSV is refused
// with a typed error and leaves nothing behind (the import is one
// transaction).
func FuzzImportUnitDataset(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "vn-pre2025-danang.csv")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("province_code,province_name\n"))
	f.Add([]byte(""))
	s, err := OpenWith(filepath.Join(f.TempDir(), "units.db"), Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	n := 0
	f.Fuzz(func(t *testing.T, b []byte) {
		n++
		id := fmt.Sprintf("fuzz-%d", n)
		_, err := s.ImportUnitDataset(t.Context(), data.UnitDataset{ID: id, Name: id, ValidFrom: fixedNow}, bytes.NewReader(b), "vn-2021")
		if err == nil {
			return
		}
		if data.ErrorCode(err) == data.EInternal {
			t.Fatalf("untyped refusal: %v", err)
		}
		var left int
		s.ro.QueryRow(`SELECT COUNT(*) FROM admin_unit WHERE dataset_id = ?`, id).Scan(&left)
		if left != 0 {
			t.Fatalf("a refused import left %d units", left)
		}
	})
}
