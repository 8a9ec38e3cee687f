package camera

import (
	"context"
	"sync"
	"testing"
	"time"

	"qrward/scan"
)

// BenchmarkDecodeFrame is the decoder's cost per 640×480 camera frame
// through the tracker, as the pipeline's worker runs it; 1e9/ns_per_op is
// the number of frames one core decodes per second.
func BenchmarkDecodeFrame(b *testing.B) {
	for _, bc := range []struct {
		name  string
		scene Scene
	}{
		{"code_in_view", Scene{Text: personalCode, Frames: 30}},
		{"empty_scene", Scene{Frames: 30}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			seq := sequence(b, bc.scene)
			tr := scan.NewTracker(scan.NewDecoder(scan.DecoderOptions{}), scan.TrackerOptions{})
			at := time.Now()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				at = at.Add(33 * time.Millisecond)
				tr.Process(seq.Frames[i%len(seq.Frames)], at)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}

// BenchmarkCodeToDetection replays a 30 fps 640×480 sequence in real time
// (one second of empty desk, then a personal code held up) and measures
// the time from the capture of the first frame showing the code to the
// decoder reporting it, and the preview frame rate achieved while the
// worker decodes. One op is one such sequence.
func BenchmarkCodeToDetection(b *testing.B) {
	seq := sequence(b, Scene{Frames: 30}, Scene{Text: personalCode, Frames: 30})
	first := seq.FirstFrameWith(personalCode)
	var latency, fps float64
	for i := 0; i < b.N; i++ {
		var mu sync.Mutex
		var enterAt, detectAt time.Time
		opts := Options{
			Provider: replayOf(seq, 30, false), DeviceID: "replay:test",
			OnFrame: func(f Frame, _ []scan.Code) {
				if int(f.Seq) == first+1 {
					mu.Lock()
					enterAt = f.At
					mu.Unlock()
				}
			},
			OnDetect: func(d Detection) {
				mu.Lock()
				if detectAt.IsZero() {
					detectAt = d.DecodedAt
				}
				mu.Unlock()
			},
		}
		p := Start(context.Background(), opts)
		p.Wait()
		if detectAt.IsZero() {
			b.Fatal("code not detected")
		}
		latency += float64(detectAt.Sub(enterAt).Milliseconds())
		st := p.Stats()
		fps += st.CapturedPerSecond(time.Now())
	}
	b.ReportMetric(latency/float64(b.N), "ms-to-detect")
	b.ReportMetric(fps/float64(b.N), "preview-fps")
}
