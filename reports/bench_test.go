package reports

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

func BenchmarkPosterBatch100(b *testing.B) {
	var venues []PosterVenue
	for i := 0; i < 100; i++ {
		v := sampleVenue()
		v.VenueCode = fmt.Sprintf("DN-HC1-%06d", i)
		venues = append(venues, v)
	}
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WritePosters(context.Background(), &buf, venues, PosterOptions{}, nil); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/pdf")
}

func BenchmarkCards600(b *testing.B) {
	cards := sampleCards(600)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteCards(context.Background(), &buf, cards, CardOptions{}, nil); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/pdf")
}

func BenchmarkViolationRecord(b *testing.B) {
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := sampleRecord().Output(&buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/pdf")
}

func BenchmarkTracingList1000(b *testing.B) {
	r := tracingList(1000)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteListReport(&buf, r); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/pdf")
}
