package inspect

import (
	"os"
	"path/filepath"
	"testing"

	"qrward/data"
)

func seed(f *testing.F, path string) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "assets", path)); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{`))
	f.Add([]byte(`{"version": 1}`))
}

// rejected checks that a refusal is a typed error a user can read.
func rejected(t *testing.T, err error) {
	if err != nil && data.ErrorCode(err) == data.EInternal {
		t.Fatalf("untyped rejection: %v", err)
	}
}

// FuzzParseRuleTable: a broken rule table is refused with a clear error,
// never a panic.
func FuzzParseRuleTable(f *testing.F) {
	seed(f, "rules/nd117-covid.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := ParseRuleTable("rules.json", b)
		rejected(t, err)
	})
}

// FuzzParseTemplate: the same for checklist templates.
func FuzzParseTemplate(f *testing.F) {
	seed(f, "checklists/staff_scan.json")
	lib, err := Bundled()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := ParseTemplate("checklist.json", b, lib.Rules)
		rejected(t, err)
	})
}

// FuzzParseCalendar: the same for the holiday calendar.
func FuzzParseCalendar(f *testing.F) {
	seed(f, "holidays/vn.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := ParseCalendar("holidays.json", b)
		rejected(t, err)
	})
}
