package sqlite

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"qrward/assets"
	"qrward/data"
)

// UnitSet is the in-memory tree of one unit dataset: small (a province has
// at most a few hundred wards), read on every validation and list render.
type UnitSet struct {
	Dataset string
	byCode  map[string]data.AdminUnit
	wards   []data.AdminUnit // sorted by district code, then name
}

// Ward implements data.WardLookup.
func (u *UnitSet) Ward(code string) (data.AdminUnit, bool) {
	w, ok := u.byCode[code]
	return w, ok && w.Level == data.LevelWard
}

// Unit finds any unit by code.
func (u *UnitSet) Unit(code string) (data.AdminUnit, bool) {
	w, ok := u.byCode[code]
	return w, ok
}

// Wards lists every ward, grouped by district.
func (u *UnitSet) Wards() []data.AdminUnit { return u.wards }

// District returns a ward's district.
func (u *UnitSet) District(wardCode string) (data.AdminUnit, bool) {
	w, ok := u.byCode[wardCode]
	if !ok {
		return data.AdminUnit{}, false
	}
	d, ok := u.byCode[w.ParentCode]
	return d, ok
}

// Units returns the unit set of the replica's current dataset.
func (s *Store) Units() *UnitSet { return s.units }

// ReloadUnits reads the current dataset's units into memory.
func (s *Store) ReloadUnits(ctx context.Context) error {
	ds, err := s.Setting(ctx, "units.current")
	if err != nil {
		return err
	}
	set := &UnitSet{Dataset: ds, byCode: map[string]data.AdminUnit{}}
	rows, err := s.rw.QueryContext(ctx, `SELECT code, level, type, name, COALESCE(parent_code, '')
		FROM admin_unit WHERE dataset_id = ?`, ds)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		u := data.AdminUnit{Dataset: ds}
		if err := rows.Scan(&u.Code, &u.Level, &u.Type, &u.Name, &u.ParentCode); err != nil {
			return err
		}
		set.byCode[u.Code] = u
		if u.Level == data.LevelWard {
			set.wards = append(set.wards, u)
		}
	}
	sort.Slice(set.wards, func(i, j int) bool {
		a, b := set.wards[i], set.wards[j]
		if a.ParentCode != b.ParentCode {
			return a.ParentCode < b.ParentCode
		}
		return a.Code < b.Code
	})
	s.units = set
	return rows.Err()
}

