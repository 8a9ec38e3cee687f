package sqlite

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"qrward/data"
)

func TestOpenCreatesLatestSchemaWithBundledUnits(t *testing.T) {
	s := newTestStore(t)
	v, err := s.SchemaVersion(t.Context())
	if err != nil || v != LatestSchemaVersion() || v < 2 {
		t.Fatalf("schema version %d, %v; latest %d", v, err, LatestSchemaVersion())
	}
	c, err := s.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c.Wards != 56 {
		t.Errorf("bundled Đà Nẵng 2021 wards = %d, want 56", c.Wards)
	}
	w, ok := s.Units().Ward("20236")
	if !ok || w.FullName() != "Phường Hải Châu I" {
		t.Errorf("ward 20236 = %+v", w)
	}
	d, ok := s.Units().District("20236")
	if !ok || d.FullName() != "Quận Hải Châu" {
		t.Errorf("district of 20236 = %+v", d)
	}
	var districts int
	s.ro.QueryRow(`SELECT COUNT(*) FROM admin_unit WHERE level='district' AND dataset_id='vn-2021'`).Scan(&districts)
	if districts != 8 { // 7 with wards + Hoàng Sa
		t.Errorf("districts = %d", districts)
	}
	var fk, journal string
	s.rw.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	s.rw.QueryRow(`PRAGMA journal_mode`).Scan(&journal)
	if fk != "1" || journal != "wal" {
		t.Errorf("foreign_keys=%s journal=%s", fk, journal)
	}
}

// Upgrading from every earlier schema version keeps existing rows.
func TestMigrateFromEachEarlierVersion(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:len(ms)-1] {
		from := m.version
		path := filepath.Join(t.TempDir(), "old.db")
		old, err := OpenWith(path, Options{MigrateTo: from})
		if err != nil {
			t.Fatal(err)
		}
		// Rows written by the old schema, a person in plain text among them.
		if _, err := old.rw.Exec(`INSERT INTO setting(key, value) VALUES ('probe', 'kept')`); err != nil {
			t.Fatal(err)
		}
		if _, err := old.rw.Exec(`INSERT INTO person(id, full_name, name_folded, phone, device_id, created_at, updated_at)
			VALUES (?, 'Phan Thị Legacy', 'phan thi legacy', '0905777888', ?, 0, 0)`, data.NewID(), data.NewID()); err != nil {
			t.Fatal(err)
		}
		if v, _ := old.SchemaVersion(t.Context()); v != from {
			t.Fatalf("partial open at %d reports %d", from, v)
		}
		old.Close()
		s, err := Open(path)
		if err != nil {
			t.Fatalf("upgrade from %d: %v", from, err)
		}
		if v, _ := s.SchemaVersion(t.Context()); v != LatestSchemaVersion() {
			t.Errorf("after upgrade from %d: version %d", from, v)
		}
		if got, _ := s.Setting(t.Context(), "probe"); got != "kept" {
			t.Errorf("upgrade from %d lost a row", from)
		}
		// The plain-text person is now encrypted, still found, and gone from the file.
		if p, err := s.FindPeople(t.Context(), PersonQuery{Phone: "0905777888"}); err != nil || len(p) != 1 || p[0].FullName != "Phan Thị Legacy" {
			t.Errorf("upgrade from %d: legacy person %+v %v", from, p, err)
		}
		s.Close()
		for _, suffix := range []string{"", "-wal"} {
			if b, _ := os.ReadFile(path + suffix); bytes.Contains(b, []byte("0905777888")) {
				t.Errorf("upgrade from %d: plain-text phone left in %s", from, filepath.Base(path+suffix))
			}
		}
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, _ := sql.Open("sqlite3", path)
	if _, err := db.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (999, '0999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(path)
	var de *data.Error
	if !errors.As(err, &de) || de.Code != data.ESchemaNewer || de.Args[0] != 999 {
		t.Fatalf("opening a newer schema: %v", err)
	}
}

func TestImportNewerUnitDatasetWithLineage(t *testing.T) {
	s := newTestStore(t)
	f, err := openTestdata("vn-pre2025-danang.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ds := data.UnitDataset{ID: "vn-2025-03", Name: "Đơn vị hành chính 03/2025", ValidFrom: fixedNow}
	res, err := s.ImportUnitDataset(t.Context(), ds, f, "vn-2021")
	if err != nil {
		t.Fatal(err)
	}
	if res.Wards != 47 || res.Districts != 8 || res.Provinces != 1 {
		t.Errorf("imported %+v", res)
	}
	// 20236 keeps its code but was renamed (Hải Châu I → Hải Châu).
	l, err := s.Lineage(t.Context(), "vn-2021", "20236")
	if err != nil || len(l) != 1 || l[0].Kind != data.LineageRenamed || l[0].ToDataset != "vn-2025-03" {
		t.Errorf("lineage of 20236: %+v %v", l, err)
	}
	// Old records keep validating against the dataset they were made in.
	if s.Units().Dataset != "vn-2021" {
		t.Errorf("current dataset changed on import")
	}
	if err := s.SetCurrentUnits(t.Context(), "vn-2025-03"); err != nil {
		t.Fatal(err)
	}
	if w, _ := s.Units().Ward("20236"); w.Name != "Hải Châu" {
		t.Errorf("20236 in 2025 = %q", w.Name)
	}
	if _, ok := s.Units().Ward("20221"); ok {
		t.Error("20221 (Thạc Gián 2021) should not exist in 2025")
	}
	// Importing the same dataset twice is refused.
	f2, _ := openTestdata("vn-pre2025-danang.csv")
	defer f2.Close()
	if _, err := s.ImportUnitDataset(t.Context(), ds, f2, ""); data.ErrorCode(err) != data.EConflict {
		t.Errorf("second import: %v", err)
	}
}

// TestBulkRebuildsTheMigratedIndexes: a bulk load drops the check-in
// indexes and re-creates them from its own list, which must stay the one
// the migrations build.
func TestBulkRebuildsTheMigratedIndexes(t *testing.T) {
	s := newTestStore(t)
	ctx := t.Context()
	indexes := func() map[string]string {
		rows, err := s.ro.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'checkin' AND sql IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var name, q string
			if err := rows.Scan(&name, &q); err != nil {
				t.Fatal(err)
			}
			out[name] = strings.Join(strings.Fields(strings.ReplaceAll(q, " IF NOT EXISTS", "")), " ")
		}
		return out
	}
	migrated := indexes()
	if _, ok := migrated["checkin_person_visit"]; !ok || len(migrated) < 2 {
		t.Fatalf("migrated check-in indexes: %v", migrated)
	}
	b, err := s.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if got := indexes(); !reflect.DeepEqual(got, migrated) {
		t.Errorf("after a bulk load:\n%v\nmigrated:\n%v", got, migrated)
	}
}
