//go:build cgo && (linux || windows || darwin)

package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pion/mediadevices/pkg/driver"
	pioncam "github.com/pion/mediadevices/pkg/driver/camera" // registers V4L2 / DirectShow / AVFoundation cameras
	"github.com/pion/mediadevices/pkg/frame"
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
)

// PionAvailable reports whether this build has the real camera driver.
const PionAvailable = true

// PionProvider captures from webcams through pion/mediadevices' driver
// layer (not its WebRTC stream API, which would pull in codecs and a
// WebRTC stack a QR reader does not need).
type PionProvider struct {
	mu sync.Mutex
}

// NewPionProvider returns the webcam provider.
func NewPionProvider() *PionProvider { return &PionProvider{} }

// synthetic cameras registered by RegisterSynthetic, re-registered after
// every re-enumeration (pion's Linux Initialize drops all video drivers).
var (
	synthMu sync.Mutex
	synth   = map[string]*syntheticCamera{}
)

// refresh re-enumerates the OS's cameras so a camera plugged in after
// start-up appears and one unplugged disappears. Pion's Windows and macOS
// Initialize add to the registry without clearing it, so the registry is
// cleared here first; drivers already opened keep working (we hold them).
func refresh() {
	m := driver.GetManager()
	for _, d := range m.Query(driver.FilterVideoRecorder()) {
		m.Delete(d.ID())
	}
	pioncam.Initialize()
	synthMu.Lock()
	defer synthMu.Unlock()
	for _, d := range m.Query(driver.FilterVideoRecorder()) {
		if _, ok := synth[d.Info().Label]; ok {
			m.Delete(d.ID()) // a synthetic camera is listed only while "plugged in"
		}
	}
	for label, s := range synth {
		if s.present {
			m.Register(s, driver.Info{Label: label, Name: s.name, DeviceType: driver.Camera, Priority: driver.PriorityNormal})
		}
	}
}

func cameraDrivers() []driver.Driver {
	return driver.GetManager().Query(driver.FilterAnd(driver.FilterVideoRecorder(), driver.FilterDeviceType(driver.Camera)))
}

// Devices lists the connected cameras with the modes they offer. Listing
// opens each idle camera briefly to read its modes (V4L2 answers only on
// an open device); a camera busy in another program is listed without
// modes.
func (p *PionProvider) Devices(context.Context) ([]Device, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	refresh()
	seen := map[string]bool{}
	var out []Device
	for _, d := range cameraDrivers() {
		info := d.Info()
		if seen[info.Label] {
			continue
		}
		seen[info.Label] = true
		dev := Device{ID: info.Label, Name: friendlyName(info), Kind: KindCamera}
		if d.Status() == driver.StateClosed && d.Open() == nil {
			dev.Modes = SortModes(modesOf(d.Properties()))
			d.Close()
		}
		out = append(out, dev)
	}
	return out, nil
}

// friendlyName is the OS's name, else a readable form of the V4L2 label
// ("usb-046d_HD_Pro_Webcam_C920-video-index0;video0" → "046d HD Pro
// Webcam C920").
func friendlyName(info driver.Info) string {
	if info.Name != "" {
		return info.Name
	}
	first, _, _ := strings.Cut(info.Label, pioncam.LabelSeparator)
	first = strings.TrimPrefix(first, "usb-")
	if i := strings.Index(first, "-video-index"); i > 0 {
		first = first[:i]
	}
	return strings.ReplaceAll(first, "_", " ")
}

// usableFormats are the pixel formats we ask for, in order of preference:
// planar YUV is the Y plane the decoder reads, with no conversion;
// MJPEG costs a JPEG decode per frame and comes last.
var usableFormats = []frame.Format{frame.FormatI420, frame.FormatNV12, frame.FormatNV21,
	frame.FormatYUY2, frame.FormatYUYV, frame.FormatUYVY, frame.FormatMJPEG}

func usable(f frame.Format) bool {
	for _, u := range usableFormats {
		if u == f {
			return true
		}
	}
	return false
}

func modesOf(props []prop.Media) []Mode {
	var out []Mode
	for _, pr := range props {
		if usable(pr.FrameFormat) {
			out = append(out, Mode{Width: pr.Width, Height: pr.Height, FPS: float64(pr.FrameRate)})
		}
	}
	return out
}

// pickProp returns the driver property for mode, preferring the earliest
// usable format.
func pickProp(props []prop.Media, m Mode) (prop.Media, bool) {
	for _, f := range usableFormats {
		for _, pr := range props {
			if pr.FrameFormat == f && pr.Width == m.Width && pr.Height == m.Height &&
				(m.FPS == 0 || absf(float64(pr.FrameRate)-m.FPS) < 0.5) {
				return pr, true
			}
		}
	}
	return prop.Media{}, false
}

