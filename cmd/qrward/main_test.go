package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qrward/assets/i18n"
)

// qrward runs the CLI in-process and returns its exit code and output.
func qrward(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCLIDemoSearchImportExport(t *testing.T) {
	defer i18n.SetLanguage("vi")
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.db")

	code, out, stderr := qrward(t, "demo", "--db", db, "--venues-per-ward", "20", "--checkins", "5000", "--json")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, stderr)
	}
	var demo map[string]any
	if err := json.Unmarshal([]byte(out), &demo); err != nil || demo["venues"].(float64) != 260 {
		t.Fatalf("demo output %q: %v", out, err)
	}
	// A second demo into the same file is refused with exit 1 and a Vietnamese message.
	code, _, stderr = qrward(t, "demo", "--db", db)
	if code != 1 || !strings.Contains(stderr, "đã có dữ liệu") {
		t.Errorf("second demo: exit %d, %q", code, stderr)
	}

	code, out, _ = qrward(t, "venues", "search", "--db", db, "--json", "--limit", "0", "cho", "han")
	var rows []venueJSON
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) == 0 || rows[0].Name != "Chợ Hàn" {
		t.Fatalf("search: exit %d, %q", code, out)
	}

	// Template → import (two example rows) → export CSV holds them.
	tmpl := filepath.Join(dir, "mau.xlsx")
	if code, _, stderr := qrward(t, "template", "venues", "--format", "xlsx", "--out", tmpl); code != 0 {
		t.Fatalf("template: %d %s", code, stderr)
	}
	// Its example codes collide with the demo's own: refused, nothing written.
	code, out, _ = qrward(t, "import", "venues", "--db", db, "--json", tmpl)
	var rep importReport
	if code != 1 || json.Unmarshal([]byte(out), &rep) != nil || rep.Invalid != 2 || rep.Errors[0].Field != "code" {
		t.Fatalf("import over taken codes: exit %d, %q", code, out)
	}
	fresh := filepath.Join(dir, "fresh.db")
	code, out, stderr = qrward(t, "import", "venues", "--db", fresh, "--json", tmpl)
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || rep.Imported != 2 || rep.Invalid != 0 {
		t.Fatalf("import: exit %d, %q, %s", code, out, stderr)
	}
	exported := filepath.Join(dir, "out.csv")
	if code, out, stderr := qrward(t, "--lang", "en", "export", "venues", "--db", db, "--format", "csv", "--out", exported); code != 0 || !strings.Contains(out, "Exported 260 venues") {
		t.Fatalf("export: exit %d, %q %q", code, out, stderr)
	}
	// The owners' names and phones make it personal data: the name says so.
	csv, _ := os.ReadFile(filepath.Join(dir, "out-du-lieu-ca-nhan.csv"))
	if !bytes.HasPrefix(csv, []byte("\ufeff")) || !strings.Contains(string(csv), "Chợ Hàn") {
		t.Errorf("export lacks BOM or content")
	}

	// A file with a bad row: refused as a whole, row reported with its line.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở,Số điện thoại\n"+
		"Quán Mới,Nhà hàng,1 Lê Lợi,20236,Võ Văn Tâm,0905000111\n"+
		"Quán Lỗi,Nhà hàng,2 Lê Lợi,20236,Võ Văn Tâm,0123\n"), 0o644)
	code, _, stderr = qrward(t, "import", "venues", "--db", db, bad)
	if code != 1 || !strings.Contains(stderr, "Dòng 3, Số điện thoại") || !strings.Contains(stderr, "không nhập gì") {
		t.Errorf("bad import: exit %d, %q", code, stderr)
	}
	code, out, _ = qrward(t, "import", "venues", "--db", db, "--skip-invalid", bad)
	if code != 0 || !strings.Contains(out, "Đã nhập 1 địa điểm") {
		t.Errorf("skip-invalid import: exit %d, %q", code, out)
	}
}

func TestCLIUsageAndErrors(t *testing.T) {
	if code, _, stderr := qrward(t, "no-such-command"); code != 2 || !strings.Contains(stderr, "Không có lệnh") {
		t.Errorf("unknown command: %d %q", code, stderr)
	}
	if code, _, _ := qrward(t, "venues", "search", "--bogus"); code != 2 {
		t.Errorf("bad flag exit %d", code)
	}
	if code, _, stderr := qrward(t, "venues", "search", "--db", filepath.Join(t.TempDir(), "none.db"), "x"); code != 1 || !strings.Contains(stderr, "Không có tệp dữ liệu") {
		t.Errorf("missing replica: %d %q", code, stderr)
	}
	if code, _, _ := qrward(t, "demo", "--help"); code != 0 {
		t.Errorf("--help exit %d", code)
	}
	if code, out, _ := qrward(t, "help"); code != 0 || !strings.Contains(out, "venues search") {
		t.Errorf("help: %d %q", code, out)
	}
}
