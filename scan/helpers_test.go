package scan

import (
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
	qrcode "github.com/skip2/go-qrcode"
)

// decodeRendered renders q at 4 px/module and reads it back with plain
// gozxing, independent of this package's decoder.
func decodeRendered(t *testing.T, q *qrcode.QRCode) string {
	t.Helper()
	img := q.Image(len(q.Bitmap()) * 4)
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.GetText()
}
