package camera

import (
	"context"
	"errors"
	"sync"
	"time"

	"qrward/scan"
)

// Status is the state of a pipeline's capture, for the screen to show.
type Status int

const (
	// StatusStarting: opening the device.
	StatusStarting Status = iota
	// StatusLive: frames are arriving.
	StatusLive
	// StatusNoDevice: the chosen device is not connected; the pipeline
	// keeps looking for it.
	StatusNoDevice
	// StatusLost: the device stopped (unplugged); the pipeline reopens it
	// as soon as it is back.
	StatusLost
	// StatusEnded: a replay that does not loop has finished.
	StatusEnded
	// StatusStopped: Stop was called.
	StatusStopped
)

// String is a stable machine name (translation keys append it).
func (s Status) String() string {
	return [...]string{"starting", "live", "no_device", "lost", "ended", "stopped"}[s]
}

// Detection is a code that newly entered the view.
type Detection struct {
	Code scan.Code
	// FrameAt is when the frame it was read from was captured; DecodedAt is
	// when the decoder finished with it.
	FrameAt, DecodedAt time.Time
	// Frame is the frame itself (for an evidence snapshot).
	Frame Frame
}

// Options configure a Pipeline.
type Options struct {
	Provider Provider
	DeviceID string
	Mode     Mode
	// Tracker decodes frames; nil means scan.NewTracker over a live-camera
	// scan.NewDecoder.
	Tracker *scan.Tracker
	// OnFrame receives every captured frame with the codes the tracker
	// last saw in view (for the outline). It runs on the capture goroutine
	// and must return quickly: hand the frame to the UI and return.
	OnFrame func(f Frame, inView []scan.Code)
	// OnDetect receives each code once per presence, on the decode
	// goroutine.
	OnDetect func(Detection)
	// OnStatus receives status changes (err says why for Lost/NoDevice).
	OnStatus func(Status, error)
	// RetryEvery is how often a missing or lost device is looked for
	// again (default 1 s).
	RetryEvery time.Duration
}

// Stats are the pipeline's counters since Start.
type Stats struct {
	Captured, Decoded, Dropped uint64
	// DecodeTime is the total time spent decoding.
	DecodeTime time.Duration
	Started    time.Time
}

// DecodedPerSecond is the decode throughput since Start.
func (s Stats) DecodedPerSecond(now time.Time) float64 {
	el := now.Sub(s.Started).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(s.Decoded) / el
}

// CapturedPerSecond is the preview frame rate since Start.
func (s Stats) CapturedPerSecond(now time.Time) float64 {
	el := now.Sub(s.Started).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(s.Captured) / el
}

// Pipeline captures frames from one device and decodes them on a worker.
// The decoder takes only the newest frame when it is free: while it is
// busy, frames go to the preview and are dropped for decoding, so a
// 10 ms decode at 30 fps costs nothing in preview smoothness.
type Pipeline struct {
	opts    Options
	cancel  context.CancelFunc
	done    chan struct{}
	slot    chan Frame
	tracker *scan.Tracker

	mu       sync.Mutex
	stats    Stats
	inView   []scan.Code
	reset    bool
	status   Status
	statusFn func(Status, error)
}

