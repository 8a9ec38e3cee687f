package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"testing"
	"time"
)

type subImager interface {
	SubImage(r image.Rectangle) image.Image
}

func sampleCards(n int) []PersonalCard {
	names := []string{violatorName, "Trần Văn Bình", "Lê Thị Thu Hà", "Phạm Ngọc Ánh", "Hồ Sĩ Dũng", "Võ Thị Ngọc Ửng", "Đỗ Quý Tường"}
	var cards []PersonalCard
	for i := 0; i < n; i++ {
		cards = append(cards, PersonalCard{
			FullName:   names[i%len(names)],
			BirthYear:  fmt.Sprint(1950 + i),
			Phone:      "0905***" + fmt.Sprintf("%03d", i),
			Code:       fmt.Sprintf("HC1-P-%05d", i+1),
			Payload:    fmt.Sprintf("QRWP1.HC1-P-%05d.20260105.sig%02dXyZ0123456789abcdefABCDEF", i+1, i),
			OfficeName: "UBND phường Hải Châu I",
			IssuedOn:   time.Date(2026, 1, 5, 0, 0, 0, 0, hcm),
		})
	}
	return cards
}

func TestCards(t *testing.T) {
	cards := sampleCards(7)
	var buf bytes.Buffer
	var last [2]int
	if err := WriteCards(context.Background(), &buf, cards, CardOptions{}, func(d, n int) { last = [2]int{d, n} }); err != nil {
		t.Fatal(err)
	}
	if last != [2]int{7, 7} {
		t.Errorf("last progress = %v", last)
	}
	path := writePDF(t, "cards.pdf", func(p string) error { return os.WriteFile(p, buf.Bytes(), 0o644) })
	if info := pdfInfo(t, path); info.pages != 2 {
		t.Errorf("pages = %d, want 2 for 7 cards", info.pages)
	}
	flat := pdfTextFlat(t, path)
	mustContain(t, flat, "MÃ QR CÁ NHÂN", violatorName, "Võ Thị Ngọc Ửng", "UBND PHƯỜNG HẢI CHÂU I", "Mã: HC1-P-00001", "Năm sinh: 1950")
	checkSansFonts(t, path)

	const dpi = 150
	img := renderPage(t, path, 1, dpi)
	for _, i := range []int{0, 5} {
		_, x, y := CardRect(i)
		px := func(mm float64) int { return int(mm * dpi / 25.4) }
		r := image.Rect(px(x), px(y), px(x+CardWidth), px(y+CardHeight))
		text, w := decodeQR(t, img.(subImager).SubImage(r))
		if text != cards[i].Payload {
			t.Errorf("card %d decodes %q, want %q", i, text, cards[i].Payload)
		}
		mm := pxToMM(w, dpi)
		t.Logf("card %d QR %.1f mm", i, mm)
		if mm < MinCardQR {
			t.Errorf("card QR %.1f mm, want ≥ %.0f", mm, MinCardQR)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteCards(ctx, &bytes.Buffer{}, cards, CardOptions{}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}
