package scan

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// TestRunBenchFolder builds a tiny labelled folder (two categories, both
// label forms) and checks decoding and scoring end to end.
func TestRunBenchFolder(t *testing.T) {
	dir := t.TempDir()
	frames := GenerateFrames(FrameSetOptions{Seed: 2, PerCondition: 2, Sizes: nil,
		Conditions: []FrameCondition{CondClean, CondEmpty}})
	for i, f := range frames {
		cat := filepath.Join(dir, string(f.Condition))
		if err := os.MkdirAll(cat, 0o755); err != nil {
			t.Fatal(err)
		}
		base := filepath.Join(cat, fmt.Sprintf("image%03d", i))
		out, _ := os.Create(base + ".png")
		if err := png.Encode(out, f.Image); err != nil {
			t.Fatal(err)
		}
		out.Close()
		var b strings.Builder
		b.WriteString("# list of hand selected 2D points\n")
		if i%2 == 0 {
			b.WriteString("SETS\n")
		}
		for _, tr := range f.Truth {
			for k, p := range tr.Corners {
				if i%2 == 0 {
					fmt.Fprintf(&b, "%f %f", p.X, p.Y)
					if k < 3 {
						b.WriteString(" ")
					}
				} else {
					fmt.Fprintf(&b, "%f %f\n", p.X, p.Y)
				}
			}
			if i%2 == 0 {
				b.WriteString("\n")
			}
		}
		if err := os.WriteFile(base+".txt", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := RunBench(dir, BenchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Images) != 4 || len(rep.Categories) != 2 {
		t.Fatalf("images %d categories %d", len(rep.Images), len(rep.Categories))
	}
	for _, c := range rep.Categories {
		switch c.Category {
		case "clean":
			if c.Labels != 2 || c.Detected != 2 || c.Rate != 1 || c.FalseDetections != 0 {
				t.Errorf("clean: %+v", c)
			}
		case "empty":
			if c.Labels != 0 || c.ImagesWithRead != 0 {
				t.Errorf("empty: %+v", c)
			}
		}
	}
	if rep.MeanCategoryRate != 1 { // only labelled categories count
		t.Errorf("mean %v", rep.MeanCategoryRate)
	}
	if _, err := json.Marshal(rep); err != nil {
		t.Fatal(err)
	}
}

func TestScoreDetections(t *testing.T) {
	square := func(x, y, s float64) []Point { return []Point{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}} }
	labels := [][]Point{square(0, 0, 100), square(200, 0, 100)}
	at := func(x, y float64) Code { p := Point{x, y}; return Code{Corners: Quad{p, p, p, p}} }
	// centre just outside the polygon but inside the 10% enlargement
	det, fd := ScoreDetections(labels, []Code{at(50, 50), at(50, 52), at(196, 50), at(500, 500)})
	if det != 2 || fd != 1 {
		t.Errorf("detected %d false %d", det, fd)
	}
}

func TestReadBoofCVLabelsMergesRepeats(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.txt")
	os.WriteFile(p, []byte("# c\nSETS\n1 2 3 4 5 6 7 8\n1 2 3 4 5 6 7 8\n"), 0o644)
	l, err := ReadBoofCVLabels(p)
	if err != nil || len(l) != 1 {
		t.Fatalf("%v %v", l, err)
	}
}

func TestDecodeFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "code.png")
	if err := qrcode.WriteFile("QRW1:HELLO", qrcode.Medium, 256, p); err != nil {
		t.Fatal(err)
	}
	codes, _, err := DecodeFile(p)
	if err != nil || len(codes) != 1 || codes[0].Text != "QRW1:HELLO" {
		t.Fatalf("%v %v", codes, err)
	}
}

// TestQRDevBench runs the real-photo benchmark. Enable: QRWARD_QRDEV=1.
func TestQRDevBench(t *testing.T) {
	if os.Getenv("QRWARD_QRDEV") == "" {
		t.Skip("set QRWARD_QRDEV=1")
	}
	rep, err := RunBench(qrDevDir(), BenchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range rep.Categories {
		fmt.Fprintf(&b, "\n  %-14s %3d/%3d %5.1f%%  photos read %2d/%2d  false %d  median %v p95 %v", c.Category,
			c.Detected, c.Labels, 100*c.Rate, c.ImagesWithRead, c.Images, c.FalseDetections, c.MedianTime, c.P95Time)
	}
	t.Logf("mean of categories %.1f%%, median %v p95 %v%s", 100*rep.MeanCategoryRate, rep.MedianTime, rep.P95Time, b.String())
}
