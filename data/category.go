package data

// Control methods a venue may use to record who comes in (DOMAIN.md rule 2).
const (
	// ControlStaffScan: staff scan every visitor's personal QR code with a
	// device. Required by default (Đà Nẵng Chỉ thị 08/CT-UBND).
	ControlStaffScan = "staff_scan"
	// ControlVenueQR: the venue posts its venue QR code and visitors scan it
	// themselves. Allowed only for the four groups in selfScanCategories.
	ControlVenueQR = "venue_qr"
)

// ControlMethods lists every control method, in display order.
var ControlMethods = []string{ControlStaffScan, ControlVenueQR}

// Category is a kind of venue. Its key is stored; its name is translated
// (assets/i18n, key "category.<key>").
type Category struct {
	Key string
	// Required is the control method the rules demand of this category.
	Required string
	// DefaultStayMinutes is how long a visit lasts when no check-out is
	// recorded, used by tracing rules that compare stays.
	DefaultStayMinutes int
}

// Categories lists every venue category. The last four are Đà Nẵng's
// self-scan groups (QĐ 3779/QĐ-UBND): public places, street food,
// take-away points and grocery shops.
var Categories = []Category{
	{"office", ControlStaffScan, 240},
	{"enterprise", ControlStaffScan, 480},
	{"factory", ControlStaffScan, 480},
	{"restaurant", ControlStaffScan, 90},
	{"cafe", ControlStaffScan, 60},
	{"shop", ControlStaffScan, 30},
	{"market", ControlStaffScan, 60},
	{"supermarket", ControlStaffScan, 60},
	{"school", ControlStaffScan, 300},
	{"health", ControlStaffScan, 120},
	{"hotel", ControlStaffScan, 720},
	{"religious", ControlStaffScan, 90},
	{"sports", ControlStaffScan, 90},
	{"bank", ControlStaffScan, 30},
	{"public_place", ControlVenueQR, 60},
	{"street_food", ControlVenueQR, 30},
	{"takeaway", ControlVenueQR, 15},
	{"grocery", ControlVenueQR, 15},
}

var categoryByKey = func() map[string]Category {
	m := make(map[string]Category, len(Categories))
	for _, c := range Categories {
		m[c.Key] = c
	}
	return m
}()

// CategoryByKey finds a category.
func CategoryByKey(key string) (Category, bool) {
	c, ok := categoryByKey[key]
	return c, ok
}

// RequiredControl returns the control method the rules demand for a
// category ("" for an unknown category).
func RequiredControl(category string) string {
	return categoryByKey[category].Required
}

// ControlAllowed reports whether a venue of the category may use method:
// staff scanning satisfies every category; the venue QR only the four
// self-scan groups.
func ControlAllowed(category, method string) bool {
	req := RequiredControl(category)
	if req == "" {
		return false
	}
	return method == ControlStaffScan || method == req
}
