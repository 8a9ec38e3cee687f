package scan

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReferenceDecoders runs qrward's decoder, zbarimg (zbar-tools) and
// ZXingReader (zxing-cpp-tools) over the same images in one run, so the
// comparison in docs/perf/scan.md is a ratio measured on one machine at one
// time. Enable with QRWARD_REFERENCE=1 (generated set) and QRWARD_QRDEV=1
// (real photos); see scan/testdata/run_reference.sh.
//
// Times for the external tools include process start-up and image file
// decoding (they are run once per image); qrward's times exclude file
// decoding. zbarimg reports no positions, so its qr-dev credit per photo is
// min(codes decoded, codes labelled), an upper bound of the same rule.
func TestReferenceDecoders(t *testing.T) {
	if os.Getenv("QRWARD_REFERENCE") == "" {
		t.Skip("set QRWARD_REFERENCE=1")
	}
	for _, tool := range []string{"zbarimg", "ZXingReader"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	var out strings.Builder

	// Generated set, written to PNG for the external tools.
	frames := GenerateFrames(FrameSetOptions{Seed: 1, PerCondition: 20})
	dir := t.TempDir()
	for _, f := range frames {
		var buf bytes.Buffer
		if err := png.Encode(&buf, f.Image); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name+".png"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type tally struct {
		read, withCodes, wrong int
		perCond                map[FrameCondition][2]int
		times                  []time.Duration
	}
	readers := []struct {
		name string
		run  func(path string, f GeneratedFrame) ([]Code, time.Duration)
	}{
		{"qrward", func(_ string, f GeneratedFrame) ([]Code, time.Duration) {
			start := time.Now()
			c := NewDecoder(DecoderOptions{}).Decode(f.Image)
			return c, time.Since(start)
		}},
		{"zbarimg", func(p string, _ GeneratedFrame) ([]Code, time.Duration) { return runZbar(p) }},
		{"ZXingReader", func(p string, _ GeneratedFrame) ([]Code, time.Duration) { return runZXing(p) }},
	}
	fmt.Fprintf(&out, "\n### Generated set (seed 1, %d frames)\n\n| reader | frames read | wrong | median | p95 |", len(frames))
	for _, c := range AllConditions {
		fmt.Fprintf(&out, " %s |", c)
	}
	out.WriteString("\n|---|---|---|---|---|" + strings.Repeat("---|", len(AllConditions)) + "\n")
	for _, r := range readers {
		tl := tally{perCond: map[FrameCondition][2]int{}}
		for _, f := range frames {
			codes, el := r.run(filepath.Join(dir, f.Name+".png"), f)
			tl.times = append(tl.times, el)
			s := scoreFrame(f, textOnly(codes, f))
			pc := tl.perCond[f.Condition]
			pc[0]++
			tl.wrong += s.wrong
			if s.truth == 0 {
				if len(codes) == 0 {
					pc[1]++
				}
			} else {
				tl.withCodes++
				if s.found == s.truth {
					tl.read++
					pc[1]++
				}
			}
			tl.perCond[f.Condition] = pc
		}
		fmt.Fprintf(&out, "| %s | %d/%d (%.1f%%) | %d | %v | %v |", r.name, tl.read, tl.withCodes,
			100*float64(tl.read)/float64(tl.withCodes), tl.wrong, quantile(tl.times, 0.5).Round(10*time.Microsecond),
			quantile(tl.times, 0.95).Round(10*time.Microsecond))
		for _, c := range AllConditions {
			pc := tl.perCond[c]
			fmt.Fprintf(&out, " %d/%d |", pc[1], pc[0])
		}
		out.WriteString("\n")
	}

	if os.Getenv("QRWARD_QRDEV") != "" {
		fmt.Fprintf(&out, "\n### qr-dev (%s)\n\n", qrDevDir())
		reports := map[string]*BenchReport{}
		names := []string{"qrward", "zbarimg", "ZXingReader"}
		for _, name := range names {
			opts := BenchOptions{}
			switch name {
			case "zbarimg":
				opts.Decode = zbarBench
			case "ZXingReader":
				opts.Decode = func(p string, _ image.Image) ([]Code, error) { c, _ := runZXing(p); return c, nil }
			}
			rep, err := RunBench(qrDevDir(), opts)
			if err != nil {
				t.Fatal(err)
			}
			reports[name] = rep
		}
		out.WriteString("| category | labels |")
		for _, n := range names {
			fmt.Fprintf(&out, " %s |", n)
		}
		out.WriteString("\n|---|---|---|---|---|\n")
		for i, c := range reports["qrward"].Categories {
			fmt.Fprintf(&out, "| %s | %d |", c.Category, c.Labels)
			for _, n := range names {
				rc := reports[n].Categories[i]
				fmt.Fprintf(&out, " %.1f%% |", 100*rc.Rate)
			}
			out.WriteString("\n")
		}
		out.WriteString("| **mean of categories** | |")
		for _, n := range names {
			fmt.Fprintf(&out, " **%.1f%%** |", 100*reports[n].MeanCategoryRate)
		}
		out.WriteString("\n| photos with ≥ 1 code read | |")
		for _, n := range names {
			k := 0
			for _, im := range reports[n].Images {
				if im.Detected > 0 {
					k++
				}
			}
			fmt.Fprintf(&out, " %d/%d |", k, len(reports[n].Images))
		}
		out.WriteString("\n| false detections | |")
		for _, n := range names {
			k := 0
			for _, c := range reports[n].Categories {
				k += c.FalseDetections
			}
			fmt.Fprintf(&out, " %d |", k)
		}
		out.WriteString("\n| median / p95 time per photo | |")
		for _, n := range names {
			fmt.Fprintf(&out, " %v / %v |", reports[n].MedianTime.Round(100*time.Microsecond), reports[n].P95Time.Round(100*time.Microsecond))
		}
		out.WriteString("\n")
	}
	t.Log(out.String())
	if p := os.Getenv("QRWARD_REFERENCE_OUT"); p != "" {
		if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// textOnly gives codes without positions (zbar) the position of the
// truth code with the same text, so scoreFrame compares texts only.
func textOnly(codes []Code, f GeneratedFrame) []Code {
	out := make([]Code, len(codes))
	for i, c := range codes {
		out[i] = c
		if c.Corners == (Quad{}) {
			for _, tr := range f.Truth {
				if tr.Text == c.Text {
					out[i].Corners = tr.Corners
				}
			}
		}
	}
	return out
}

var zbarData = regexp.MustCompile(`(?s)<data><!\[CDATA\[(.*?)\]\]></data>`)

func runZbar(path string) ([]Code, time.Duration) {
	start := time.Now()
	out, _ := exec.Command("zbarimg", "-q", "--xml", "-Sdisable", "-Sqrcode.enable", path).Output()
	el := time.Since(start)
	var codes []Code
	for _, m := range zbarData.FindAllSubmatch(out, -1) {
		codes = append(codes, Code{Text: string(m[1])})
	}
	return codes, el
}

// zbarBench credits min(decoded, labelled) codes by giving each decoded
// code the centre of a distinct label (zbarimg reports no position).
func zbarBench(path string, _ image.Image) ([]Code, error) {
	codes, _ := runZbar(path)
	labels, err := ReadBoofCVLabels(strings.TrimSuffix(path, filepath.Ext(path)) + ".txt")
	if err != nil {
		return codes, nil
	}
	for i := range codes {
		if i < len(labels) {
			c := polygonCentroid(labels[i])
			codes[i].Corners = Quad{c, c, c, c}
		} else {
			codes[i].Corners = Quad{{-1e6, -1e6}, {-1e6, -1e6}, {-1e6, -1e6}, {-1e6, -1e6}}
		}
	}
	return codes, nil
}

var zxingPos = regexp.MustCompile(`(-?\d+)x(-?\d+)`)

func runZXing(path string) ([]Code, time.Duration) {
	start := time.Now()
	out, _ := exec.Command("ZXingReader", "-format", "QRCode", path).Output()
	el := time.Since(start)
	var codes []Code
	var cur *Code
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "Text:"):
			text := strings.TrimSpace(strings.TrimPrefix(line, "Text:"))
			if uq, err := strconv.Unquote(text); err == nil {
				text = uq
			} else {
				text = strings.TrimSuffix(strings.TrimPrefix(text, `"`), `"`)
			}
			codes = append(codes, Code{Text: text})
			cur = &codes[len(codes)-1]
		case strings.HasPrefix(line, "Position:") && cur != nil:
			ms := zxingPos.FindAllStringSubmatch(line, -1)
			for i := 0; i < 4 && i < len(ms); i++ {
				x, _ := strconv.ParseFloat(ms[i][1], 64)
				y, _ := strconv.ParseFloat(ms[i][2], 64)
				cur.Corners[i] = Point{x, y}
			}
		}
	}
	return codes, el
}
