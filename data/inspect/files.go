package inspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"qrward/data"
)

// problems collects what is wrong with one data file; err returns them as
// one EInvalid error naming the file, each problem with its place.
type problems struct {
	file string
	list []data.FieldError
}

// add records a problem at place (e.g. "items[3].rule"); key is a message
// whose first verb receives the place.
func (p *problems) add(place, key string, args ...any) {
	p.list = append(p.list, data.FieldError{Field: "inspect_place", Key: key, Args: append([]any{place}, args...)})
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &data.Error{Code: data.EInvalid, Key: "err.inspect_file_invalid", Args: []any{p.file}, Fields: p.list}
}

// decodeStrict decodes one JSON document into v, refusing unknown fields
// (a misspelt key would otherwise be silently ignored) and reporting
// syntax errors with their line and column.
func decodeStrict(file string, b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			line, col := position(b, int(dec.InputOffset()))
			return fileErr(file, "err.inspect_json_trailing", line, col)
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(b, int(syn.Offset)-1) // Offset is just past the bad byte
		return fileErr(file, "err.inspect_json_syntax", line, col)
	case errors.As(err, &typ):
		line, col := position(b, int(typ.Offset))
		return fileErr(file, "err.inspect_json_type", line, col, typ.Field, typ.Type.String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return fileErr(file, "err.inspect_json_unknown_field", strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
	}
	// Empty or truncated input (io.EOF, io.ErrUnexpectedEOF): the end of the file.
	line, col := position(b, len(b))
	return fileErr(file, "err.inspect_json_syntax", line, col)
}

func fileErr(file, key string, args ...any) error {
	return &data.Error{Code: data.EInvalid, Key: "err.inspect_file_invalid", Args: []any{file},
		Fields: []data.FieldError{{Field: "inspect_place", Key: key, Args: args}}}
}

// position converts a byte offset into a 1-based line and column.
func position(b []byte, off int) (line, col int) {
	if off < 0 {
		off = 0
	}
	if off > len(b) {
		off = len(b)
	}
	line = 1 + bytes.Count(b[:off], []byte("\n"))
	col = off - bytes.LastIndexByte(b[:off], '\n')
	return line, col
}

// readDir returns the *.json files of dir in name order.
func readDir(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, &data.Error{Code: data.ENotFound, Key: "err.inspect_dir_missing", Args: []any{dir}, Err: err}
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

func at(format string, args ...any) string { return fmt.Sprintf(format, args...) }
