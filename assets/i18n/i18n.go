package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"qrward/data"
)

//go:embed *.json
var files embed.FS

// Languages qrward speaks; the first is the default.
var Languages = []string{"vi", "en"}

var (
	loadOnce sync.Once
	tables   map[string]map[string]string
	loadErr  error
	current  atomic.Value // string
)

func load() {
	tables = map[string]map[string]string{}
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		loadErr = err
		return
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".json")
		lang := name[strings.LastIndex(name, ".")+1:]
		b, err := files.ReadFile(e.Name())
		if err != nil {
			loadErr = err
			return
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			loadErr = fmt.Errorf("%s: %w", e.Name(), err)
			return
		}
		if tables[lang] == nil {
			tables[lang] = map[string]string{}
		}
		for k, v := range m {
			if _, dup := tables[lang][k]; dup {
				loadErr = fmt.Errorf("%s: key %q defined twice", e.Name(), k)
			}
			tables[lang][k] = v
		}
	}
}

// Table returns the merged translation table of a language.
func Table(lang string) (map[string]string, error) {
	loadOnce.Do(load)
	return tables[lang], loadErr
}

// SetLanguage chooses the language of T; unknown languages fall back to
// Vietnamese.
func SetLanguage(lang string) {
	if _, ok := tables[lang]; !ok {
		loadOnce.Do(load)
		if _, ok := tables[lang]; !ok {
			lang = Languages[0]
		}
	}
	current.Store(lang)
}

// Language is the current language.
func Language() string {
	if l, ok := current.Load().(string); ok {
		return l
	}
	return Languages[0]
}

// T translates key into the current language, filling fmt verbs with
// args. A missing key falls back to English, then to the key itself, so a
// gap shows up as an odd word rather than a blank.
func T(key string, args ...any) string {
	return TIn(Language(), key, args...)
}

// TIn translates into a given language.
func TIn(lang, key string, args ...any) string {
	loadOnce.Do(load)
	text, ok := tables[lang][key]
	if !ok {
		if text, ok = tables["en"][key]; !ok {
			text = key
		}
	}
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// Has reports whether key is translated in lang.
func Has(lang, key string) bool {
	loadOnce.Do(load)
	_, ok := tables[lang][key]
	return ok
}

// Keys lists every key of a language, sorted.
func Keys(lang string) []string {
	loadOnce.Do(load)
	out := make([]string, 0, len(tables[lang]))
	for k := range tables[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Error turns any error into a user sentence: a domain error through its
// key (and its field problems, one per line); anything else as a generic
// failure, never raw internals.
func Error(err error) string {
	if err == nil {
		return ""
	}
	var de *data.Error
	if !errors.As(err, &de) {
		return T("err.unexpected")
	}
	msg := T(de.Key, de.Args...)
	for _, f := range de.Fields {
		msg += "\n• " + T("field."+f.Field) + ": " + T(f.Key, f.Args...)
	}
	return msg
}

// Field translates one field problem (shown next to its input).
func Field(f data.FieldError) string { return T(f.Key, f.Args...) }
