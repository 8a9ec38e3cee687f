// Package camera feeds camera frames to the QR decoder for the scan
// station ("Quét mã").
//
// Capture sits behind two small interfaces so the screen and its tests do
// not care where pictures come from:
//
//   - Provider lists devices and opens one at a chosen Mode (resolution
//     and frame rate);
//   - FrameSource delivers frames until it is closed or its device goes
//     away (ErrDisconnected).
//
// Implementations:
//
//   - pion.go: USB webcams through github.com/pion/mediadevices v0.10.0
//     (V4L2 on Linux, DirectShow on Windows, AVFoundation on macOS), plus
//     RegisterSynthetic for a pure-Go fake camera registered with pion's
//     driver manager (integration tests of the real capture path);
//   - replay.go: a replay source playing a folder of images or a generated
//     sequence at a given frame rate (tests, demos, Xvfb screenshots);
//   - sequence.go: deterministic generated sequences with a known code
//     entering the view at a known frame.
//
// Pipeline (pipeline.go) runs capture on one goroutine and decoding on
// another: the preview receives every frame, the decoder only the newest
// frame when it is free (older ones are dropped, never queued), so a slow
// decode never slows the preview. Lost devices are reopened automatically
// (hot-plug). No function of this package touches the GUI; callers hand
// results to the UI thread themselves.
package camera
