package scan

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestDumpFrames(t *testing.T) {
	dir := os.Getenv("QRWARD_DUMP")
	if dir == "" {
		t.Skip()
	}
	for _, f := range GenerateFrames(FrameSetOptions{Seed: 1, PerCondition: 3}) {
		out, _ := os.Create(filepath.Join(dir, f.Name+".png"))
		png.Encode(out, f.Image)
		out.Close()
	}
}
