package scan

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// qrDevDir is the real-photo benchmark (see /work/shared/qr-dev/README.md).
func qrDevDir() string {
	if d := os.Getenv("QRWARD_QRDEV_DIR"); d != "" {
		return d
	}
	return "/work/shared/qr-dev"
}

// frameScore compares decoded codes with the truth of a generated frame.
type frameScore struct {
	found, truth, wrong int
}

func scoreFrame(f GeneratedFrame, codes []Code) frameScore {
	s := frameScore{truth: len(f.Truth)}
	matched := make([]bool, len(f.Truth))
	for _, c := range codes {
		ok := false
		for i, t := range f.Truth {
			if !matched[i] && c.Text == t.Text && t.Corners.Contains(c.Corners.Center()) {
				matched[i], ok = true, true
				s.found++
				break
			}
		}
		if !ok {
			s.wrong++
		}
	}
	return s
}

// plainGozxing is the baseline: gozxing's QRCodeReader with the
// HybridBinarizer on the generic image path, as its README shows.
func plainGozxing(img image.Image) []Code {
	defer func() { _ = recover() }()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return nil
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return nil
	}
	pts := res.GetResultPoints()
	var q Quad
	for i := 0; i < 4; i++ {
		p := pts[i%len(pts)]
		if i == 3 && len(pts) == 3 {
			// no alignment pattern: make up the fourth point
			p = gozxing.NewResultPoint(pts[0].GetX()+pts[2].GetX()-pts[1].GetX(), pts[0].GetY()+pts[2].GetY()-pts[1].GetY())
		}
		q[i] = Point{p.GetX(), p.GetY()}
	}
	return []Code{{Text: res.GetText(), Corners: q}}
}

type qrDevImage struct {
	cat, file string
	luma      lumaPlane
	img       image.Image
	labels    [][]Point
}

var qrDevCache struct {
	once   sync.Once
	images []qrDevImage
}

func loadQRDev(t testing.TB, keepImage bool) []qrDevImage {
	qrDevCache.once.Do(func() {
		files, err := benchFiles(qrDevDir())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range files {
			img, err := loadImage(p)
			if err != nil {
				t.Fatal(err)
			}
			labels, err := ReadBoofCVLabels(strings.TrimSuffix(p, filepath.Ext(p)) + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(qrDevDir(), p)
			qi := qrDevImage{cat: filepath.Dir(rel), file: filepath.Base(p), luma: toLuma(img), labels: labels}
			if keepImage {
				qi.img = img
			}
			qrDevCache.images = append(qrDevCache.images, qi)
		}
	})
	return qrDevCache.images
}

// TestEvalBaseline measures plain gozxing and the current decoder on the
// generated set and on qr-dev. Run with QRWARD_EVAL=1.
func TestEvalBaseline(t *testing.T) {
	if os.Getenv("QRWARD_EVAL") == "" {
		t.Skip("set QRWARD_EVAL=1")
	}
	frames := GenerateFrames(FrameSetOptions{Seed: 1, PerCondition: 20})
	for _, which := range []string{"plain", "camera"} {
		dec := NewDecoder(DecoderOptions{})
		perCond := map[FrameCondition]*[3]int{}
		var times []time.Duration
		wrong := 0
		for _, f := range frames {
			start := time.Now()
			var codes []Code
			if which == "plain" {
				codes = plainGozxing(f.Image)
			} else {
				codes = dec.Decode(f.Image)
			}
			times = append(times, time.Since(start))
			s := scoreFrame(f, codes)
			if perCond[f.Condition] == nil {
				perCond[f.Condition] = &[3]int{}
			}
			pc := perCond[f.Condition]
			pc[0]++
			if s.truth == 0 && len(codes) == 0 || s.truth > 0 && s.found == s.truth {
				pc[1]++
			}
			pc[2] += s.wrong
			wrong += s.wrong
		}
		var line []string
		total, ok := 0, 0
		for _, c := range AllConditions {
			pc := perCond[c]
			line = append(line, fmt.Sprintf("%s=%d/%d", c, pc[1], pc[0]))
			total += pc[0]
			ok += pc[1]
		}
		t.Logf("%s generated: %d/%d read (%.1f%%), wrong=%d, median %v p95 %v\n  %s", which, ok, total,
			100*float64(ok)/float64(total), wrong, quantile(times, 0.5), quantile(times, 0.95), strings.Join(line, " "))
	}
	if os.Getenv("QRWARD_QRDEV") == "" {
		return
	}
	imgs := loadQRDev(t, true)
	for _, which := range []string{"plain", "photo"} {
		dec := NewDecoder(DefaultPhotoOptions())
		cats := map[string]*[2]int{}
		var times []time.Duration
		falseDet := 0
		for _, im := range imgs {
			start := time.Now()
			var codes []Code
			if which == "plain" {
				codes = plainGozxing(im.img)
			} else {
				codes, _ = dec.decode(im.luma, nil)
			}
			times = append(times, time.Since(start))
			det, fd := ScoreDetections(im.labels, codes)
			falseDet += fd
			if cats[im.cat] == nil {
				cats[im.cat] = &[2]int{}
			}
			cats[im.cat][0] += len(im.labels)
			cats[im.cat][1] += det
		}
		t.Logf("%s qr-dev: %s false=%d median %v p95 %v", which, catSummary(cats), falseDet,
			quantile(times, 0.5), quantile(times, 0.95))
	}
}

func catSummary(cats map[string]*[2]int) string {
	names := make([]string, 0, len(cats))
	for n := range cats {
		names = append(names, n)
	}
	sort.Strings(names)
	sum := 0.0
	var parts []string
	for _, n := range names {
		r := float64(cats[n][1]) / float64(cats[n][0])
		sum += r
		parts = append(parts, fmt.Sprintf("%s=%.0f%%", n, 100*r))
	}
	return fmt.Sprintf("mean %.1f%% [%s]", 100*sum/float64(len(names)), strings.Join(parts, " "))
}
