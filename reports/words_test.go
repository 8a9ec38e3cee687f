package reports

import "testing"

func TestAmountInWords(t *testing.T) {
	cases := []struct {
		n    int64
		want string
	}{
		{0, "Không đồng"},
		{1, "Một đồng"},
		{5, "Năm đồng"},
		{10, "Mười đồng"},
		{11, "Mười một đồng"},
		{14, "Mười bốn đồng"},
		{15, "Mười lăm đồng"},
		{20, "Hai mươi đồng"},
		{21, "Hai mươi mốt đồng"},
		{24, "Hai mươi bốn đồng"},
		{25, "Hai mươi lăm đồng"},
		{55, "Năm mươi lăm đồng"},
		{100, "Một trăm đồng"},
		{101, "Một trăm linh một đồng"},
		{105, "Một trăm linh năm đồng"},
		{110, "Một trăm mười đồng"},
		{111, "Một trăm mười một đồng"},
		{115, "Một trăm mười lăm đồng"},
		{121, "Một trăm hai mươi mốt đồng"},
		{1_000, "Một nghìn đồng"},
		{1_001, "Một nghìn không trăm linh một đồng"},
		{1_010, "Một nghìn không trăm mười đồng"},
		{1_015, "Một nghìn không trăm mười lăm đồng"},
		{1_100, "Một nghìn một trăm đồng"},
		{10_000, "Mười nghìn đồng"},
		{15_000, "Mười lăm nghìn đồng"},
		{21_000, "Hai mươi mốt nghìn đồng"},
		{250_000, "Hai trăm năm mươi nghìn đồng"},
		{500_000, "Năm trăm nghìn đồng"},
		{1_000_000, "Một triệu đồng"},
		{1_000_001, "Một triệu không trăm linh một đồng"},
		{1_005_000, "Một triệu không trăm linh năm nghìn đồng"},
		{1_050_000, "Một triệu không trăm năm mươi nghìn đồng"},
		{1_500_000, "Một triệu năm trăm nghìn đồng"},
		{2_500_000, "Hai triệu năm trăm nghìn đồng"},
		{5_000_000, "Năm triệu đồng"},
		{7_500_000, "Bảy triệu năm trăm nghìn đồng"},
		{10_000_000, "Mười triệu đồng"},
		{15_000_000, "Mười lăm triệu đồng"},
		{25_000_000, "Hai mươi lăm triệu đồng"},
		{100_000_000, "Một trăm triệu đồng"},
		{1_000_000_000, "Một tỷ đồng"},
		{1_000_000_005, "Một tỷ không trăm linh năm đồng"},
		{2_000_500_000, "Hai tỷ năm trăm nghìn đồng"},
		{1_000_050_000, "Một tỷ không trăm năm mươi nghìn đồng"},
		{21_021_021_021, "Hai mươi mốt tỷ không trăm hai mươi mốt triệu không trăm hai mươi mốt nghìn không trăm hai mươi mốt đồng"},
		{999_999_999_999, "Chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng"},
		{-5_000, "Âm năm nghìn đồng"},
	}
	for _, c := range cases {
		if got := AmountInWords(c.n); got != c.want {
			t.Errorf("AmountInWords(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestNumberInWordsLarge(t *testing.T) {
	if got, want := NumberInWords(1_000_000_000_000), "một nghìn tỷ"; got != want {
		t.Errorf("NumberInWords(1e12) = %q, want %q", got, want)
	}
}

func TestFormatVND(t *testing.T) {
	cases := map[int64]string{0: "0", 5: "5", 999: "999", 1000: "1.000", 7_500_000: "7.500.000", 999_999_999_999: "999.999.999.999", -25_000: "-25.000"}
	for n, want := range cases {
		if got := FormatVND(n); got != want {
			t.Errorf("FormatVND(%d) = %q, want %q", n, got, want)
		}
	}
}
