package reports

import (
	"bytes"
	"context"
	"errors"
	"image"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zqr "github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/text/unicode/norm"
)

// A payload of the length FORMATS §2 expects (prefix, ids, date and an
// Ed25519 signature in base64url), so the QR has a realistic version.
const testPayload = "QRW1.DN-HC1-000123.20194.20260105.Wq8sK3nV0yH5b1mX2cR7tLp9eA4fJ6gD_uZoQiS-aB3xYkN8vT1wE0rM5hU2jC7lP4sF9dG6"

func sampleVenue() PosterVenue {
	return PosterVenue{
		Name:         norm.NFD.String("Cửa hàng tạp hóa Hường Phát"),
		Address:      "12 Trần Phú, phường Hải Châu I, quận Hải Châu, thành phố Đà Nẵng",
		WardName:     "Phường Hải Châu I",
		DistrictName: "Quận Hải Châu",
		OfficeName:   "Ủy ban nhân dân phường Hải Châu I",
		VenueCode:    "DN-HC1-000123",
		Payload:      testPayload,
		IssuedOn:     time.Date(2026, 1, 5, 8, 0, 0, 0, hcm),
	}
}

// decodeQR decodes the single QR code in img and returns its text and its
// printed width in pixels (outer edge of the top-left finder to the outer
// edge of the top-right finder).
func decodeQR(t *testing.T, img image.Image) (string, int) {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("QR not decoded from the rendered page: %v", err)
	}
	pts := res.GetResultPoints()
	if len(pts) < 3 {
		t.Fatalf("want 3 finder points, got %d", len(pts))
	}
	// Result points are relative to the image bounds' origin.
	o := img.Bounds().Min
	tl, tr := pts[1], pts[2]
	left := finderEdge(img, o.X+int(tl.GetX()), o.Y+int(tl.GetY()), -1)
	right := finderEdge(img, o.X+int(tr.GetX()), o.Y+int(tr.GetY()), +1)
	return res.GetText(), right - left + 1
}

// finderEdge walks from a finder-pattern centre along its row in direction
// dir and returns the x of the pattern's outer edge: centre (1.5 modules
// dark), white ring (1), dark ring (1), then the quiet zone.
func finderEdge(img image.Image, x, y, dir int) int {
	b := img.Bounds()
	// Run 1: inner dark square.
	run := 0
	for xx := x; xx >= b.Min.X && xx < b.Max.X && isDark(img, xx, y); xx += dir {
		run++
	}
	mod := float64(run) / 1.5
	last := x
	whiteRun := 0
	for xx := x; xx >= b.Min.X && xx < b.Max.X; xx += dir {
		if isDark(img, xx, y) {
			last = xx
			whiteRun = 0
		} else {
			whiteRun++
			if float64(whiteRun) > 1.8*mod {
				break
			}
		}
	}
	return last
}

func TestPosterA4(t *testing.T) {
	v := sampleVenue()
	path := writePDF(t, "poster-a4.pdf", func(p string) error {
		var buf bytes.Buffer
		if err := WritePoster(&buf, v, PosterOptions{}); err != nil {
			return err
		}
		return os.WriteFile(p, buf.Bytes(), 0o644)
	})
	info := pdfInfo(t, path)
	if info.pages != 1 || math.Abs(info.w-595.28) > 1 || math.Abs(info.h-841.89) > 1 {
		t.Errorf("pages %d, size %.1f x %.1f; want 1 A4 portrait page", info.pages, info.w, info.h)
	}
	flat := pdfTextFlat(t, path)
	mustContain(t, flat,
		"ỦY BAN NHÂN DÂN PHƯỜNG HẢI CHÂU I", "Phường Hải Châu I, Quận Hải Châu",
		"MÃ QR ĐỊA ĐIỂM", "QUÉT MÃ KHI VÀO", "Cửa hàng tạp hóa Hường Phát",
		"Địa chỉ: 12 Trần Phú, phường Hải Châu I, quận Hải Châu, thành phố Đà Nẵng",
		"Mã địa điểm: DN-HC1-000123", "Ngày cấp: 05/01/2026", "HƯỚNG DẪN NGƯỜI ĐẾN", "PC-Covid",
		"Khai báo y tế trung thực",
	)
	checkSansFonts(t, path)

	const dpi = 150
	img := renderPage(t, path, 1, dpi)
	text, px := decodeQR(t, img)
	if text != testPayload {
		t.Errorf("decoded %q, want %q", text, testPayload)
	}
	mm := pxToMM(px, dpi)
	t.Logf("QR printed width %.1f mm (%d px at %d dpi)", mm, px, dpi)
	if mm < MinPosterQRA4 {
		t.Errorf("QR is %.1f mm wide, want ≥ %.0f mm on A4", mm, MinPosterQRA4)
	}
}

