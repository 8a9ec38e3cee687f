package venuefile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"qrward/data"
)

// csvText turns the bytes of a CSV file into UTF-8 text without BOM. UTF-8
// with or without BOM is read as is; UTF-16 with a BOM (Excel's "Unicode
// Text") is converted. Anything else that is not valid UTF-8 (a legacy
// code page such as Windows-1258 or TCVN3) is an EUnsupported error naming
// the first bad line.
func csvText(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, utf8BOM):
		b = b[len(utf8BOM):]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		u, err := dec.Bytes(b)
		if err != nil {
			return nil, data.Errorf(data.EUnsupported, "err.venuefile_not_utf8", 1)
		}
		b = u
	}
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0 {
				return nil, data.Errorf(data.EUnsupported, "err.venuefile_not_utf8", 1+bytes.Count(b[:i], []byte{'\n'}))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return nil, data.Errorf(data.EUnsupported, "err.venuefile_not_utf8", 1+bytes.Count(b[:i], []byte{'\n'}))
		}
		i += size
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, data.Errorf(data.EInvalid, "err.venuefile_empty")
	}
	return b, nil
}

// sniffComma picks the separator (comma, semicolon or tab) under which the
// first rows contain the best header. Excel writes ";" when the Windows
// list separator is ";", as it is for the Vietnamese regional settings.
func sniffComma(text []byte) rune {
	if len(text) > 64<<10 {
		text = text[:64<<10]
	}
	best, bestScore := ',', -1
	for _, c := range []rune{',', ';', '\t'} {
		r := newCSVReader(text, c)
		score := 0
		for i := 0; i < headerSearchRows; i++ {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if s := headerScore(rec); s > score {
				score = s
			}
		}
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best
}

func newCSVReader(text []byte, comma rune) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	return r
}

type csvSource struct {
	r *csv.Reader
	n int // line estimate
}

func newCSVSource(text []byte, comma rune) *csvSource {
	n := bytes.Count(text, []byte{'\n'})
	if len(text) > 0 && text[len(text)-1] != '\n' {
		n++
	}
	return &csvSource{r: newCSVReader(text, comma), n: n}
}

func (s *csvSource) next() (int, []string, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, &data.Error{Code: data.EInvalid, Key: "err.venuefile_csv_syntax", Args: []any{pe.StartLine}, Err: err}
		}
		return 0, nil, asDataError(err, "err.venuefile_read_failed")
	}
	line, _ := s.r.FieldPos(0)
	for i, c := range rec {
		rec[i] = unescapeFormula(c)
	}
	return line, rec, nil
}

func (s *csvSource) lines() int { return s.n }
func (s *csvSource) close()     {}

// escapeFormula protects a CSV cell that Excel would run as a formula
// (=, +, -, @ first) with a leading apostrophe; unescapeFormula removes it
// on import, so exported files re-import unchanged.
func escapeFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func unescapeFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// xlsxSource reads the venue sheet of a workbook row by row. Line numbers
// are the spreadsheet's row numbers: the iterator yields every row number,
// empty or not.
type xlsxSource struct {
	f     *excelize.File
	rows  *excelize.Rows
	sheet string
	line  int
	n     int
}

// SheetName is the name of the venue sheet in templates and exports. Read
// takes the sheet of that name (ignoring case and diacritics), or else the
// first sheet.
const SheetName = "Địa điểm"

func openXLSX(b []byte) (*xlsxSource, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true})
	if err != nil {
		if errors.Is(err, excelize.ErrWorkbookFileFormat) || errors.Is(err, excelize.ErrWorkbookPassword) {
			return nil, &data.Error{Code: data.EUnsupported, Key: "err.venuefile_xls_unsupported", Err: err}
		}
		return nil, &data.Error{Code: data.ECorrupt, Key: "err.venuefile_xlsx_unreadable", Err: err}
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, data.Errorf(data.ECorrupt, "err.venuefile_xlsx_unreadable")
	}
	sheet := sheets[0]
	for _, s := range sheets {
		if foldKey(s) == foldKey(SheetName) {
			sheet = s
			break
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, &data.Error{Code: data.ECorrupt, Key: "err.venuefile_xlsx_unreadable", Err: err}
	}
	s := &xlsxSource{f: f, rows: rows, sheet: sheet}
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, last, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.CellNameToCoordinates(last); err == nil {
				s.n = row
			}
		}
	}
	return s, nil
}

func (s *xlsxSource) next() (int, []string, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return 0, nil, &data.Error{Code: data.ECorrupt, Key: "err.venuefile_xlsx_unreadable", Err: err}
		}
		return 0, nil, io.EOF
	}
	s.line++
	cells, err := s.rows.Columns()
	if err != nil {
		return 0, nil, &data.Error{Code: data.ECorrupt, Key: "err.venuefile_xlsx_unreadable", Err: err}
	}
	return s.line, cells, nil
}

func (s *xlsxSource) lines() int { return s.n }

func (s *xlsxSource) close() {
	s.rows.Close()
	s.f.Close()
}
