package venuefile

import (
	"strings"

	"qrward/data"
)

// Choice is one allowed value of a coded column: the key qrward stores and
// the names people write in a spreadsheet.
type Choice struct {
	Key string
	// Vi and En are the display names. They are also in the translation
	// files as "<prefix>.<key>" (assets/i18n/venuefile.*.json); a test
	// keeps both copies equal.
	Vi, En string
	// Aliases are other names accepted on import (short forms, old
	// wording). They are never written.
	Aliases []string
}

// Choices is the list of allowed values of one coded column.
type Choices struct {
	// Prefix is the translation key prefix: the display name of key k is
	// the message "<Prefix>.<k>".
	Prefix string
	Items  []Choice
	index  map[string]string // foldKey(name) → key
	byKey  map[string]Choice
}

func newChoices(prefix string, items ...Choice) *Choices {
	c := &Choices{Prefix: prefix, Items: items,
		index: map[string]string{}, byKey: map[string]Choice{}}
	for _, it := range items {
		c.byKey[it.Key] = it
		names := append([]string{it.Key, strings.ReplaceAll(it.Key, "_", " "), it.Vi, it.En}, it.Aliases...)
		for _, n := range names {
			if k := foldKey(n); k != "" {
				if prev, dup := c.index[k]; dup && prev != it.Key {
					panic("venuefile: name " + n + " means both " + prev + " and " + it.Key)
				}
				c.index[k] = it.Key
			}
		}
	}
	return c
}

// Parse maps a cell to a key. It accepts the key itself, the Vietnamese or
// English display name, or an alias, ignoring case, diacritics and
// punctuation: "Nhà hàng", "nha hang", "NHÀ HÀNG, QUÁN ĂN" and
// "restaurant" all give "restaurant".
func (c *Choices) Parse(cell string) (key string, ok bool) {
	key, ok = c.index[foldKey(cell)]
	return key, ok
}

// Name returns the Vietnamese display name of key, or key itself when it
// is unknown.
func (c *Choices) Name(key string) string {
	if it, ok := c.byKey[key]; ok {
		return it.Vi
	}
	return key
}

// Names lists the Vietnamese display names in display order.
func (c *Choices) Names() []string {
	out := make([]string, len(c.Items))
	for i, it := range c.Items {
		out[i] = it.Vi
	}
	return out
}

// Categories are the venue categories (data.Categories, same order).
var Categories = newChoices("category",
	Choice{"office", "Cơ quan, công sở", "Government office", []string{"Cơ quan", "Công sở", "Cơ quan nhà nước", "Trụ sở"}},
	Choice{"enterprise", "Doanh nghiệp, văn phòng", "Company office", []string{"Doanh nghiệp", "Công ty", "Văn phòng"}},
	Choice{"factory", "Nhà máy, xí nghiệp", "Factory", []string{"Nhà máy", "Xí nghiệp", "Nhà xưởng", "Cơ sở sản xuất", "Khu công nghiệp"}},
	Choice{"restaurant", "Nhà hàng, quán ăn", "Restaurant", []string{"Nhà hàng", "Quán ăn", "Quán nhậu"}},
	Choice{"cafe", "Quán cà phê, giải khát", "Café", []string{"Quán cà phê", "Cà phê", "Cafe", "Cafe giải khát", "Giải khát", "Quán nước", "Coffee"}},
	Choice{"shop", "Cửa hàng", "Shop", []string{"Cửa hàng kinh doanh", "Cửa hiệu", "Shop", "Store"}},
	Choice{"market", "Chợ", "Market", []string{"Chợ truyền thống", "Chợ dân sinh"}},
	Choice{"supermarket", "Siêu thị, trung tâm thương mại", "Supermarket, mall", []string{"Siêu thị", "Trung tâm thương mại", "TTTM", "Siêu thị mini", "Mall"}},
	Choice{"school", "Trường học, cơ sở giáo dục", "School", []string{"Trường học", "Trường", "Cơ sở giáo dục", "Nhà trẻ", "Mầm non"}},
	Choice{"health", "Cơ sở y tế", "Health facility", []string{"Bệnh viện", "Phòng khám", "Trạm y tế", "Nhà thuốc", "Y tế"}},
	Choice{"hotel", "Khách sạn, cơ sở lưu trú", "Hotel, lodging", []string{"Khách sạn", "Nhà nghỉ", "Cơ sở lưu trú", "Homestay", "Lưu trú"}},
	Choice{"religious", "Cơ sở tôn giáo, tín ngưỡng", "Place of worship", []string{"Cơ sở tôn giáo", "Tôn giáo", "Chùa", "Nhà thờ", "Đình", "Tín ngưỡng"}},
	Choice{"sports", "Cơ sở thể dục, thể thao", "Sports facility", []string{"Thể thao", "Thể dục thể thao", "Phòng tập", "Phòng gym", "Sân thể thao", "Gym"}},
	Choice{"bank", "Ngân hàng", "Bank", []string{"Ngân hàng, tổ chức tín dụng", "Tổ chức tín dụng", "Phòng giao dịch"}},
	Choice{"public_place", "Nơi công cộng (công viên, bãi biển)", "Public place (park, beach)", []string{"Nơi công cộng", "Công viên", "Bãi biển", "Địa điểm công cộng"}},
	Choice{"street_food", "Hàng ăn đường phố", "Street food", []string{"Ăn uống đường phố", "Quán ăn đường phố", "Hàng ăn vỉa hè", "Quán vỉa hè"}},
	Choice{"takeaway", "Điểm bán mang đi", "Take-away point", []string{"Bán mang đi", "Mang đi", "Bán mang về", "Take away"}},
	Choice{"grocery", "Tạp hóa", "Grocery", []string{"Cửa hàng tạp hóa", "Tiệm tạp hóa", "Quầy tạp hóa", "Tạp phẩm"}},
)

