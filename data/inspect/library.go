package inspect

import (
	"io/fs"
	"os"
	"sync"

	"qrward/assets"
)

// Library is the validated set of data files inspections work from.
type Library struct {
	Templates *Templates
	Rules     *RuleTable
	Calendar  *Calendar
}

// Directories of the data files inside an assets tree.
const (
	ChecklistDir = "checklists"
	RuleDir      = "rules"
	HolidayDir   = "holidays"
)

// Load reads and validates every data file of fsys; the first broken file
// fails the whole load with its problems.
func Load(fsys fs.FS) (*Library, error) {
	rules, err := LoadRuleTable(fsys, RuleDir)
	if err != nil {
		return nil, err
	}
	ts, err := LoadTemplates(fsys, ChecklistDir, rules)
	if err != nil {
		return nil, err
	}
	cal, err := LoadCalendar(fsys, HolidayDir)
	if err != nil {
		return nil, err
	}
	return &Library{Templates: ts, Rules: rules, Calendar: cal}, nil
}

// LoadDir reads an office's own copy of the data files from a folder with
// the same layout (checklists/, rules/, holidays/).
func LoadDir(dir string) (*Library, error) { return Load(os.DirFS(dir)) }

var (
	bundledOnce sync.Once
	bundled     *Library
	bundledErr  error
)

// Bundled returns the library shipped inside the binary (assets.Inspect),
// loaded once.
func Bundled() (*Library, error) {
	bundledOnce.Do(func() { bundled, bundledErr = Load(assets.Inspect) })
	return bundled, bundledErr
}
