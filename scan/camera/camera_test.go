package camera

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"qrward/scan"
)

const personalCode = "001093029317|NGUYEN LE KHA HAN|1987-01-18|0|162979388586171100"

// recorder collects what a pipeline reports.
type recorder struct {
	mu       sync.Mutex
	frames   int
	codes    []Detection
	statuses []Status
}

func (r *recorder) options(p Provider, id string) Options {
	return Options{
		Provider: p, DeviceID: id, RetryEvery: 20 * time.Millisecond,
		OnFrame: func(Frame, []scan.Code) { r.mu.Lock(); r.frames++; r.mu.Unlock() },
		OnDetect: func(d Detection) {
			r.mu.Lock()
			r.codes = append(r.codes, d)
			r.mu.Unlock()
		},
		OnStatus: func(s Status, _ error) { r.mu.Lock(); r.statuses = append(r.statuses, s); r.mu.Unlock() },
	}
}

func (r *recorder) snapshot() (frames int, codes []Detection, statuses []Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.frames, append([]Detection(nil), r.codes...), append([]Status(nil), r.statuses...)
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func sequence(t testing.TB, scenes ...Scene) Sequence {
	t.Helper()
	seq, err := GenerateSequence(SequenceOptions{Seed: 7, Scenes: scenes})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

func replayOf(seq Sequence, fps float64, loop bool) *ReplayProvider {
	return NewReplayProvider(ReplayDevice{ID: "replay:test", Name: "test", FPS: fps, Loop: loop,
		Frames: func() ([]image.Image, error) { return seq.Frames, nil }})
}

func TestReplayedPersonalCodeIsDetectedOncePerPresence(t *testing.T) {
	seq := sequence(t, Scene{Frames: 10}, Scene{Text: personalCode, Frames: 30}, Scene{Frames: 10})
	var rec recorder
	p := Start(context.Background(), rec.options(replayOf(seq, 30, false), "replay:test"))
	p.Wait()
	frames, codes, statuses := rec.snapshot()
	if frames != 50 {
		t.Errorf("preview got %d frames, want all 50", frames)
	}
	if len(codes) != 1 || codes[0].Code.Text != personalCode {
		t.Fatalf("detections: %+v", codes)
	}
	// The outline lies on the code as drawn.
	box := seq.Boxes[seq.FirstFrameWith(personalCode)]
	c := codes[0].Code.Corners.Center()
	if !image.Pt(int(c.X), int(c.Y)).In(box.Inset(-8)) {
		t.Errorf("code centre %v outside drawn box %v", c, box)
	}
	if statuses[len(statuses)-1] != StatusEnded {
		t.Errorf("statuses %v, want to end with ended", statuses)
	}
	st := p.Stats()
	if st.Captured != 50 || st.Decoded+st.Dropped != st.Captured {
		t.Errorf("stats %+v: every frame is decoded or dropped", st)
	}
}

func TestDecoderTakesOnlyTheNewestFrameWhileBusy(t *testing.T) {
	// Unpaced replay: frames arrive far faster than any decoder.
	seq := sequence(t, Scene{Text: personalCode, Frames: 120})
	var rec recorder
	p := Start(context.Background(), rec.options(replayOf(seq, 0, false), "replay:test"))
	p.Wait()
	st := p.Stats()
	frames, codes, _ := rec.snapshot()
	if frames != 120 || st.Captured != 120 {
		t.Fatalf("preview frames %d, captured %d: the preview must see every frame", frames, st.Captured)
	}
	if st.Dropped == 0 || st.Decoded >= st.Captured {
		t.Errorf("stats %+v: a busy decoder must drop frames, not queue them", st)
	}
	if st.Decoded+st.Dropped != st.Captured {
		t.Errorf("stats %+v do not add up", st)
	}
	if len(codes) != 1 {
		t.Errorf("%d detections, want 1", len(codes))
	}
}

// pluggable is a provider whose one camera can be unplugged.
type pluggable struct {
	mu      sync.Mutex
	present bool
	frames  []image.Image
	opens   int
}

func (p *pluggable) set(v bool) { p.mu.Lock(); p.present = v; p.mu.Unlock() }

func (p *pluggable) Devices(context.Context) ([]Device, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.present {
		return nil, nil
	}
	return []Device{{ID: "usb-cam", Name: "USB cam", Kind: KindCamera}}, nil
}

func (p *pluggable) Open(_ context.Context, id string, _ Mode) (FrameSource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.present || id != "usb-cam" {
		return nil, ErrNoDevice
	}
	p.opens++
	return &pluggedSource{Replay: NewReplay(p.frames, 200, true), owner: p}, nil
}

type pluggedSource struct {
	*Replay
	owner *pluggable
}

func (s *pluggedSource) Next(ctx context.Context) (Frame, error) {
	s.owner.mu.Lock()
	ok := s.owner.present
	s.owner.mu.Unlock()
	if !ok {
		return Frame{}, ErrDisconnected
	}
	return s.Replay.Next(ctx)
}

func TestUnpluggedCameraIsReportedAndCaptureResumesWhenItReturns(t *testing.T) {
	seq := sequence(t, Scene{Frames: 5})
	cam := &pluggable{frames: seq.Frames}
	var rec recorder
	p := Start(context.Background(), rec.options(cam, "usb-cam"))
	defer p.Stop()
	// No camera at start: the pipeline says so and keeps looking.
	waitUntil(t, "no-device status", func() bool { return p.Status() == StatusNoDevice })
	cam.set(true)
	waitUntil(t, "live", func() bool { f, _, _ := rec.snapshot(); return p.Status() == StatusLive && f > 5 })
	cam.set(false)
	waitUntil(t, "lost", func() bool {
		_, _, st := rec.snapshot()
		for _, s := range st {
			if s == StatusLost {
				return true
			}
		}
		return false
	})
	before, _, _ := rec.snapshot()
	cam.set(true)
	waitUntil(t, "frames again", func() bool { f, _, _ := rec.snapshot(); return f > before+5 })
	if p.Status() != StatusLive {
		t.Errorf("status %v after replug", p.Status())
	}
	if cam.opens != 2 {
		t.Errorf("camera opened %d times, want 2", cam.opens)
	}
}

func TestSyntheticPionCameraGoesThroughTheDriverPath(t *testing.T) {
	if !PionAvailable {
		t.Skip("this build has no pion driver")
	}
	seq := sequence(t, Scene{Frames: 3}, Scene{Text: personalCode, Frames: 20})
	var frames []*image.YCbCr
	for _, f := range seq.Frames {
		frames = append(frames, f.(*image.YCbCr))
	}
	const label = "qrward-synthetic-test"
	RegisterSynthetic(label, "Camera giả lập", frames, 60)
	pv := NewPionProvider()
	devs, err := pv.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var found *Device
	for i := range devs {
		if devs[i].ID == label {
			found = &devs[i]
		}
	}
	if found == nil || found.Name != "Camera giả lập" || len(found.Modes) == 0 || found.Modes[0].Width != 640 {
		t.Fatalf("devices %+v", devs)
	}
	var rec recorder
	p := Start(context.Background(), rec.options(pv, label))
	defer p.Stop()
	waitUntil(t, "a detection", func() bool { _, c, _ := rec.snapshot(); return len(c) > 0 })
	if _, c, _ := rec.snapshot(); c[0].Code.Text != personalCode {
		t.Fatalf("read %q", c[0].Code.Text)
	}
	SetSyntheticPresent(label, false)
	waitUntil(t, "lost or gone", func() bool { s := p.Status(); return s == StatusLost || s == StatusNoDevice })
	before, _, _ := rec.snapshot()
	SetSyntheticPresent(label, true)
	waitUntil(t, "frames again", func() bool { f, _, _ := rec.snapshot(); return f > before+3 })
}

func TestModesAreOrderedForQRScanning(t *testing.T) {
	got := SortModes([]Mode{{1920, 1080, 30}, {640, 480, 15}, {320, 240, 30}, {640, 480, 30}, {640, 480, 30}, {1280, 720, 30}})
	want := []Mode{{640, 480, 30}, {640, 480, 15}, {320, 240, 30}, {1280, 720, 30}, {1920, 1080, 30}}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if m := ChooseMode(got, Mode{1280, 720, 25}); m != (Mode{1280, 720, 30}) {
		t.Errorf("choose 1280×720: %v", m)
	}
	if m := ChooseMode(got, Mode{}); m != (Mode{640, 480, 30}) {
		t.Errorf("default: %v", m)
	}
	if m := ChooseMode([]Mode{{1280, 720, 30}}, Mode{800, 600, 0}); m != (Mode{1280, 720, 30}) {
		t.Errorf("unavailable size falls back to offered: %v", m)
	}
}

func TestFolderReplayPlaysImagesInNameOrderAndNamesABadFile(t *testing.T) {
	dir := t.TempDir()
	for i, shade := range []uint8{30, 200} {
		img := image.NewGray(image.Rect(0, 0, 40, 30))
		for j := range img.Pix {
			img.Pix[j] = shade
		}
		f, _ := os.Create(filepath.Join(dir, []string{"b.png", "a.png"}[i]))
		png.Encode(f, img)
		f.Close()
	}
	frames, err := LoadFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := NewReplay(frames, 0, false)
	f1, _ := r.Next(context.Background())
	if g := color.GrayModel.Convert(f1.Image.At(0, 0)).(color.Gray).Y; g != 200 {
		t.Errorf("first frame shade %d, want a.png (200)", g)
	}
	r.Next(context.Background())
	if _, err := r.Next(context.Background()); !errors.Is(err, ErrEnded) {
		t.Errorf("after the last frame: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "c.jpg"), []byte("not a jpeg"), 0o600)
	if _, err := LoadFolder(dir); err == nil || !strings.Contains(err.Error(), "c.jpg") {
		t.Errorf("bad file error: %v", err)
	}
}

func TestReplayKeepsItsFrameRate(t *testing.T) {
	seq := sequence(t, Scene{Frames: 16})
	r := NewReplay(seq.Frames, 40, false)
	start := time.Now()
	for range 16 {
		if _, err := r.Next(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// 16 frames at 40 fps: 15 periods of 25 ms after the first.
	if el := time.Since(start); el < 350*time.Millisecond {
		t.Errorf("16 frames at 40 fps took %v", el)
	}
}