// Open starts capture from the camera whose label is id.
func (p *PionProvider) Open(_ context.Context, id string, want Mode) (FrameSource, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	find := func() driver.Driver {
		for _, d := range cameraDrivers() {
			if d.Info().Label == id && d.Status() == driver.StateClosed {
				return d
			}
		}
		return nil
	}
	d := find()
	if d == nil {
		refresh() // maybe plugged in since the last listing
		if d = find(); d == nil {
			return nil, fmt.Errorf("%w: %s", ErrNoDevice, id)
		}
	}
	if err := d.Open(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNoDevice, id, err)
	}
	props := d.Properties()
	mode := ChooseMode(modesOf(props), want)
	pr, ok := pickProp(props, mode)
	if !ok {
		pr = prop.Media{Video: prop.Video{Width: mode.Width, Height: mode.Height, FrameFormat: frame.FormatI420}}
		if len(props) > 0 {
			d.Close()
			return nil, fmt.Errorf("camera %s offers no usable pixel format", id)
		}
	}
	// Stale frames are useless to a QR reader: ask the driver to skip them.
	pr.DiscardFramesOlderThan = 500 * time.Millisecond
	r, err := d.(driver.VideoRecorder).VideoRecord(pr)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrDisconnected, id, err)
	}
	return &pionSource{drv: d, r: r, mode: Mode{Width: pr.Width, Height: pr.Height, FPS: float64(pr.FrameRate)}}, nil
}

type pionSource struct {
	drv  driver.Driver
	r    video.Reader
	mode Mode

	mu       sync.Mutex
	closed   bool
	seq      uint64
	timeouts int
}

// maxTimeouts consecutive read timeouts mean the camera is gone: V4L2
// reports an unplugged camera as a timeout, not an error.
const maxTimeouts = 2

func (s *pionSource) Next(ctx context.Context) (Frame, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Frame{}, err
		}
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return Frame{}, ErrClosed
		}
		img, release, err := s.r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) && ctx.Err() != nil {
				return Frame{}, ctx.Err()
			}
			if strings.Contains(err.Error(), "timeout") {
				s.timeouts++
				if s.timeouts < maxTimeouts {
					continue
				}
			}
			return Frame{}, fmt.Errorf("%w: %v", ErrDisconnected, err)
		}
		s.timeouts = 0
		own := copyImage(img) // the driver reuses its buffer after release
		if release != nil {
			release()
		}
		s.seq++
		return Frame{Image: own, At: time.Now(), Seq: s.seq}, nil
	}
}

func (s *pionSource) Mode() Mode { return s.mode }

func (s *pionSource) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.drv.Close()
}

// copyImage deep-copies a decoded frame.
func copyImage(img image.Image) image.Image {
	switch v := img.(type) {
	case *image.YCbCr:
		c := &image.YCbCr{Y: append([]byte(nil), v.Y...), Cb: append([]byte(nil), v.Cb...),
			Cr: append([]byte(nil), v.Cr...), YStride: v.YStride, CStride: v.CStride,
			SubsampleRatio: v.SubsampleRatio, Rect: v.Rect}
		return c
	case *image.Gray:
		return &image.Gray{Pix: append([]byte(nil), v.Pix...), Stride: v.Stride, Rect: v.Rect}
	default:
		c := image.NewRGBA(img.Bounds())
		draw.Draw(c, c.Rect, img, img.Bounds().Min, draw.Src)
		return c
	}
}

// RegisterSynthetic registers a fake camera with pion's driver manager,
// so the real capture path (driver registry → Open → VideoRecord → Read)
// can be tested and demonstrated without hardware. It delivers frames
// (looping) at fps as I420. Unplug and replug it with SetSyntheticPresent.
func RegisterSynthetic(label, name string, frames []*image.YCbCr, fps float64) {
	synthMu.Lock()
	synth[label] = &syntheticCamera{name: name, frames: frames, fps: fps, present: true}
	synthMu.Unlock()
	refresh()
}

// SetSyntheticPresent plugs (true) or unplugs (false) a synthetic camera.
// Unplugging makes an open stream fail as a real camera's would.
func SetSyntheticPresent(label string, present bool) {
	synthMu.Lock()
	if s := synth[label]; s != nil {
		s.mu.Lock()
		s.present = present
		s.mu.Unlock()
	}
	synthMu.Unlock()
	refresh()
}

type syntheticCamera struct {
	name    string
	frames  []*image.YCbCr
	fps     float64
	mu      sync.Mutex
	present bool
	open    bool
}

func (c *syntheticCamera) Open() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.present {
		return errors.New("no such device")
	}
	c.open = true
	return nil
}

func (c *syntheticCamera) Close() error {
	c.mu.Lock()
	c.open = false
	c.mu.Unlock()
	return nil
}

func (c *syntheticCamera) Properties() []prop.Media {
	b := c.frames[0].Rect
	return []prop.Media{{Video: prop.Video{Width: b.Dx(), Height: b.Dy(), FrameRate: float32(c.fps), FrameFormat: frame.FormatI420}}}
}

func (c *syntheticCamera) VideoRecord(prop.Media) (video.Reader, error) {
	i := 0
	period := time.Duration(float64(time.Second) / c.fps)
	next := time.Now()
	return video.ReaderFunc(func() (image.Image, func(), error) {
		c.mu.Lock()
		ok := c.present && c.open
		c.mu.Unlock()
		if !ok {
			return nil, func() {}, errors.New("read: no such device")
		}
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
		next = next.Add(period)
		img := c.frames[i%len(c.frames)]
		i++
		return img, func() {}, nil
	}), nil
}
