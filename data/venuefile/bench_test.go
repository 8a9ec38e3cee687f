package venuefile

import (
	"bytes"
	"testing"
)

func benchRead(b *testing.B, format Format, n int) {
	venues := sampleVenues(b, n)
	var buf bytes.Buffer
	if err := Export(&buf, format, sliceNext(venues), testWardName); err != nil {
		b.Fatal(err)
	}
	file := buf.Bytes()
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := Read(bytes.NewReader(file), format, testWards, ReadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Rows) != n || p.ErrorCount() != 0 {
			b.Fatalf("%d rows, %d errors", len(p.Rows), p.ErrorCount())
		}
	}
}

func BenchmarkReadXLSX20k(b *testing.B) { benchRead(b, XLSX, 20_000) }
func BenchmarkReadCSV20k(b *testing.B)  { benchRead(b, CSV, 20_000) }

func benchExport(b *testing.B, format Format, n int) {
	venues := sampleVenues(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var buf bytes.Buffer
		if err := Export(&buf, format, sliceNext(venues), testWardName); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExportXLSX20k(b *testing.B) { benchExport(b, XLSX, 20_000) }
func BenchmarkExportCSV20k(b *testing.B)  { benchExport(b, CSV, 20_000) }
