package venuefile

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"strings"

	"qrward/data"
)

// DefaultMaxRows is the row cap of Read when ReadOptions.MaxRows is 0.
const DefaultMaxRows = 100_000

const (
	headerSearchRows = 20  // non-blank rows searched for the header row
	progressEvery    = 500 // rows between Progress calls
)

// ReadOptions tunes Read. The zero value is ready to use.
type ReadOptions struct {
	// Progress, if not nil, is called every 500 data rows and once at the
	// end. total is an estimate (from the line count or the sheet's
	// dimension) until the last call, where done == total.
	Progress func(done, total int)
	// MaxRows caps the number of data rows; a larger file is an error.
	// 0 means DefaultMaxRows.
	MaxRows int
	// Context, if not nil, cancels a long read: Read then returns an
	// ECancelled error.
	Context context.Context
}

// Row is one data row of a venue file.
type Row struct {
	// Line is the row's 1-based line number as the user sees it: the
	// spreadsheet row number, or the text editor line where the record
	// starts (the header is line 1 unless title rows precede it).
	Line int
	// Cells holds the raw text of the recognised columns, aligned with
	// Preview.Columns.
	Cells []string
	// Venue is the row as a venue, normalised by data.Venue.Normalize
	// (NFC text, canonical phone, defaults filled).
	Venue data.Venue
	// Problems lists what stops the row from being imported, in column
	// order. Field is a Column.Field of a column of the file.
	Problems []data.FieldError
}

// OK reports whether the row can be imported.
func (r *Row) OK() bool { return len(r.Problems) == 0 }

// Warning is a file-level notice that does not stop the import, such as
// an unknown column.
type Warning struct {
	Line int // 0 when it concerns no particular line
	Key  string
	Args []any
}

// Preview is a parsed venue file: every data row, good or bad.
type Preview struct {
	Format     Format
	Sheet      string // XLSX: the sheet read
	Comma      rune   // CSV: the separator found
	HeaderLine int
	// Columns are the recognised columns, in file order.
	Columns  []Column
	Rows     []Row
	Warnings []Warning
}

// Valid returns the venues of the rows without problems, in file order.
func (p *Preview) Valid() []data.Venue {
	out := make([]data.Venue, 0, len(p.Rows)-p.ErrorCount())
	for i := range p.Rows {
		if p.Rows[i].OK() {
			out = append(out, p.Rows[i].Venue)
		}
	}
	return out
}

// ErrorCount is the number of rows with at least one problem.
func (p *Preview) ErrorCount() int {
	n := 0
	for i := range p.Rows {
		if !p.Rows[i].OK() {
			n++
		}
	}
	return n
}

// Cell returns the raw text of a row's column, "" when the file has no
// such column.
func (p *Preview) Cell(row int, field string) string {
	for i, c := range p.Columns {
		if c.Field == field {
			return p.Rows[row].Cells[i]
		}
	}
	return ""
}

// CheckExisting marks the rows whose venue code is already taken
// (err.venue_code_taken on the code column), typically by venues in the
// replica, and returns how many it marked.
func (p *Preview) CheckExisting(taken func(code string) bool) int {
	n := 0
	for i := range p.Rows {
		r := &p.Rows[i]
		if r.Venue.Code != "" && taken(r.Venue.Code) {
			r.Problems = append(r.Problems, data.FieldError{Field: FieldCode, Key: "err.venue_code_taken", Args: []any{r.Venue.Code}})
			sortProblems(r.Problems)
			n++
		}
	}
	return n
}

// source yields the rows of a file.
type source interface {
	// next returns the next row and its 1-based line, or io.EOF.
	next() (line int, cells []string, err error)
	// lines estimates the number of lines (rows) of the file.
	lines() int
	close()
}

