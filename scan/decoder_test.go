package scan

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing/common"
	qrcode "github.com/skip2/go-qrcode"
)

// generatedSetResult decodes frames and tallies read frames and wrong texts.
type generatedSetResult struct {
	frames, withCodes, read, wrong, falseOnEmpty int
	perCond                                      map[FrameCondition][2]int
	times                                        []time.Duration
	times640                                     []time.Duration
}

func decodeGeneratedSet(dec *Decoder, frames []GeneratedFrame) generatedSetResult {
	r := generatedSetResult{perCond: map[FrameCondition][2]int{}}
	for _, f := range frames {
		start := time.Now()
		codes := dec.Decode(f.Image)
		el := time.Since(start)
		r.times = append(r.times, el)
		if f.Image.Bounds().Dx() == 640 {
			r.times640 = append(r.times640, el)
		}
		s := scoreFrame(f, codes)
		r.frames++
		r.wrong += s.wrong
		pc := r.perCond[f.Condition]
		pc[0]++
		if s.truth == 0 {
			if len(codes) > 0 {
				r.falseOnEmpty++
			} else {
				pc[1]++
			}
		} else {
			r.withCodes++
			if s.found == s.truth {
				r.read++
				pc[1]++
			}
		}
		r.perCond[f.Condition] = pc
	}
	return r
}

func (r generatedSetResult) String() string {
	var parts []string
	for _, c := range append(AllConditions, CondDamaged) {
		if pc, ok := r.perCond[c]; ok {
			parts = append(parts, fmt.Sprintf("%s %d/%d", c, pc[1], pc[0]))
		}
	}
	return fmt.Sprintf("read %d/%d frames with codes (%.1f%%), wrong payloads %d, codes on empty frames %d; median %v p95 %v (640×480: median %v p95 %v)\n  %s",
		r.read, r.withCodes, 100*float64(r.read)/float64(r.withCodes), r.wrong, r.falseOnEmpty,
		quantile(r.times, 0.5), quantile(r.times, 0.95), quantile(r.times640, 0.5), quantile(r.times640, 0.95),
		strings.Join(parts, ", "))
}

// TestDecoderRegression guards the read rate on a small fixed generated set
// and the hard rule: no wrong payload, nothing read on empty frames.
func TestDecoderRegression(t *testing.T) {
	frames := GenerateFrames(FrameSetOptions{Seed: 7, PerCondition: 4})
	// No time budget: the outcome must not depend on machine load.
	r := decodeGeneratedSet(NewDecoder(DecoderOptions{Budget: -1}), frames)
	t.Log(r)
	if r.wrong != 0 || r.falseOnEmpty != 0 {
		t.Fatalf("wrong payloads: %d, codes on empty frames: %d", r.wrong, r.falseOnEmpty)
	}
	if rate := float64(r.read) / float64(r.withCodes); rate < regressionMinRate {
		t.Fatalf("read rate %.3f < %.3f", rate, regressionMinRate)
	}
}

// regressionMinRate is a few points under the measured rate on this set, so
// noise-free regressions of one or two frames fail the build.
const regressionMinRate = 0.95

func TestDecodeImageTypes(t *testing.T) {
	f := GenerateFrames(FrameSetOptions{Seed: 3, PerCondition: 1, Conditions: []FrameCondition{CondClean}})[0]
	g := toLuma(f.Image)
	gray := &image.Gray{Pix: g.pix, Stride: g.w, Rect: image.Rect(0, 0, g.w, g.h)}
	rgba := image.NewRGBA(gray.Rect)
	draw.Draw(rgba, rgba.Rect, gray, image.Point{}, draw.Src)
	nrgba := image.NewNRGBA(gray.Rect)
	draw.Draw(nrgba, nrgba.Rect, gray, image.Point{}, draw.Src)
	rgba64 := image.NewRGBA64(gray.Rect)
	draw.Draw(rgba64, rgba64.Rect, gray, image.Point{}, draw.Src)
	// A sub-image with a non-zero origin reports corners relative to its Min.
	big := image.NewGray(image.Rect(0, 0, g.w+100, g.h+50))
	draw.Draw(big, gray.Rect.Add(image.Pt(100, 50)), gray, image.Point{}, draw.Src)
	sub := big.SubImage(gray.Rect.Add(image.Pt(100, 50)))
	for name, img := range map[string]image.Image{"gray": gray, "ycbcr": grayToYCbCr(gray),
		"rgba": rgba, "nrgba": nrgba, "rgba64": rgba64, "subimage": sub} {
		codes := NewDecoder(DecoderOptions{}).Decode(img)
		if len(codes) != 1 || codes[0].Text != f.Truth[0].Text {
			t.Errorf("%s: got %d codes", name, len(codes))
			continue
		}
		if d := dist(codes[0].Corners.Center(), f.Truth[0].Corners.Center()); d > 3 {
			t.Errorf("%s: centre off by %.1f px", name, d)
		}
	}
}

