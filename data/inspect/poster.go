package inspect

import "qrward/data"

// Poster verdicts, the stable names of scan.VerdictStatus plus
// "unreadable" for a poster no QR could be decoded from.
const (
	PosterGenuine       = "genuine"
	PosterOtherVenue    = "other_venue"
	PosterRevoked       = "revoked"
	PosterUnknownIssuer = "unknown_issuer"
	PosterForged        = "forged"
	PosterMalformed     = "malformed"
	PosterUnreadable    = "unreadable"
)

// PosterCheck is the verdict on the QR poster hanging at a venue.
type PosterCheck struct {
	Status string `json:"status"`
	// Detail is the verifier's explanation (Vietnamese), for the note.
	Detail string `json:"detail,omitempty"`
	// Text is the decoded payload ("" when unreadable).
	Text string `json:"text,omitempty"`
}

// OK reports whether the poster is genuine, this venue's and current.
func (c PosterCheck) OK() bool { return c.Status == PosterGenuine }

// PosterVerifier checks a scanned poster against the venue being
// inspected. The QR engine satisfies it through a small adapter:
//
//	type scanPosters struct{ kr scan.Keyring; issues scan.IssueRegistry }
//	func (p scanPosters) VerifyPoster(text string, venue data.ID) inspect.PosterCheck {
//		if text == "" { return inspect.PosterCheck{Status: inspect.PosterUnreadable} }
//		id := [16]byte(venue)
//		v := scan.VerifyVenueCode(text, p.kr, scan.Expectation{VenueID: &id, Issues: p.issues})
//		return inspect.PosterCheck{Status: v.Status.String(), Detail: v.MessageVI(), Text: text}
//	}
type PosterVerifier interface {
	VerifyPoster(text string, venue data.ID) PosterCheck
}

// PosterAnswer turns a poster check into the answer of the template's
// poster item: a wrong or unreadable poster is itself a finding ("no").
func PosterAnswer(t *Template, c PosterCheck) (Answer, bool) {
	for _, it := range t.Items {
		if it.Poster {
			a := Answer{Item: it.Key, Value: AnswerYes}
			if !c.OK() {
				a.Value = AnswerNo
				a.Note = "Mã QR niêm yết: " + posterNoteVI[c.Status]
				if c.Detail != "" {
					a.Note += " (" + c.Detail + ")"
				}
			}
			return a, true
		}
	}
	return Answer{}, false
}

// posterNoteVI words a failed poster check in the record's language: the
// note becomes part of an official Vietnamese document.
var posterNoteVI = map[string]string{
	PosterOtherVenue:    "cấp cho địa điểm khác",
	PosterRevoked:       "đã bị thu hồi hoặc là bản cũ",
	PosterUnknownIssuer: "không do cơ quan được tin cậy cấp",
	PosterForged:        "chữ ký không hợp lệ (giả mạo hoặc bị sửa)",
	PosterMalformed:     "không phải mã địa điểm hợp lệ",
	PosterUnreadable:    "không quét được",
}