func (s *Store) ensureBundledUnits(ctx context.Context) error {
	var n int
	if err := s.rw.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_dataset`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	b := assets.BundledUnitDataset
	f, err := assets.Units.Open(b.File)
	if err != nil {
		return err
	}
	defer f.Close()
	from, _ := time.Parse(dateLayout, b.ValidFrom)
	ds := data.UnitDataset{ID: b.ID, Name: b.Name, ValidFrom: from, Source: b.Source}
	if _, err := s.importUnitDataset(ctx, ds, f, ""); err != nil {
		return err
	}
	return s.SetSetting(ctx, "units.current", b.ID)
}

var unitHeader = []string{"province_code", "province_name", "province_type", "district_code",
	"district_name", "district_type", "ward_code", "ward_name", "ward_type"}

// UnitImportResult counts what a dataset import wrote.
type UnitImportResult struct {
	Provinces, Districts, Wards int
	Lineage                     int
}

// ImportUnitDataset loads a unit dataset from CSV in the shared/admin-units
// layout, in one transaction. When predecessor names an existing dataset,
// lineage rows link every unit whose code exists in both: "same" when the
// folded name is unchanged, "renamed" otherwise (a reused code is not an
// identity, so such links are a starting point an office can correct).
func (s *Store) ImportUnitDataset(ctx context.Context, ds data.UnitDataset, r io.Reader, predecessor string) (UnitImportResult, error) {
	if err := s.Require(data.PermManageUsers); err != nil {
		return UnitImportResult{}, err
	}
	return s.importUnitDataset(ctx, ds, r, predecessor)
}

func (s *Store) importUnitDataset(ctx context.Context, ds data.UnitDataset, r io.Reader, predecessor string) (UnitImportResult, error) {
	var res UnitImportResult
	if strings.TrimSpace(ds.ID) == "" || strings.TrimSpace(ds.Name) == "" {
		return res, data.Errorf(data.EInvalid, "err.unit_dataset_meta")
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(unitHeader)
	head, err := cr.Read()
	if err != nil {
		return res, &data.Error{Code: data.EInvalid, Key: "err.unit_csv_header", Err: err}
	}
	for i, h := range unitHeader {
		if strings.TrimPrefix(strings.TrimSpace(head[i]), "\ufeff") != h {
			return res, &data.Error{Code: data.EInvalid, Key: "err.unit_csv_header", Args: []any{h}}
		}
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO unit_dataset(id, name, valid_from, valid_to, source, imported_at)
			VALUES (?, ?, ?, ?, ?, ?)`, ds.ID, ds.Name, ds.ValidFrom.Format(dateLayout), dateOrNil(ds.ValidTo), ds.Source, s.Now().Unix())
		if err != nil {
			return data.Errorf(data.EConflict, "err.unit_dataset_exists", ds.ID)
		}
		ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO admin_unit(dataset_id, code, level, type, name, name_folded, parent_code)
			VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		add := func(code, level, typ, name, parent string, counter *int) error {
			if code == "" {
				return nil
			}
			var p any
			if parent != "" {
				p = parent
			}
			r, err := ins.ExecContext(ctx, ds.ID, code, level, data.Clean(typ), data.Clean(name), data.Fold(name), p)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n > 0 {
				*counter++
			}
			return nil
		}
		line := 1
		for {
			rec, err := cr.Read()
			line++
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return &data.Error{Code: data.EInvalid, Key: "err.csv_line", Args: []any{line}, Err: err}
			}
			if err := add(rec[0], data.LevelProvince, rec[2], rec[1], "", &res.Provinces); err != nil {
				return err
			}
			if err := add(rec[3], data.LevelDistrict, rec[5], rec[4], rec[0], &res.Districts); err != nil {
				return err
			}
			if err := add(rec[6], data.LevelWard, rec[8], rec[7], rec[3], &res.Wards); err != nil {
				return err
			}
		}
		if predecessor == "" {
			return nil
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO admin_unit_lineage(from_dataset, from_code, to_dataset, to_code, kind, effective)
			SELECT o.dataset_id, o.code, n.dataset_id, n.code,
			       CASE WHEN o.name_folded = n.name_folded AND o.type = n.type THEN 'same' ELSE 'renamed' END, ?
			FROM admin_unit o JOIN admin_unit n ON n.code = o.code AND n.level = o.level
			WHERE o.dataset_id = ? AND n.dataset_id = ?`, ds.ValidFrom.Format(dateLayout), predecessor, ds.ID)
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		res.Lineage = int(n)
		return nil
	})
	if err != nil {
		return UnitImportResult{}, wrapDB(err, "import units")
	}
	return res, nil
}

// UnitDatasets lists the datasets in the replica, oldest first.
func (s *Store) UnitDatasets(ctx context.Context) ([]data.UnitDataset, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, name, valid_from, valid_to, source FROM unit_dataset ORDER BY valid_from`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.UnitDataset
	for rows.Next() {
		var d data.UnitDataset
		var from string
		var to sql.NullString
		if err := rows.Scan(&d.ID, &d.Name, &from, &to, &d.Source); err != nil {
			return nil, err
		}
		d.ValidFrom, _ = time.Parse(dateLayout, from)
		d.ValidTo = datePtr(to)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Lineage lists the successors of a unit in later datasets.
func (s *Store) Lineage(ctx context.Context, dataset, code string) ([]data.UnitLineage, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT from_dataset, from_code, to_dataset, to_code, kind, effective
		FROM admin_unit_lineage WHERE from_dataset = ? AND from_code = ?`, dataset, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []data.UnitLineage
	for rows.Next() {
		var l data.UnitLineage
		var eff string
		if err := rows.Scan(&l.FromDataset, &l.FromCode, &l.ToDataset, &l.ToCode, &l.Kind, &eff); err != nil {
			return nil, err
		}
		l.Effective, _ = time.Parse(dateLayout, eff)
		out = append(out, l)
	}
	return out, rows.Err()
}

// SetCurrentUnits switches the dataset new records validate against.
func (s *Store) SetCurrentUnits(ctx context.Context, dataset string) error {
	if err := s.Require(data.PermManageUsers); err != nil {
		return err
	}
	var n int
	if err := s.rw.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_dataset WHERE id = ?`, dataset).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return data.Errorf(data.ENotFound, "err.unit_dataset_unknown", dataset)
	}
	if err := s.SetSetting(ctx, "units.current", dataset); err != nil {
		return err
	}
	return s.ReloadUnits(ctx)
}

var _ data.WardLookup = (*UnitSet)(nil)

func (u *UnitSet) String() string {
	return fmt.Sprintf("UnitSet(%s, %d wards)", u.Dataset, len(u.wards))
}