// Read parses a venue file for preview. format may be corrected by the
// content: an XLSX workbook named .csv is read as XLSX. wards validates
// ward codes and resolves ward names; it may be nil, and then neither is
// checked.
//
// Rows with problems are kept, each problem tied to its column. Within the
// file, a venue code used twice or the same name + address + ward twice is
// a problem of the later row (err.venuefile_duplicate_code,
// err.venuefile_duplicate_venue), so the first one still imports.
//
// File-level problems are returned as a *data.Error: EInvalid for an empty
// file (err.venuefile_empty), a file without a header row
// (err.venuefile_no_header), a missing required column
// (err.venuefile_missing_column), a column given twice
// (err.venuefile_duplicate_column), no data rows (err.venuefile_no_rows) or
// too many (err.venuefile_too_many_rows); EUnsupported for text that is not
// UTF-8 (err.venuefile_not_utf8) or an old/encrypted Excel file
// (err.venuefile_xls_unsupported); ECorrupt for an unreadable workbook
// (err.venuefile_xlsx_unreadable).
func Read(r io.Reader, format Format, wards Wards, opts ReadOptions) (*Preview, error) {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	maxRows := opts.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, &data.Error{Code: data.EInternal, Key: "err.venuefile_read_failed", Err: err}
	}
	switch {
	case bytes.HasPrefix(b, zipMagic):
		format = XLSX
	case bytes.HasPrefix(b, oleMagic):
		return nil, data.Errorf(data.EUnsupported, "err.venuefile_xls_unsupported")
	case format == XLSX && len(bytes.TrimSpace(bytes.TrimPrefix(b, utf8BOM))) == 0:
		return nil, data.Errorf(data.EInvalid, "err.venuefile_empty")
	case format == XLSX:
		return nil, data.Errorf(data.ECorrupt, "err.venuefile_xlsx_unreadable")
	case format != CSV:
		return nil, data.Errorf(data.EUnsupported, "err.venuefile_format_unknown", format.String())
	}

	p := &Preview{Format: format}
	var src source
	if format == XLSX {
		xs, err := openXLSX(b)
		if err != nil {
			return nil, err
		}
		p.Sheet = xs.sheet
		src = xs
	} else {
		text, err := csvText(b)
		if err != nil {
			return nil, err
		}
		p.Comma = sniffComma(text)
		src = newCSVSource(text, p.Comma)
	}
	b = nil
	defer src.close()

	hdrLine, hdr, err := findHeader(src)
	if err != nil {
		return nil, err
	}
	p.HeaderLine = hdrLine
	pos, err := p.bindHeader(hdr)
	if err != nil {
		return nil, err
	}

	rd := rowReader{p: p, pos: pos, wards: wards, names: newWardNames(wards),
		codes: map[string]int{}, keys: map[string]int{}, hasWardCode: p.hasColumn(FieldWard)}
	total := src.lines() - hdrLine
	if total > maxRows+1 {
		total = maxRows + 1
	}
	if total > 0 {
		p.Rows = make([]Row, 0, total)
	}
	n := 0
	for {
		if n%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
			}
		}
		line, cells, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if blank(cells) {
			continue
		}
		n++
		if n > maxRows {
			return nil, data.Errorf(data.EInvalid, "err.venuefile_too_many_rows", maxRows)
		}
		p.Rows = append(p.Rows, rd.row(line, cells))
		if opts.Progress != nil && n%progressEvery == 0 {
			opts.Progress(n, max(total, n))
		}
	}
	if n == 0 {
		return nil, data.Errorf(data.EInvalid, "err.venuefile_no_rows")
	}
	if opts.Progress != nil {
		opts.Progress(n, n)
	}
	return p, nil
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// headerScore counts the distinct known columns a row names.
func headerScore(cells []string) int {
	seen := map[int]bool{}
	for _, c := range cells {
		if i := matchColumn(c); i >= 0 {
			seen[i] = true
		}
	}
	return len(seen)
}

