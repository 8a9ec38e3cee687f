package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"qrward/data"
)

var verbRe = regexp.MustCompile(`%[-+# 0]*[0-9.]*[a-zA-Z%]`)

// Both languages define the same keys with the same fmt verbs, so a
// message never loses an argument when the user switches language.
func TestLanguagesAgree(t *testing.T) {
	vi, err := Table("vi")
	if err != nil {
		t.Fatal(err)
	}
	en, _ := Table("en")
	for k, v := range vi {
		e, ok := en[k]
		if !ok {
			t.Errorf("%s: no English text", k)
			continue
		}
		if a, b := strings.Join(verbRe.FindAllString(v, -1), ""), strings.Join(verbRe.FindAllString(e, -1), ""); a != b {
			t.Errorf("%s: verbs differ: vi %q, en %q", k, a, b)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("%s: no Vietnamese text", k)
		}
	}
}

// Every message key written as a literal in the code is translated.
func TestEveryKeyInTheCodeIsTranslated(t *testing.T) {
	// Every namespace the translation files use ("err", "cli", "station", …).
	vi, _ := Table("vi")
	namespaces := map[string]bool{}
	for k := range vi {
		if ns, _, ok := strings.Cut(k, "."); ok {
			namespaces[ns] = true
		}
	}
	var names []string
	for ns := range namespaces {
		names = append(names, regexp.QuoteMeta(ns))
	}
	keyRe := regexp.MustCompile(`"((?:` + strings.Join(names, "|") + `)\.[a-z0-9_.]+)"`)
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyRe.FindAllStringSubmatch(string(src), -1) {
			key := m[1]
			if strings.HasSuffix(key, ".") { // a prefix joined with a value at run time
				continue
			}
			if !Has("vi", key) {
				t.Errorf("%s: key %q has no translation", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Keys built from domain values at run time exist for every value.
func TestDomainValuesAreTranslated(t *testing.T) {
	var keys []string
	for _, c := range data.Categories {
		keys = append(keys, "category."+c.Key)
	}
	for _, s := range data.VenueStatuses {
		keys = append(keys, "status."+s)
	}
	for _, m := range data.ControlMethods {
		keys = append(keys, "control."+m)
	}
	for _, c := range data.CommitmentStatuses {
		keys = append(keys, "commitment."+c)
	}
	for _, f := range []string{"code", "name", "category", "address", "ward", "owner_name", "owner_phone",
		"control_method", "status", "commitment", "notes"} {
		keys = append(keys, "field."+f)
	}
	for _, lang := range Languages {
		for _, k := range keys {
			if !Has(lang, k) {
				t.Errorf("%s: %s missing", lang, k)
			}
		}
	}
}

func TestErrorMessages(t *testing.T) {
	SetLanguage("vi")
	err := &data.Error{Code: data.EInvalid, Key: "err.invalid_input", Fields: []data.FieldError{
		{Field: "owner_phone", Key: "err.phone_invalid", Args: []any{"0123"}},
	}}
	want := "Dữ liệu nhập chưa hợp lệ:\n• Số điện thoại: Không phải số di động Việt Nam hợp lệ: 0123"
	if got := Error(err); got != want {
		t.Errorf("got %q", got)
	}
	SetLanguage("en")
	defer SetLanguage("vi")
	if got := Error(os.ErrPermission); got != T("err.unexpected") || !strings.HasPrefix(got, "An unexpected") {
		t.Errorf("non-domain error: %q", got)
	}
	if got := T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
}
