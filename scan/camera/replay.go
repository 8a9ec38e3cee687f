package camera

import (
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // replay folders hold camera stills
	_ "image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Replay plays a fixed list of images as a camera would: one frame per
// period at its frame rate (as fast as asked when FPS is 0), optionally
// looping. It is used by tests, by demos and by the Xvfb screenshot.
type Replay struct {
	mu     sync.Mutex
	frames []image.Image
	period time.Duration
	loop   bool
	i      int
	seq    uint64
	next   time.Time
	closed bool
	// now is the clock (tests of pacing could replace it).
	now func() time.Time
}

// NewReplay returns a source playing frames at fps (0 = no pacing).
func NewReplay(frames []image.Image, fps float64, loop bool) *Replay {
	r := &Replay{frames: frames, loop: loop, now: time.Now}
	if fps > 0 {
		r.period = time.Duration(float64(time.Second) / fps)
	}
	return r
}

// Next waits for the frame's slot and returns it.
func (r *Replay) Next(ctx context.Context) (Frame, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return Frame{}, ErrClosed
	}
	if r.i >= len(r.frames) {
		if !r.loop || len(r.frames) == 0 {
			r.mu.Unlock()
			return Frame{}, ErrEnded
		}
		r.i = 0
	}
	img := r.frames[r.i]
	r.i++
	r.seq++
	seq := r.seq
	wait := time.Duration(0)
	if r.period > 0 {
		now := r.now()
		if r.next.IsZero() || now.Sub(r.next) > r.period {
			// First frame, or the reader fell behind: restart the cadence
			// rather than bursting to catch up, as a camera would.
			r.next = now
		}
		wait = r.next.Sub(now)
		r.next = r.next.Add(r.period)
	}
	r.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return Frame{}, ctx.Err()
		case <-t.C:
		}
	} else if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	return Frame{Image: img, At: r.now(), Seq: seq}, nil
}

// Mode is the size of the first frame at the replay's rate.
func (r *Replay) Mode() Mode {
	m := Mode{}
	if len(r.frames) > 0 {
		b := r.frames[0].Bounds()
		m.Width, m.Height = b.Dx(), b.Dy()
	}
	if r.period > 0 {
		m.FPS = float64(time.Second) / float64(r.period)
	}
	return m
}

// Close stops the replay; Next then returns ErrClosed.
func (r *Replay) Close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	return nil
}

// LoadFolder decodes every PNG and JPEG image of dir, in file-name order,
// for a replay. A file that does not decode is an error naming it, so a
// demo folder with a stray file fails loudly instead of playing short.
func LoadFolder(dir string) ([]image.Image, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".png", ".jpg", ".jpeg":
			if !e.IsDir() {
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no PNG or JPEG images", dir)
	}
	out := make([]image.Image, 0, len(names))
	for _, n := range names {
		img, err := loadImage(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		out = append(out, img)
	}
	return out, nil
}

func loadImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return img, nil
}

// ReplayDevice is one entry of a ReplayProvider.
type ReplayDevice struct {
	ID, Name string
	FPS      float64
	Loop     bool
	// Frames loads the images when the device is opened (lazily, so listing
	// devices stays cheap).
	Frames func() ([]image.Image, error)
}

// ReplayProvider offers replay devices beside (or instead of) cameras.
type ReplayProvider struct {
	mu      sync.Mutex
	devices []ReplayDevice
	cache   map[string][]image.Image
}

// NewReplayProvider returns a provider of the given replay devices.
func NewReplayProvider(devices ...ReplayDevice) *ReplayProvider {
	return &ReplayProvider{devices: devices, cache: map[string][]image.Image{}}
}

// Add appends a replay device.
func (p *ReplayProvider) Add(d ReplayDevice) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.devices = append(p.devices, d)
}

// Devices lists the replay devices. Their single mode is filled in once a
// device has been opened (its frame size is known only then).
func (p *ReplayProvider) Devices(context.Context) ([]Device, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Device, 0, len(p.devices))
	for _, d := range p.devices {
		dev := Device{ID: d.ID, Name: d.Name, Kind: KindReplay}
		if frames := p.cache[d.ID]; len(frames) > 0 {
			b := frames[0].Bounds()
			dev.Modes = []Mode{{Width: b.Dx(), Height: b.Dy(), FPS: d.FPS}}
		}
		out = append(out, dev)
	}
	return out, nil
}

// Open starts a replay of the device; the mode is ignored (a replay has
// the size of its images).
func (p *ReplayProvider) Open(_ context.Context, id string, _ Mode) (FrameSource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.devices {
		if d.ID != id {
			continue
		}
		frames, ok := p.cache[id]
		if !ok {
			var err error
			if frames, err = d.Frames(); err != nil {
				return nil, err
			}
			p.cache[id] = frames
		}
		return NewReplay(frames, d.FPS, d.Loop), nil
	}
	return nil, fmt.Errorf("%w: %s", ErrNoDevice, id)
}