// findHeader returns the header row: the first of the first 20 non-blank
// rows that names at least two known columns, so title rows above the
// table ("DANH SÁCH ĐỊA ĐIỂM …") are skipped. Failing that, a first row
// naming one known column is taken, so that the error names the missing
// columns.
func findHeader(src source) (int, []string, error) {
	var firstLine int
	var first []string
	for seen := 0; seen < headerSearchRows; {
		line, cells, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, nil, err
		}
		if blank(cells) {
			continue
		}
		if seen == 0 {
			firstLine, first = line, cells
		}
		seen++
		if headerScore(cells) >= 2 {
			return line, cells, nil
		}
	}
	if first == nil {
		return 0, nil, data.Errorf(data.EInvalid, "err.venuefile_empty")
	}
	if headerScore(first) == 1 {
		// One known column leaves five required ones missing: bindHeader
		// fails, so the rows read past it do not matter.
		return firstLine, first, nil
	}
	return 0, nil, data.Errorf(data.EInvalid, "err.venuefile_no_header")
}

// bindHeader records the recognised columns of the header and returns,
// for each of them, its cell index in the file.
func (p *Preview) bindHeader(hdr []string) ([]int, error) {
	at := map[int]int{} // index in Columns → file column
	var pos []int
	for i, cell := range hdr {
		if strings.TrimSpace(cell) == "" {
			continue
		}
		ci := matchColumn(cell)
		if ci < 0 {
			if !ignoredHeaders[headerKey(cell)] {
				p.Warnings = append(p.Warnings, Warning{Line: p.HeaderLine,
					Key: "warn.venuefile_unknown_column", Args: []any{data.Clean(cell), colLetter(i)}})
			}
			continue
		}
		if prev, dup := at[ci]; dup {
			return nil, data.Errorf(data.EInvalid, "err.venuefile_duplicate_column",
				Columns[ci].Header, colLetter(prev), colLetter(i))
		}
		at[ci] = i
		if Columns[ci].ExportOnly {
			continue
		}
		p.Columns = append(p.Columns, Columns[ci])
		pos = append(pos, i)
	}
	var missing []string
	for ci, c := range Columns {
		if _, ok := at[ci]; ok || !c.Required {
			continue
		}
		if c.Field == FieldWard && p.hasColumn(FieldWardName) {
			continue
		}
		missing = append(missing, c.Header)
	}
	if len(missing) > 0 {
		return nil, data.Errorf(data.EInvalid, "err.venuefile_missing_column", strings.Join(missing, ", "))
	}
	return pos, nil
}

func (p *Preview) hasColumn(field string) bool {
	for _, c := range p.Columns {
		if c.Field == field {
			return true
		}
	}
	return false
}

// rowReader turns data rows into Rows.
type rowReader struct {
	p           *Preview
	pos         []int // file cell index of each p.Columns
	wards       Wards
	names       wardNames
	hasWardCode bool
	codes, keys map[string]int // first line of each venue code, each name+address+ward
	// seen caches coded cells: a column holds few distinct values, and
	// folding each cell costs more than the rest of the row.
	seen map[*Choices]map[string]string
}

// choice maps a coded cell to its key; an unknown value is kept as written
// so that Normalize reports it with the user's text.
func (rd *rowReader) choice(c *Choices, cell string) string {
	m := rd.seen[c]
	if m == nil {
		if rd.seen == nil {
			rd.seen = map[*Choices]map[string]string{}
		}
		m = map[string]string{}
		rd.seen[c] = m
	}
	if k, ok := m[cell]; ok {
		return k
	}
	k := choice(c, cell)
	if len(m) < 1000 {
		m[cell] = k
	}
	return k
}

