package inspect

import (
	"strings"
	"time"

	"qrward/data"
)

// Schedule is one planned inspection round (Phụ lục I of the Đà Nẵng
// letter: area, date and time, team) with the focal contacts of the
// offices involved (Phụ lục II).
type Schedule struct {
	ID       data.ID
	WardCode string
	Area     string // "Quận Hải Châu và Quận Thanh Khê"
	StartsAt time.Time
	EndsAt   *time.Time
	Team     []TeamMember
	Contacts []Contact
	data.SyncMeta
}

// TeamMember is one member of the inspection team.
type TeamMember struct {
	Name   string `json:"name"`
	Agency string `json:"agency"` // "Sở Y tế", "UBND phường Hải Châu I"
	Role   string `json:"role"`   // "Trưởng đoàn", "Thành viên"
	// Team names the sub-team a member works in, when a round splits up.
	Team string `json:"team,omitempty"`
}

// Contact is one focal contact (đầu mối phối hợp).
type Contact struct {
	Agency   string `json:"agency"`
	Name     string `json:"name"`
	Position string `json:"position"`
	Phone    string `json:"phone"`
}

// Normalize cleans the schedule and reports every problem at once.
func (s *Schedule) Normalize() error {
	var v data.Validation
	s.Area = data.Clean(s.Area)
	s.WardCode = strings.TrimSpace(s.WardCode)
	if s.Area == "" {
		v.Add("area", "err.required")
	}
	if s.StartsAt.IsZero() {
		v.Add("starts_at", "err.required")
	}
	if s.EndsAt != nil && s.EndsAt.Before(s.StartsAt) {
		v.Add("ends_at", "err.time_out_before_in")
	}
	for i := range s.Team {
		m := &s.Team[i]
		m.Name, m.Agency, m.Role, m.Team = data.Clean(m.Name), data.Clean(m.Agency), data.Clean(m.Role), data.Clean(m.Team)
		if m.Agency == "" {
			v.Add("team", "err.team_member_agency", i+1)
		}
	}
	for i := range s.Contacts {
		c := &s.Contacts[i]
		c.Agency, c.Name, c.Position = data.Clean(c.Agency), data.Clean(c.Name), data.Clean(c.Position)
		if c.Name == "" || c.Agency == "" {
			v.Add("contacts", "err.contact_incomplete", i+1)
		}
		if strings.TrimSpace(c.Phone) != "" {
			p, err := data.NormalizePhone(c.Phone)
			if err != nil {
				v.Add("contacts", "err.contact_phone", i+1, c.Phone)
			} else {
				c.Phone = p
			}
		}
	}
	return v.Err()
}

// Teams lists the distinct sub-team names of a schedule ("" = one team).
func (s *Schedule) Teams() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range s.Team {
		if !seen[m.Team] {
			seen[m.Team] = true
			out = append(out, m.Team)
		}
	}
	return out
}

// Reasons a venue is proposed for a round.
const (
	ReasonSilent        = "silent"         // registered, no scans lately
	ReasonOpenViolation = "open_violation" // a violation not closed
	ReasonReinspection  = "reinspection"   // paid or suspended: due for a visit
	ReasonNeverVisited  = "never_visited"
	ReasonCitizenReport = "citizen_report" // an open report by a citizen (Hue-S, hotline)
	ReasonSelected      = "selected"       // by ward or category only
)

// RoundFilter chooses venues for a round. Zero values mean "any"; the
// boolean criteria are alternatives (a venue matching any is proposed).
type RoundFilter struct {
	WardCode string
	Category string
	// SilentDays > 0 proposes venues with no check-in for that many days.
	SilentDays     int
	OpenViolations bool
	Reinspection   bool
	NeverVisited   bool
	CitizenReports bool
	Now            time.Time
	Limit          int
}

// Candidate is a venue proposed for a round with the reasons.
type Candidate struct {
	Venue   data.VenueRow
	Reasons []string
}