// TestDecodeCorners checks that reported corners are the symbol's outer
// corners (not finder-pattern centres), within a module, in code order.
func TestDecodeCorners(t *testing.T) {
	frames := GenerateFrames(FrameSetOptions{Seed: 11, PerCondition: 4,
		Conditions: []FrameCondition{CondClean, CondRotation, CondPerspective}})
	checked := 0
	dec := NewDecoder(DecoderOptions{})
	for _, f := range frames {
		codes := dec.Decode(f.Image)
		if len(codes) != 1 {
			continue
		}
		truth := f.Truth[0].Corners
		q, _ := qrcode.New(f.Truth[0].Text, qrcode.Medium)
		module := truth.SideLength() / float64(len(q.Bitmap())-8)
		for i := range truth {
			if d := dist(codes[0].Corners[i], truth[i]); d > 1.5*module {
				t.Errorf("%s: corner %d off by %.1f px (module %.1f px)", f.Name, i, d, module)
			}
		}
		checked++
	}
	if checked < len(frames)*2/3 {
		t.Fatalf("only %d/%d frames decoded", checked, len(frames))
	}
}

func TestDecodeSeveralCodes(t *testing.T) {
	// Four codes on one page, as on a sheet of venue posters.
	page := image.NewGray(image.Rect(0, 0, 1280, 720))
	draw.Draw(page, page.Rect, &image.Uniform{color.Gray{200}}, image.Point{}, draw.Src)
	texts := []string{"QRW1:TEST-A", "QRW1:TEST-B", "001093029317|NGUYEN VAN A|1987-01-18|0|162979388586171100|", "https://tokhaiyte.vn/?page=Group.checkin&groupId=60f1a2b3c4d5e6f708192a3b"}
	for i, text := range texts {
		q, _ := qrcode.New(text, qrcode.Medium)
		img := q.Image(len(q.Bitmap()) * 5)
		at := image.Pt(60+(i%2)*640, 40+(i/2)*340)
		draw.Draw(page, img.Bounds().Add(at), img, image.Point{}, draw.Src)
	}
	codes := NewDecoder(DecoderOptions{Thorough: true, Budget: -1}).Decode(page)
	got := map[string]bool{}
	for _, c := range codes {
		got[c.Text] = true
	}
	for _, text := range texts {
		if !got[text] {
			t.Errorf("missing %q (got %d codes)", text, len(codes))
		}
	}
	if len(codes) != len(texts) {
		t.Errorf("got %d codes, want %d", len(codes), len(texts))
	}
}

func TestDecodeGarbageDoesNotPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	dec := NewDecoder(DecoderOptions{Thorough: true, Budget: -1})
	for _, size := range []image.Point{{0, 0}, {1, 1}, {20, 20}, {21, 300}, {300, 21}, {333, 257}} {
		img := image.NewGray(image.Rect(0, 0, size.X, size.Y))
		for i := range img.Pix {
			img.Pix[i] = uint8(rng.IntN(256))
		}
		if codes := dec.Decode(img); len(codes) != 0 {
			t.Errorf("%v: decoded noise as %q", size, codes[0].Text)
		}
	}
	// Stripes and checkerboards resemble finder patterns at many scales.
	img := image.NewGray(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			if (x/7+y/7)%2 == 0 || x%23 < 3 {
				img.Pix[y*640+x] = 255
			}
		}
	}
	if codes := dec.Decode(img); len(codes) != 0 {
		t.Errorf("decoded a pattern as %q", codes[0].Text)
	}
}

func TestTracker(t *testing.T) {
	frames := GenerateFrames(FrameSetOptions{Seed: 21, PerCondition: 1, Conditions: []FrameCondition{CondClean, CondEmpty}})
	withCode, empty := frames[0].Image, frames[1].Image
	text := frames[0].Truth[0].Text
	tr := NewTracker(NewDecoder(DecoderOptions{}), TrackerOptions{AbsentFrames: 3, AbsentGap: time.Hour})
	at := time.Unix(1_700_000_000, 0)
	step := func(img image.Image) []Code {
		at = at.Add(33 * time.Millisecond)
		return tr.Process(img, at)
	}
	if got := step(withCode); len(got) != 1 || got[0].Text != text {
		t.Fatalf("first sighting: %v", got)
	}
	for i := 0; i < 5; i++ {
		if got := step(withCode); len(got) != 0 {
			t.Fatalf("repeat %d reported again", i)
		}
	}
	if got := step(empty); len(got) != 0 || len(tr.Present()) != 1 {
		t.Fatalf("one missed frame must not end the presence")
	}
	if got := step(withCode); len(got) != 0 {
		t.Fatal("reported again after a single missed frame")
	}
	for i := 0; i < 3; i++ {
		step(empty)
	}
	if len(tr.Present()) != 0 {
		t.Fatal("presence did not end after AbsentFrames")
	}
	if got := step(withCode); len(got) != 1 {
		t.Fatal("a new presence must be reported")
	}

	// A time gap also ends a presence.
	at = at.Add(2 * time.Hour)
	if got := step(withCode); len(got) != 1 {
		t.Fatal("presence should end after AbsentGap")
	}
}