// Start opens the device and runs the pipeline until Stop or ctx ends.
func Start(ctx context.Context, opts Options) *Pipeline {
	if opts.RetryEvery <= 0 {
		opts.RetryEvery = time.Second
	}
	tr := opts.Tracker
	if tr == nil {
		tr = scan.NewTracker(scan.NewDecoder(scan.DecoderOptions{}), scan.TrackerOptions{})
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &Pipeline{opts: opts, cancel: cancel, done: make(chan struct{}), slot: make(chan Frame, 1), tracker: tr}
	p.stats.Started = time.Now()
	decoded := make(chan struct{})
	go func() {
		defer close(decoded)
		p.decodeLoop()
	}()
	go func() {
		p.captureLoop(ctx)
		close(p.slot)
		<-decoded
		close(p.done)
	}()
	return p
}

// Stop ends capture, waits for the worker and closes the device.
func (p *Pipeline) Stop() {
	p.cancel()
	<-p.done
	p.setStatus(StatusStopped, nil)
}

// Wait blocks until the pipeline ends (a finished replay, or Stop).
func (p *Pipeline) Wait() { <-p.done }

// Stats returns a copy of the counters.
func (p *Pipeline) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Status is the current capture status.
func (p *Pipeline) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

func (p *Pipeline) setStatus(s Status, err error) {
	p.mu.Lock()
	changed := p.status != s || err != nil
	p.status = s
	p.mu.Unlock()
	if changed && p.opts.OnStatus != nil {
		p.opts.OnStatus(s, err)
	}
}

func (p *Pipeline) captureLoop(ctx context.Context) {
	p.setStatus(StatusStarting, nil)
	for ctx.Err() == nil {
		src, err := p.opts.Provider.Open(ctx, p.opts.DeviceID, p.opts.Mode)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			p.setStatus(StatusNoDevice, err)
			if !sleepCtx(ctx, p.opts.RetryEvery) {
				return
			}
			continue
		}
		ended := p.stream(ctx, src)
		if ended {
			return
		}
		if !sleepCtx(ctx, p.opts.RetryEvery) {
			return
		}
	}
}

// stream reads frames from an opened source until it fails; it reports
// whether the pipeline should end (replay over or cancelled).
func (p *Pipeline) stream(ctx context.Context, src FrameSource) bool {
	// Closing the source unblocks a Next stuck in a driver read.
	stopClose := context.AfterFunc(ctx, func() { src.Close() })
	defer func() {
		stopClose()
		src.Close()
	}()
	p.setStatus(StatusLive, nil)
	for {
		f, err := src.Next(ctx)
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return true
			case errors.Is(err, ErrEnded):
				p.setStatus(StatusEnded, nil)
				return true
			}
			p.mu.Lock()
			p.reset = true // a replugged camera shows a new scene
			p.inView = nil
			p.mu.Unlock()
			p.setStatus(StatusLost, err)
			return false
		}
		p.mu.Lock()
		p.stats.Captured++
		inView := p.inView
		p.mu.Unlock()
		if p.opts.OnFrame != nil {
			p.opts.OnFrame(f, inView)
		}
		p.offer(f)
	}
}

// offer hands f to the decoder, replacing a frame still waiting there:
// the decoder always gets the newest frame, never a backlog.
func (p *Pipeline) offer(f Frame) {
	select {
	case p.slot <- f:
		return
	default:
	}
	select {
	case <-p.slot:
		p.mu.Lock()
		p.stats.Dropped++
		p.mu.Unlock()
	default:
	}
	select {
	case p.slot <- f:
	default:
		p.mu.Lock()
		p.stats.Dropped++
		p.mu.Unlock()
	}
}

func (p *Pipeline) decodeLoop() {
	for f := range p.slot {
		p.mu.Lock()
		if p.reset {
			p.tracker.Reset()
			p.reset = false
		}
		p.mu.Unlock()
		start := time.Now()
		fresh := p.process(f)
		end := time.Now()
		inView := p.tracker.Present()
		p.mu.Lock()
		p.stats.Decoded++
		p.stats.DecodeTime += end.Sub(start)
		p.inView = inView
		p.mu.Unlock()
		if p.opts.OnDetect == nil {
			continue
		}
		for _, c := range fresh {
			p.opts.OnDetect(Detection{Code: c, FrameAt: f.At, DecodedAt: end, Frame: f})
		}
	}
}

// process decodes one frame; a decoder panic on a strange frame costs
// that frame, not the station.
func (p *Pipeline) process(f Frame) (fresh []scan.Code) {
	defer func() {
		if recover() != nil {
			fresh = nil
		}
	}()
	return p.tracker.Process(f.Image, f.At)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
