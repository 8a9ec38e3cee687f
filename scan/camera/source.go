package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sort"
	"time"
)

// Frame is one captured picture.
type Frame struct {
	// Image is *image.YCbCr (cameras) or *image.Gray / *image.RGBA
	// (replayed files). Receivers may keep it but must not modify it:
	// cameras hand out a fresh image per frame, replays share theirs.
	Image image.Image
	// At is when the frame was captured.
	At time.Time
	// Seq counts frames from 1 since the source was opened.
	Seq uint64
}

// Mode is a capture resolution and frame rate.
type Mode struct {
	Width, Height int
	// FPS is the nominal frame rate; 0 when the device does not say.
	FPS float64
}

// String is "640×480 @ 30 fps" (or without the rate when unknown).
func (m Mode) String() string {
	if m.FPS > 0 {
		return fmt.Sprintf("%d×%d @ %g fps", m.Width, m.Height, m.FPS)
	}
	return fmt.Sprintf("%d×%d", m.Width, m.Height)
}

// IsZero reports an unset mode ("let the source choose").
func (m Mode) IsZero() bool { return m.Width == 0 && m.Height == 0 }

// Device kinds.
const (
	KindCamera = "camera" // a real capture device
	KindReplay = "replay" // a replayed folder or generated sequence
)

// Device describes something frames can be captured from.
type Device struct {
	// ID is stable across runs and reconnections (the OS device label), so
	// a remembered choice finds the same camera again after a reboot or a
	// replug.
	ID string
	// Name is what the user sees (the OS's friendly name when it has one).
	Name string
	// Kind is KindCamera or KindReplay.
	Kind string
	// Modes the device offers, best first for QR scanning (see SortModes).
	Modes []Mode
}

// FrameSource delivers frames from one opened device.
type FrameSource interface {
	// Next blocks until the next frame, the context is done, or the device
	// fails. A device that went away returns an error wrapping
	// ErrDisconnected; a finished replay returns ErrEnded.
	Next(ctx context.Context) (Frame, error)
	// Mode is the mode actually in use.
	Mode() Mode
	// Close releases the device. It is safe to call more than once.
	Close() error
}

// Provider lists devices and opens them.
type Provider interface {
	// Devices lists the devices present now (re-enumerated on every call,
	// so a newly plugged camera appears).
	Devices(ctx context.Context) ([]Device, error)
	// Open opens the device with the given ID at mode (the zero Mode lets
	// the provider choose, see PreferredMode). It returns an error wrapping
	// ErrNoDevice when the device is not present.
	Open(ctx context.Context, id string, mode Mode) (FrameSource, error)
}

var (
	// ErrNoDevice: the requested device is not connected.
	ErrNoDevice = errors.New("camera: device not found")
	// ErrDisconnected: the device stopped delivering frames (unplugged,
	// taken by another program, driver failure).
	ErrDisconnected = errors.New("camera: device disconnected")
	// ErrEnded: a replay that does not loop has shown its last frame.
	ErrEnded = errors.New("camera: replay ended")
	// ErrClosed: Next was called after Close.
	ErrClosed = errors.New("camera: source closed")
)

// PreferredMode is the resolution chosen when the user has not picked one:
// 640×480 reads QR codes at arm's length, keeps a decode within ~10 ms on a
// two-core laptop, and every webcam offers it.
var PreferredMode = Mode{Width: 640, Height: 480, FPS: 30}

// SortModes orders modes for the resolution menu: the preferred size
// first, then by closeness of the pixel count to it, then higher frame
// rates first. Duplicates are removed.
func SortModes(modes []Mode) []Mode {
	seen := map[Mode]bool{}
	out := modes[:0:0]
	for _, m := range modes {
		if m.Width <= 0 || m.Height <= 0 || seen[m] {
			continue
		}
		seen[m] = true
		out = append(out, m)
	}
	want := PreferredMode.Width * PreferredMode.Height
	dist := func(m Mode) int {
		d := m.Width*m.Height - want
		if d < 0 {
			return -d
		}
		return d
	}
	sort.SliceStable(out, func(i, j int) bool {
		if di, dj := dist(out[i]), dist(out[j]); di != dj {
			return di < dj
		}
		return out[i].FPS > out[j].FPS
	})
	return out
}

// ChooseMode picks the mode to open: want itself when the device offers
// that size (the rate closest to want's), else the first of the sorted
// modes, else want unchanged (the device did not list its modes).
func ChooseMode(offered []Mode, want Mode) Mode {
	if want.IsZero() {
		want = PreferredMode
	}
	var best *Mode
	for i, m := range offered {
		if m.Width != want.Width || m.Height != want.Height {
			continue
		}
		if best == nil || absf(m.FPS-want.FPS) < absf(best.FPS-want.FPS) {
			best = &offered[i]
		}
	}
	if best != nil {
		return *best
	}
	if sorted := SortModes(offered); len(sorted) > 0 {
		return sorted[0]
	}
	return want
}

func absf(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// MultiProvider joins providers: devices are listed in order, Open asks
// each provider in turn until one knows the device.
type MultiProvider []Provider

// Devices lists the devices of every provider. A provider that fails (no
// camera subsystem) is skipped so the others still show.
func (mp MultiProvider) Devices(ctx context.Context) ([]Device, error) {
	var out []Device
	var errs []error
	for _, p := range mp {
		ds, err := p.Devices(ctx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, ds...)
	}
	if len(out) == 0 && len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// Open opens id on the first provider that has it.
func (mp MultiProvider) Open(ctx context.Context, id string, mode Mode) (FrameSource, error) {
	for _, p := range mp {
		src, err := p.Open(ctx, id, mode)
		if errors.Is(err, ErrNoDevice) {
			continue
		}
		return src, err
	}
	return nil, fmt.Errorf("%w: %s", ErrNoDevice, id)
}