// TestTrackerSkipsFailedStrategies: on a static empty scene, the tracker
// runs only the first strategy plus one rotating retry per frame.
func TestTrackerSkipsFailedStrategies(t *testing.T) {
	empty := GenerateFrames(FrameSetOptions{Seed: 4, PerCondition: 1, Conditions: []FrameCondition{CondEmpty}})[0].Image
	dec := NewDecoder(DecoderOptions{Budget: -1})
	tr := NewTracker(dec, TrackerOptions{})
	at := time.Now()
	tr.Process(empty, at)
	luma := toLuma(empty)
	_, full := dec.decode(luma, nil)
	_, skipped := dec.decode(luma, tr.skipSet())
	if len(full.tried) != len(dec.strategies) {
		t.Fatalf("full decode tried %d strategies", len(full.tried))
	}
	if len(skipped.tried) != 2 {
		t.Fatalf("near-identical frame tried %v, want the first strategy and one retry", skipped.tried)
	}
	// A different scene clears the memory.
	other := GenerateFrames(FrameSetOptions{Seed: 99, PerCondition: 1, Conditions: []FrameCondition{CondEmpty}})[0].Image
	tr.Process(other, at.Add(time.Second))
	if len(tr.failures) != len(dec.strategies) {
		t.Fatalf("failures after a new scene: %d", len(tr.failures))
	}
}

// BenchmarkDecodeGenerated measures the camera decoder per 640×480 frame of
// the generated set. Run: go test -run X -bench DecodeGenerated -cpu 1 ./scan
func BenchmarkDecodeGenerated(b *testing.B) {
	frames := GenerateFrames(FrameSetOptions{Seed: 1, PerCondition: 20, Sizes: []image.Point{{640, 480}}})
	dec := NewDecoder(DecoderOptions{})
	var r generatedSetResult
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r = decodeGeneratedSet(dec, frames)
	}
	b.StopTimer()
	sort.Slice(r.times, func(i, j int) bool { return r.times[i] < r.times[j] })
	b.ReportMetric(float64(quantile(r.times, 0.5).Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(quantile(r.times, 0.95).Microseconds())/1000, "p95-ms")
	b.ReportMetric(100*float64(r.read)/float64(r.withCodes), "read-%")
	b.ReportMetric(float64(r.wrong+r.falseOnEmpty), "wrong")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(frames))/1e6, "mean-ms/frame")
	if os.Getenv("QRWARD_VERBOSE") != "" {
		b.Log(r)
	}
}

// TestNoMisreadsStress decodes many frames, including damaged codes at the
// limit of error correction, with the thorough photo ladder, and requires
// zero wrong payloads. Enable: QRWARD_STRESS=<frames per condition>.
func TestNoMisreadsStress(t *testing.T) {
	n := 0
	fmt.Sscan(os.Getenv("QRWARD_STRESS"), &n)
	if n == 0 {
		t.Skip("set QRWARD_STRESS=50 (frames per condition)")
	}
	conds := append(append([]FrameCondition(nil), AllConditions...), CondDamaged)
	frames := GenerateFrames(FrameSetOptions{Seed: 1234, PerCondition: n, Conditions: conds})
	for _, opts := range []DecoderOptions{{Budget: -1}, {Thorough: true, Budget: -1}} {
		r := decodeGeneratedSet(NewDecoder(opts), frames)
		t.Logf("thorough=%v: %v", opts.Thorough, r)
		if r.wrong != 0 || r.falseOnEmpty != 0 {
			t.Errorf("wrong payloads %d, codes on empty frames %d", r.wrong, r.falseOnEmpty)
		}
	}
}

func TestTrustworthy(t *testing.T) {
	res := func(text, level string, errors int) *common.DecoderResult {
		r := common.NewDecoderResult(nil, text, nil, level)
		r.SetErrorsCorrected(errors)
		return r
	}
	// version 1 (21 modules) at L has 7 EC codewords
	cases := []struct {
		r           *common.DecoderResult
		speculative bool
		want        bool
	}{
		{res("", "M", 0), false, false},
		{res("x", "L", 3), false, true},
		{res("x", "L", 1), true, true},
		{res("x", "L", 2), true, false},
		{res("x", "?", 0), true, false},
	}
	for i, c := range cases {
		if got := trustworthy(c.r, 21, c.speculative); got != c.want {
			t.Errorf("case %d: got %v", i, got)
		}
	}
}
