package data

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchRows makes n venue rows with Vietnamese names and addresses.
func benchRows(n int) []VenueRow {
	r := rand.New(rand.NewPCG(1, 2))
	prefixes := []string{"Nhà hàng", "Cà phê", "Tạp hóa", "Chợ", "Siêu thị", "Khách sạn", "Trường THCS", "Công ty TNHH"}
	stems := []string{"Hoa Sen", "Minh Anh", "Đồng Xanh", "Phố Biển", "Hạnh Phúc", "Sơn Trà", "Đức Thành", "Bình Minh"}
	streets := []string{"Bạch Đằng", "Trần Phú", "Lê Duẩn", "Đống Đa", "Hùng Vương", "Nguyễn Văn Linh"}
	rows := make([]VenueRow, n)
	for i := range rows {
		rows[i] = VenueRow{
			ID:         NewID(),
			Code:       fmt.Sprintf("%05d-%04d", 20200+i%56, i),
			Name:       prefixes[r.IntN(len(prefixes))] + " " + stems[r.IntN(len(stems))],
			Address:    fmt.Sprintf("%d %s", 1+r.IntN(400), streets[r.IntN(len(streets))]),
			WardName:   "Phường Hải Châu I",
			OwnerPhone: fmt.Sprintf("09%08d", r.IntN(100_000_000)),
			Status:     VenueOpen,
		}
	}
	return rows
}

func TestSearchRanksExactNamesFirst(t *testing.T) {
	idx := NewVenueIndex([]VenueRow{
		{Name: "Chợ Hạnh Phúc"}, {Name: "Chợ Hàn"}, {Name: "Quán gần Chợ Hàn"}, {Name: "Chợ Hàn Mới"},
	})
	hits := idx.Search(VenueFilter{Query: "cho han"})
	var names []string
	for _, h := range hits {
		names = append(names, idx.Row(h).Name)
	}
	want := "Chợ Hàn|Chợ Hàn Mới|Chợ Hạnh Phúc|Quán gần Chợ Hàn"
	if got := fmt.Sprint(names); got != fmt.Sprint([]string{"Chợ Hàn", "Chợ Hàn Mới", "Chợ Hạnh Phúc", "Quán gần Chợ Hàn"}) {
		t.Errorf("order %v, want %s", names, want)
	}
}

// BenchmarkVenueSearchKeystroke measures one keystroke's search over
// 20,000 venues (goal: under 5 ms), for a few realistic partial queries.
func BenchmarkVenueSearchKeystroke(b *testing.B) {
	idx := NewVenueIndex(benchRows(20_000))
	for _, q := range []string{"c", "cho", "cho ha", "nha hang hoa sen", "dong da", "0905", "zzz"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				idx.Search(VenueFilter{Query: q})
			}
		})
	}
}

// BenchmarkVenueIndexBuild measures building the index of 20,000 venues
// (done once at load and after each edit).
func BenchmarkVenueIndexBuild(b *testing.B) {
	rows := benchRows(20_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cp := append([]VenueRow(nil), rows...)
		NewVenueIndex(cp)
	}
}
