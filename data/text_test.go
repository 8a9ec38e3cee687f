package data

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Every Vietnamese letter, lower and upper case, folds to its base letter.
func TestFoldEveryVietnameseLetter(t *testing.T) {
	table := map[string]string{
		"aàáảãạăằắẳẵặâầấẩẫậ": "a",
		"AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ": "a",
		"eèéẻẽẹêềếểễệ":       "e",
		"EÈÉẺẼẸÊỀẾỂỄỆ":       "e",
		"iìíỉĩị":             "i",
		"IÌÍỈĨỊ":             "i",
		"oòóỏõọôồốổỗộơờớởỡợ": "o",
		"OÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ": "o",
		"uùúủũụưừứửữự":       "u",
		"UÙÚỦŨỤƯỪỨỬỮỰ":       "u",
		"yỳýỷỹỵ":             "y",
		"YỲÝỶỸỴ":             "y",
		"dđ":                 "d",
		"DĐ":                 "d",
	}
	for letters, base := range table {
		for _, r := range letters {
			if got := Fold(string(r)); got != base {
				t.Errorf("Fold(%q) = %q, want %q", r, got, base)
			}
			// Decomposed input (NFD, as some keyboards and files give) folds the same.
			if got := Fold(norm.NFD.String(string(r))); got != base {
				t.Errorf("Fold(NFD %q) = %q, want %q", r, got, base)
			}
		}
	}
}

func TestFoldPhrases(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Chợ Hàn", "cho han"},
		{"Đống Đa", "dong da"},
		{"  Phường   Hải Châu I ", "phuong hai chau i"},
		{"Trường THCS Nguyễn Huệ", "truong thcs nguyen hue"},
		{"ĐẶNG THỊ HƯỜNG", "dang thi huong"},
		{"Cà phê\tSáng", "ca phe sang"},
		{"", ""},
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCleanNormalisesToNFC(t *testing.T) {
	nfd := norm.NFD.String("Nguyễn Thị Hường")
	if nfd == "Nguyễn Thị Hường" {
		t.Fatal("test input is not decomposed")
	}
	if got := Clean("  " + nfd + "  "); got != "Nguyễn Thị Hường" {
		t.Errorf("Clean = %q", got)
	}
	if got := Clean("a \t b"); got != "a b" {
		t.Errorf("Clean collapses space: %q", got)
	}
}
