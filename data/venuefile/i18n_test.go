package venuefile

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"qrward/data"
)

var updateI18n = flag.Bool("update-i18n", false, "rewrite the display names in assets/i18n/venuefile.*.json from the Go tables")

const i18nDir = "../../assets/i18n"

// keysDefinedElsewhere are message keys this package uses that other
// translation files define; ours must not redefine them.
var keysDefinedElsewhere = map[string]bool{
	"err.required": true, "err.too_long": true, "err.category_unknown": true,
	"err.ward_unknown": true, "err.phone_empty": true, "err.phone_chars": true,
	"err.phone_invalid": true, "err.phone_foreign": true, "err.value_unknown": true,
	"err.venue_code_format": true, "err.venue_code_taken": true, "err.invalid_input": true,
	"err.cancelled": true,
}

func readI18n(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(i18nDir, "venuefile."+lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("venuefile.%s.json: %v", lang, err)
	}
	return m
}

func writeI18n(t *testing.T, lang string, m map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(i18nDir, "venuefile."+lang+".json"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

var allChoices = []*Choices{Categories, Statuses, ControlMethods, Commitments}

// The Go tables used for parsing and the translation files used for
// display name every value the same way.
func TestTranslationsMatchTables(t *testing.T) {
	vi, en := readI18n(t, "vi"), readI18n(t, "en")
	if *updateI18n {
		for _, ch := range allChoices {
			for _, it := range ch.Items {
				vi[ch.Prefix+"."+it.Key] = it.Vi
				en[ch.Prefix+"."+it.Key] = it.En
			}
		}
		for _, c := range Columns {
			vi["venuefile.col."+c.Field] = c.Header
			if en["venuefile.col."+c.Field] == "" {
				en["venuefile.col."+c.Field] = c.En
			}
		}
		writeI18n(t, "vi", vi)
		writeI18n(t, "en", en)
	}
	for _, ch := range allChoices {
		for _, it := range ch.Items {
			k := ch.Prefix + "." + it.Key
			if vi[k] != it.Vi {
				t.Errorf("vi %s = %q, Go table says %q", k, vi[k], it.Vi)
			}
			if en[k] != it.En {
				t.Errorf("en %s = %q, Go table says %q", k, en[k], it.En)
			}
		}
	}
	for _, c := range Columns {
		k := "venuefile.col." + c.Field
		if vi[k] != c.Header {
			t.Errorf("vi %s = %q, header is %q", k, vi[k], c.Header)
		}
		if en[k] == "" {
			t.Errorf("en %s missing", k)
		}
	}
	// Both files have the same keys, and the same fmt verbs per message.
	verbs := regexp.MustCompile(`%[vdsq]`)
	for k, v := range vi {
		e, ok := en[k]
		if !ok {
			t.Errorf("%s is in vi but not en", k)
			continue
		}
		if a, b := verbs.FindAllString(v, -1), verbs.FindAllString(e, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%s: vi verbs %v, en verbs %v", k, a, b)
		}
		if keysDefinedElsewhere[k] {
			t.Errorf("%s is defined by another translation file; do not redefine it", k)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("%s is in en but not vi", k)
		}
	}
}

// Every choice table covers exactly the keys the domain defines.
func TestChoicesCoverDomain(t *testing.T) {
	keys := func(c *Choices) []string {
		var out []string
		for _, it := range c.Items {
			out = append(out, it.Key)
		}
		return out
	}
	var cats []string
	for _, c := range data.Categories {
		cats = append(cats, c.Key)
	}
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"categories", keys(Categories), cats},
		{"statuses", keys(Statuses), data.VenueStatuses},
		{"control", keys(ControlMethods), data.ControlMethods},
		{"commitments", keys(Commitments), data.CommitmentStatuses},
	} {
		if strings.Join(tc.got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: table %v, domain %v", tc.name, tc.got, tc.want)
		}
	}
}

// Every message key the code uses is translated, here or elsewhere.
func TestMessageKeysTranslated(t *testing.T) {
	vi, en := readI18n(t, "vi"), readI18n(t, "en")
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`"((?:err|warn)\.[a-z0-9_.]+)"`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	var list []string
	for k := range used {
		list = append(list, k)
	}
	sort.Strings(list)
	for _, k := range list {
		if keysDefinedElsewhere[k] {
			continue
		}
		if vi[k] == "" || en[k] == "" {
			t.Errorf("message %s is not in venuefile.vi.json and venuefile.en.json", k)
		}
	}
	if len(list) < 10 {
		t.Fatalf("found only %d keys: %v", len(list), list)
	}
}

func TestChoicesParse(t *testing.T) {
	for _, tc := range []struct {
		c    *Choices
		cell string
		want string
	}{
		{Categories, "Nhà hàng", "restaurant"},
		{Categories, "NHÀ HÀNG, QUÁN ĂN", "restaurant"},
		{Categories, "restaurant", "restaurant"},
		{Categories, "Chợ", "market"},
		{Categories, "Tạp hoá", "grocery"}, // old-style tone mark placement
		{Categories, "tap hoa", "grocery"},
		{Categories, "Quán cà phê", "cafe"},
		{Categories, "Điểm bán mang đi", "takeaway"},
		{Categories, "Hàng ăn đường phố", "street_food"},
		{Categories, "Nơi công cộng (công viên, bãi biển)", "public_place"},
		{Categories, "noi cong cong - cong vien bai bien", "public_place"},
		{Categories, "public_place", "public_place"},
		{Categories, "street food", "street_food"},
		{Statuses, "Đang hoạt động", "open"},
		{Statuses, "Tạm dừng hoạt động", "suspended"},
		{Statuses, "Đã đóng cửa", "closed"},
		{ControlMethods, "Nhân viên quét QR cá nhân", "staff_scan"},
		{ControlMethods, "Khách tự quét QR địa điểm", "venue_qr"},
		{Commitments, "Đã ký cam kết", "signed"},
		{Commitments, "approved", "approved"},
	} {
		got, ok := tc.c.Parse(tc.cell)
		if !ok || got != tc.want {
			t.Errorf("%s.Parse(%q) = %q, %v; want %q", tc.c.Prefix, tc.cell, got, ok, tc.want)
		}
	}
	if k, ok := Categories.Parse("Karaoke"); ok {
		t.Errorf("Karaoke parsed as %q", k)
	}
}
