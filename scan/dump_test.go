package scan

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestDumpFrames writes a few generated frames as PNG for eyeballing the
// generator: QRWARD_DUMP=/some/dir go test -run TestDumpFrames ./scan
func TestDumpFrames(t *testing.T) {
	dir := os.Getenv("QRWARD_DUMP")
	if dir == "" {
		t.Skip()
	}
	for _, f := range GenerateFrames(FrameSetOptions{Seed: 1, PerCondition: 3}) {
		out, err := os.Create(filepath.Join(dir, f.Name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(out, f.Image); err != nil {
			t.Fatal(err)
		}
		out.Close()
	}
}