// Statuses are the venue statuses (data.VenueStatuses).
var Statuses = newChoices("status",
	Choice{data.VenueOpen, "Đang hoạt động", "Open", []string{"Hoạt động", "Mở cửa", "Đang mở cửa"}},
	Choice{data.VenueSuspended, "Tạm dừng hoạt động", "Suspended", []string{"Tạm dừng", "Dừng hoạt động", "Tạm ngừng", "Tạm ngừng hoạt động", "Đình chỉ"}},
	Choice{data.VenueClosed, "Đã đóng cửa", "Closed", []string{"Đóng cửa", "Ngừng kinh doanh", "Giải thể", "Đã đóng"}},
)

// ControlMethods are the check-in control methods (data.ControlMethods).
var ControlMethods = newChoices("control",
	Choice{data.ControlStaffScan, "Nhân viên quét QR cá nhân", "Staff scan personal QR codes", []string{"Quét QR cá nhân", "Nhân viên quét", "Quét mã cá nhân", "QR cá nhân"}},
	Choice{data.ControlVenueQR, "Khách tự quét QR địa điểm", "Visitors scan the venue QR", []string{"Tự quét", "Khách tự quét", "QR địa điểm", "Quét QR địa điểm", "Mã QR địa điểm"}},
)

// Commitments are the commitment statuses (data.CommitmentStatuses).
var Commitments = newChoices("commitment",
	Choice{data.CommitmentNone, "Chưa cam kết", "No commitment", []string{"Chưa", "Không", "Chưa ký", "Chưa ký cam kết"}},
	Choice{data.CommitmentSigned, "Đã ký cam kết", "Commitment signed", []string{"Đã ký", "Đã cam kết", "Có"}},
	Choice{data.CommitmentApproved, "Đã ký, được phường duyệt", "Signed and approved by the ward", []string{"Đã duyệt", "Được duyệt", "Phường đã duyệt", "Đã phê duyệt"}},
)

// foldKey is the matching key of headers and coded values: data.Fold (case
// and diacritics), then every run of characters other than letters and
// digits becomes one space. "Số điện thoại (*)" → "so dien thoai",
// "ward_code" → "ward code".
func foldKey(s string) string {
	s = data.Fold(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		if isAlnum(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func isAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f && r != 0xfeff && !isSpaceOrPunct(r)
}

// isSpaceOrPunct reports non-ASCII separators that must not be part of a
// key (no-break space, typographic quotes and dashes, ideographic space).
func isSpaceOrPunct(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u202f', '\u3000', '\u2018', '\u2019', '\u201c', '\u201d',
		'\u2013', '\u2014', '\u2026', '\u00ab', '\u00bb':
		return true
	}
	return false
}
