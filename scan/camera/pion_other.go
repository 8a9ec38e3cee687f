//go:build !cgo || !(linux || windows || darwin)

package camera

import (
	"context"
	"errors"
	"image"
)

// PionAvailable reports whether this build has the real camera driver.
const PionAvailable = false

// PionProvider is a stand-in on builds without the camera driver (no
// cgo, or an OS pion does not support): it lists no devices, so the scan
// station still runs with its other inputs.
type PionProvider struct{}

// NewPionProvider returns the stand-in provider.
func NewPionProvider() *PionProvider { return &PionProvider{} }

// Devices lists nothing.
func (*PionProvider) Devices(context.Context) ([]Device, error) { return nil, nil }

// Open always fails with ErrNoDevice.
func (*PionProvider) Open(context.Context, string, Mode) (FrameSource, error) {
	return nil, errors.Join(ErrNoDevice, errors.New("this build has no camera driver"))
}

// RegisterSynthetic is unavailable without the camera driver.
func RegisterSynthetic(string, string, []*image.YCbCr, float64) {}

// SetSyntheticPresent is unavailable without the camera driver.
func SetSyntheticPresent(string, bool) {}
