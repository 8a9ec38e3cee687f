// Package scan turns what a camera sees into typed, checked facts for the
// ward office: it decodes QR codes from camera frames and photos, parses the
// payloads found in the field (national personal QR, chip ID card, health
// insurance card, venue codes at home and abroad), and issues and verifies
// qrward's own Ed25519-signed venue codes.
//
// The package is pure Go (no cgo) and must not depend on the GUI or the
// database: callers pass in what it needs (a keyring, a revocation lookup)
// and receive plain values back.
//
// Layout:
//   - payload.go, payload_*.go, date.go, sex.go, phone.go: Parse and the
//     per-kind payload types.
//   - errors.go, kind.go: PayloadError (Vietnamese and English messages)
//     and the Kind enum with stable names.
//   - fold.go, identity.go: name folding and matching people across codes.
//   - venuecode.go, base45.go, officekey.go, keyring.go: the signed venue
//     QR (format in docs/VENUE-QR.md).
//   - decoder.go, strategy.go, detect.go, binarize.go, luma.go, geometry.go:
//     frame decoding on top of gozxing; tracker.go: de-duplication across
//     consecutive frames.
//   - framegen.go: deterministic synthetic camera frames with known truth.
//   - bench.go: run the decoder over a folder of images (qr-dev format).
//
// A misread is worse than a miss: the decoder only reports codes whose
// Reed-Solomon check passed, and every strategy was chosen by measurement
// against generated frames whose truth is known (see docs/perf/scan.md).
package scan