// The worst case for the layout: a two-line name and a two-line address
// must still leave a ≥ 15 cm QR on A4.
func TestPosterA4LongTexts(t *testing.T) {
	v := sampleVenue()
	v.Name = "Siêu thị Co.opmart Đà Nẵng - Khu vực thực phẩm tươi sống, hàng gia dụng và điện máy tầng trệt, cổng số 2"
	v.Address = "Số 478 đường Điện Biên Phủ, tổ dân phố 15, phường Thanh Khê Đông, quận Thanh Khê, thành phố Đà Nẵng (lối vào từ kiệt 478/12 bên hông siêu thị, đối diện bãi giữ xe)"
	path := writePDF(t, "poster-a4-long.pdf", func(p string) error {
		var buf bytes.Buffer
		if err := WritePoster(&buf, v, PosterOptions{Level: ECQuartile}); err != nil {
			return err
		}
		return os.WriteFile(p, buf.Bytes(), 0o644)
	})
	mustContain(t, pdfTextFlat(t, path), "Siêu thị Co.opmart Đà Nẵng", "Mã địa điểm: DN-HC1-000123")
	const dpi = 150
	text, px := decodeQR(t, renderPage(t, path, 1, dpi))
	if text != testPayload {
		t.Errorf("decoded %q", text)
	}
	mm := pxToMM(px, dpi)
	t.Logf("QR printed width with long texts %.1f mm", mm)
	if mm < MinPosterQRA4 {
		t.Errorf("QR is %.1f mm wide, want ≥ %.0f mm", mm, MinPosterQRA4)
	}
}

func TestPosterA5(t *testing.T) {
	v := sampleVenue()
	v.Name = "Siêu thị Co.opmart Đà Nẵng - Khu vực thực phẩm tươi sống và hàng gia dụng tầng trệt"
	path := writePDF(t, "poster-a5.pdf", func(p string) error {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return WritePoster(f, v, PosterOptions{Size: PaperA5, Level: ECQuartile})
	})
	info := pdfInfo(t, path)
	// A5 = 148 x 210 mm = 419.5 x 595.3 pt.
	if info.pages != 1 || math.Abs(info.w-419.53) > 1 || math.Abs(info.h-595.28) > 1 {
		t.Errorf("pages %d, size %.1f x %.1f; want 1 A5 page", info.pages, info.w, info.h)
	}
	mustContain(t, pdfTextFlat(t, path), "MÃ QR ĐỊA ĐIỂM", "Siêu thị Co.opmart Đà Nẵng", "Mã địa điểm: DN-HC1-000123")
	const dpi = 150
	text, px := decodeQR(t, renderPage(t, path, 1, dpi))
	if text != testPayload {
		t.Errorf("decoded %q", text)
	}
	mm := pxToMM(px, dpi)
	t.Logf("A5 QR printed width %.1f mm", mm)
	if mm < MinPosterQRA5 {
		t.Errorf("A5 QR is %.1f mm wide, want ≥ %.0f mm", mm, MinPosterQRA5)
	}
}

func checkSansFonts(t *testing.T, path string) {
	t.Helper()
	fonts := pdfFonts(t, path)
	if len(fonts) == 0 {
		t.Fatal("no fonts listed")
	}
	for _, f := range fonts {
		if !f.emb || !f.sub || !f.uni || !strings.Contains(f.name, "NotoSans") {
			t.Errorf("font not embedded Noto Sans subset: %+v", f)
		}
	}
}

func TestPosterBatch(t *testing.T) {
	var venues []PosterVenue
	for i := 0; i < 5; i++ {
		v := sampleVenue()
		v.VenueCode = "DN-HC1-00012" + string(rune('0'+i))
		v.Payload = strings.Replace(testPayload, "000123", v.VenueCode[7:], 1)
		venues = append(venues, v)
	}
	var calls [][2]int
	var buf bytes.Buffer
	err := WritePosters(context.Background(), &buf, venues, PosterOptions{Size: PaperA5}, func(done, total int) {
		calls = append(calls, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 5 || calls[4] != [2]int{5, 5} || calls[0] != [2]int{1, 5} {
		t.Errorf("progress calls = %v", calls)
	}
	path := writePDF(t, "batch.pdf", func(p string) error { return os.WriteFile(p, buf.Bytes(), 0o644) })
	if info := pdfInfo(t, path); info.pages != 5 {
		t.Errorf("pages = %d, want 5", info.pages)
	}
	// The third page carries the third venue's payload.
	text, _ := decodeQR(t, renderPage(t, path, 3, 100))
	if text != venues[2].Payload {
		t.Errorf("page 3 decodes %q, want %q", text, venues[2].Payload)
	}

	// Cancellation stops the batch.
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = WritePosters(ctx, &bytes.Buffer{}, venues, PosterOptions{}, func(done, total int) {
		n = done
		if done == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || n != 2 {
		t.Errorf("after cancel: err %v, done %d; want context.Canceled after 2", err, n)
	}
}

func TestPosterErrors(t *testing.T) {
	v := sampleVenue()
	v.Payload = ""
	if err := WritePoster(&bytes.Buffer{}, v, PosterOptions{}); !errors.Is(err, ErrEmptyPayload) {
		t.Errorf("empty payload: err = %v", err)
	}
	if err := WritePosters(context.Background(), &bytes.Buffer{}, nil, PosterOptions{}, nil); err == nil {
		t.Error("no venues: want an error")
	}
}
