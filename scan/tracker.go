package scan

import (
	"image"
	"time"
)

// TrackerOptions tune a Tracker. Zero values take the defaults.
type TrackerOptions struct {
	// AbsentFrames ends a code's presence after this many consecutive
	// decoded frames without it (default 15, half a second at 30 fps).
	AbsentFrames int
	// AbsentGap ends a presence when the code was last seen longer ago than
	// this (default 2 s), whatever the frame rate.
	AbsentGap time.Duration
	// SimilarityThreshold is the mean absolute difference (grey levels) of
	// two 32×24 thumbnails under which frames count as near-identical
	// (default 4).
	SimilarityThreshold float64
}

// Tracker decodes a stream of frames and reports each code once per
// presence: a visitor holding a phone in front of the camera for three
// seconds is one check-in, not ninety. It also remembers which decode
// strategies failed on a scene and does not repeat them on near-identical
// frames (it retries one of them per frame, round robin, so sensor noise
// still gets its chance). Not safe for concurrent use.
type Tracker struct {
	dec       *Decoder
	opts      TrackerOptions
	frame     int
	present   map[string]*presence
	lastThumb []byte
	failures  map[int]bool
	retry     int
}

type presence struct {
	code      Code
	firstSeen time.Time
	lastSeen  time.Time
	lastFrame int
}

// NewTracker wraps a decoder (use NewDecoder(DecoderOptions{}) for live
// camera frames).
func NewTracker(dec *Decoder, opts TrackerOptions) *Tracker {
	if opts.AbsentFrames <= 0 {
		opts.AbsentFrames = 15
	}
	if opts.AbsentGap <= 0 {
		opts.AbsentGap = 2 * time.Second
	}
	if opts.SimilarityThreshold <= 0 {
		opts.SimilarityThreshold = 4
	}
	return &Tracker{dec: dec, opts: opts, present: map[string]*presence{}, failures: map[int]bool{}}
}

// Process decodes one frame captured at time at and returns the codes that
// newly appeared (not already reported during their current presence).
func (t *Tracker) Process(img image.Image, at time.Time) []Code {
	t.frame++
	for text, p := range t.present {
		if at.Sub(p.lastSeen) > t.opts.AbsentGap {
			delete(t.present, text)
		}
	}
	luma := toLuma(img)
	thumb := luma.resize(min(32, luma.w), min(24, luma.h)).pix
	similar := t.lastThumb != nil && len(thumb) == len(t.lastThumb) &&
		meanAbsDiff(thumb, t.lastThumb) < t.opts.SimilarityThreshold
	t.lastThumb = thumb
	if !similar {
		clear(t.failures)
	}
	skip := t.skipSet()
	codes, rep := t.dec.decode(luma, skip)
	for _, i := range rep.failed {
		t.failures[i] = true
	}
	for _, i := range rep.tried {
		if !containsInt(rep.failed, i) {
			delete(t.failures, i)
		}
	}

	var fresh []Code
	for _, c := range codes {
		if p, ok := t.present[c.Text]; ok {
			p.code, p.lastSeen, p.lastFrame = c, at, t.frame
			continue
		}
		t.present[c.Text] = &presence{code: c, firstSeen: at, lastSeen: at, lastFrame: t.frame}
		fresh = append(fresh, c)
	}
	for text, p := range t.present {
		if t.frame-p.lastFrame >= t.opts.AbsentFrames {
			delete(t.present, text)
		}
	}
	return fresh
}

// skipSet lists the strategies that failed on this scene, minus the first
// (cheapest) strategy and one rotating retry.
func (t *Tracker) skipSet() map[int]bool {
	if len(t.failures) == 0 {
		return nil
	}
	skip := make(map[int]bool, len(t.failures))
	for i := range t.failures {
		if i != 0 {
			skip[i] = true
		}
	}
	n := len(t.dec.strategies)
	for k := 0; k < n; k++ {
		t.retry = (t.retry + 1) % n
		if skip[t.retry] {
			delete(skip, t.retry)
			break
		}
	}
	return skip
}

// Present returns the codes currently considered in view.
func (t *Tracker) Present() []Code {
	out := make([]Code, 0, len(t.present))
	for _, p := range t.present {
		out = append(out, p.code)
	}
	SortCodes(out)
	return out
}

// Reset forgets all presences (e.g. when the camera is switched).
func (t *Tracker) Reset() {
	clear(t.present)
	clear(t.failures)
	t.lastThumb = nil
}

func meanAbsDiff(a, b []byte) float64 {
	s := 0
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < 0 {
			d = -d
		}
		s += d
	}
	return float64(s) / float64(len(a))
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