func (rd *rowReader) row(line int, cells []string) Row {
	r := Row{Line: line, Cells: make([]string, len(rd.pos))}
	var v data.Venue
	var wardCell, wardName string
	for i, at := range rd.pos {
		if at >= len(cells) {
			continue
		}
		s := cells[at]
		r.Cells[i] = s
		switch rd.p.Columns[i].Field {
		case FieldCode:
			v.Code = s
		case FieldName:
			v.Name = s
		case FieldCategory:
			v.Category = rd.choice(Categories, s)
		case FieldAddress:
			v.Address = s
		case FieldWard:
			wardCell = s
		case FieldWardName:
			wardName = data.Clean(s)
		case FieldOwnerName:
			v.OwnerName = s
		case FieldOwnerPhone:
			v.OwnerPhone = numberText(strings.TrimSpace(s))
		case FieldControlMethod:
			v.ControlMethod = rd.choice(ControlMethods, s)
		case FieldStatus:
			v.Status = rd.choice(Statuses, s)
		case FieldCommitment:
			v.Commitment = rd.choice(Commitments, s)
		case FieldNotes:
			v.Notes = s
		}
	}

	var probs []data.FieldError
	wardNameBad := false
	code := wardCodeCell(wardCell)
	switch {
	case code != "":
		v.WardCode = code
		if wardName != "" && rd.wards != nil {
			if _, known := rd.wards.Ward(code); known && !containsStr(rd.names.find(wardName), code) {
				probs = append(probs, data.FieldError{Field: FieldWardName, Key: "err.venuefile_ward_mismatch", Args: []any{wardName, code}})
			}
		}
	case wardName != "":
		switch cands := rd.names.find(wardName); len(cands) {
		case 0:
			probs = append(probs, data.FieldError{Field: FieldWardName, Key: "err.ward_unknown", Args: []any{wardName}})
			wardNameBad = true
		case 1:
			v.WardCode = cands[0]
		default:
			probs = append(probs, data.FieldError{Field: FieldWardName, Key: "err.venuefile_ward_ambiguous", Args: []any{wardName}})
			wardNameBad = true
		}
	}

	for _, fe := range data.FieldErrors(v.Normalize(rd.wards)) {
		if fe.Field == FieldControlMethod && v.ControlMethod == "" {
			continue // no method given and none derived: the category is at fault
		}
		if fe.Field == FieldWard {
			if wardNameBad && fe.Key == "err.required" {
				continue // already told on the name
			}
			if !rd.hasWardCode {
				fe.Field = FieldWardName
			}
		}
		probs = append(probs, fe)
	}

	if v.Code != "" {
		if first, dup := rd.codes[v.Code]; dup {
			probs = append(probs, data.FieldError{Field: FieldCode, Key: "err.venuefile_duplicate_code", Args: []any{v.Code, first}})
		} else {
			rd.codes[v.Code] = line
		}
	}
	if v.Name != "" && v.Address != "" && v.WardCode != "" {
		k := data.Fold(v.Name) + "\x00" + data.Fold(v.Address) + "\x00" + v.WardCode
		if first, dup := rd.keys[k]; dup {
			probs = append(probs, data.FieldError{Field: FieldName, Key: "err.venuefile_duplicate_venue", Args: []any{first}})
		} else {
			rd.keys[k] = line
		}
	}
	sortProblems(probs)
	r.Venue, r.Problems = v, probs
	return r
}

// choice maps a coded cell to its key; an unknown value is kept as written
// so that Normalize reports it with the user's text.
func choice(c *Choices, cell string) string {
	s := strings.TrimSpace(cell)
	if s == "" {
		return ""
	}
	if k, ok := c.Parse(s); ok {
		return k
	}
	return data.Clean(s)
}

var columnOrder = func() map[string]int {
	m := map[string]int{}
	for i, c := range Columns {
		m[c.Field] = i
	}
	return m
}()

func sortProblems(ps []data.FieldError) {
	sort.SliceStable(ps, func(i, j int) bool { return columnOrder[ps[i].Field] < columnOrder[ps[j].Field] })
}

// asDataError keeps domain errors and wraps any other as EInternal.
func asDataError(err error, key string) error {
	var de *data.Error
	if errors.As(err, &de) {
		return err
	}
	return &data.Error{Code: data.EInternal, Key: key, Err: err}
}
