package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

func TestCLIDecodeAndScanBench(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "cam1"), 0o755)
	personal := "001093029317|NGUYEN LE KHA HAN|1987-01-18|0|162979388586171100|"
	if err := qrcode.WriteFile(personal, qrcode.Medium, 400, filepath.Join(dir, "cam1", "a.png")); err != nil {
		t.Fatal(err)
	}
	if err := qrcode.WriteFile("hello", qrcode.Medium, 300, filepath.Join(dir, "cam1", "b.png")); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := qrward(t, "decode", filepath.Join(dir, "cam1", "a.png"))
	if code != 0 || !strings.Contains(out, "NGUYEN LE KHA HAN") {
		t.Fatalf("decode: %d %q %q", code, out, stderr)
	}
	code, out, _ = qrward(t, "scan-bench", "--json", dir)
	var rep struct {
		Images []struct {
			Codes []struct{ Text string } `json:"codes"`
		} `json:"images"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Images) != 2 || len(rep.Images[0].Codes) != 1 {
		t.Fatalf("scan-bench: %d %q", code, out)
	}
	blank := filepath.Join(dir, "blank.png")
	os.WriteFile(blank, []byte("not an image"), 0o644)
	if code, _, stderr := qrward(t, "decode", blank); code != 1 || !strings.Contains(stderr, "Không đọc được ảnh") {
		t.Errorf("bad image: %d %q", code, stderr)
	}
}
