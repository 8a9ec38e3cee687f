package scan

import (
	"net/url"
	"strings"
)

// NationalVenue is the old national venue QR (tokhaiyte.vn check-in URL).
type NationalVenue struct {
	raw string
	// GroupID is the 24-hex-digit venue identifier, lower case.
	GroupID string
}

func (n *NationalVenue) Kind() Kind  { return KindNationalVenue }
func (n *NationalVenue) Raw() string { return n.raw }

// ForeignVenue is a venue code from another country's tracing app. qrward
// recognises it to tell the user "foreign venue code" and does not parse it.
type ForeignVenue struct {
	raw  string
	kind Kind
	// Country is the ISO 3166-1 alpha-2 code of the issuing country.
	Country string
}

func (f *ForeignVenue) Kind() Kind  { return f.kind }
func (f *ForeignVenue) Raw() string { return f.raw }

func parseForeignVenue(text string) (*ForeignVenue, bool) {
	upper := strings.ToUpper(text)
	switch {
	case strings.HasPrefix(upper, "UKC19TRACING:1:"):
		return &ForeignVenue{raw: text, kind: KindForeignVenueUK, Country: "GB"}, true
	case strings.HasPrefix(upper, "NZCOVIDTRACER:"):
		return &ForeignVenue{raw: text, kind: KindForeignVenueNZ, Country: "NZ"}, true
	}
	if looksLikeURL(text) {
		if u, err := url.Parse(text); err == nil && strings.EqualFold(u.Hostname(), "e.coronawarn.app") {
			return &ForeignVenue{raw: text, kind: KindForeignVenueDE, Country: "DE"}, true
		}
	}
	return nil, false
}

func isNationalVenueURL(text string) bool {
	s := text
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == "tokhaiyte.vn" || host == "www.tokhaiyte.vn"
}

func parseNationalVenue(text string) (*NationalVenue, error) {
	const kind = KindNationalVenue
	s := text
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, newPayloadError(ErrUnknownFormat, kind, fieldNone, "bad URL")
	}
	q := u.Query()
	if !strings.EqualFold(q.Get("page"), "Group.checkin") {
		return nil, newPayloadError(ErrBadField, kind, field{"page", "trang"}, "")
	}
	id := q.Get("groupId")
	if len(id) != 24 || !isHex(id) {
		return nil, newPayloadError(ErrBadVenueID, kind, fieldGroupID, "")
	}
	return &NationalVenue{raw: text, GroupID: strings.ToLower(id)}, nil
}
