package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"time"

	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/sqlite"
)

// HistoryResult counts what GenerateHistory added.
type HistoryResult struct {
	Schedules, Inspections, Violations, Documents int
	// ByStatus counts violations per lifecycle status.
	ByStatus map[string]int
}

// Fictional officials of the demo ward and district offices.
var demoOfficials = []inspect.Official{
	{Name: "Trần Văn Bình", Title: "Phó Chủ tịch UBND phường", Agency: "UBND phường"},
	{Name: "Lê Thị Thu Hà", Title: "Công chức Văn phòng - Thống kê", Agency: "UBND phường"},
	{Name: "Nguyễn Hữu Phúc", Title: "Cán bộ Trạm Y tế", Agency: "Trạm Y tế phường"},
	{Name: "Phan Minh Khánh", Title: "Chuyên viên", Agency: "Phòng Văn hóa - Thông tin quận"},
}

var (
	wardChairman     = inspect.Official{Name: "Phạm Ngọc Ánh", Title: "Chủ tịch Ủy ban nhân dân phường"}
	districtChairman = inspect.Official{Name: "Võ Thanh Sơn", Title: "Chủ tịch Ủy ban nhân dân quận Hải Châu"}
)

// demoPlans are the lifecycle paths the demo's violations follow, one
// per violation in turn, so every status appears. "refer" is a decision
// tried by the ward chairman above his cap: refused, and referred up.
var demoPlans = [][]string{
	{},
	{inspect.ActRecord},
	{inspect.ActRecord, inspect.ActExplain},
	{inspect.ActRecord, "refer"},
	{inspect.ActRecord, inspect.ActDecide},
	{inspect.ActRecord, inspect.ActDecide, inspect.ActRemind},
	{inspect.ActRecord, inspect.ActDecide, inspect.ActRemind, inspect.ActPay},
	{inspect.ActRecord, inspect.ActDecide, inspect.ActRemind, inspect.ActRemind, inspect.ActRemind, inspect.ActRemind, inspect.ActSuspend},
	{inspect.ActRecord, inspect.ActDecide, inspect.ActPay, inspect.ActReinspect},
	{inspect.ActRecord, inspect.ActDecide, inspect.ActRemind, inspect.ActRemind, inspect.ActRemind, inspect.ActRemind,
		inspect.ActSuspend, inspect.ActReinspect, inspect.ActClose},
	{inspect.ActRecord, inspect.ActExplain, inspect.ActDecide, inspect.ActPay, inspect.ActReinspect, inspect.ActClose},
}

// demoDay is the day after the finding a step of a plan happens on: the
// decision waits out the explanation window (5 working days, plus room
// for a weekend and a holiday).
func demoDay(action string, step int) int {
	switch action {
	case inspect.ActRecord:
		return 0
	case inspect.ActExplain:
		return 1
	case inspect.ActDecide, "refer":
		return 10
	}
	return 10 + 2*step
}

// GenerateHistory adds a realistic inspection history to a demo replica:
// three inspection rounds with their teams and contacts, visits with
// answered checklists, poster checks and photos, and the violations they
// found driven to every lifecycle step (recorded, explained, referred,
// decided, reminded, paid, suspended, re-inspected, closed) with their
// numbered documents. Contents are deterministic per seed; row ids are
// fresh UUIDs. now must fall in a year the holiday calendar covers.
func GenerateHistory(ctx context.Context, s *sqlite.Store, seed uint64, now time.Time) (HistoryResult, error) {
	res := HistoryResult{ByStatus: map[string]int{}}
	rng := rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc908))
	saved := s.Now
	defer func() { s.Now = saved }()
	clock := now
	s.Now = func() time.Time { return clock }
	lib, err := s.InspectLibrary(ctx)
	if err != nil {
		return res, err
	}
	var wards []data.AdminUnit
	for _, w := range s.Units().Wards() {
		rows, err := s.SearchVenues(ctx, data.VenueFilter{WardCode: w.Code})
		if err != nil {
			return res, err
		}
		if len(rows) > 0 {
			wards = append(wards, w)
		}
		if len(wards) == 3 {
			break
		}
	}
	if len(wards) == 0 {
		return res, data.Errorf(data.ENotFound, "err.demo_history_no_venues")
	}
	photo := demoPhoto()
	var found []inspect.Violation
	for round, ago := range []int{45, 30, 6} {
		w := wards[round%len(wards)]
		start := time.Date(now.Year(), now.Month(), now.Day(), 8, 0, 0, 0, now.Location()).AddDate(0, 0, -ago)
		for start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
			start = start.AddDate(0, 0, 1)
		}
		clock = start.AddDate(0, 0, -3)
		sc := inspect.Schedule{WardCode: w.Code, Area: w.FullName(), StartsAt: start,
			Team: []inspect.TeamMember{
				{Name: demoOfficials[0].Name, Agency: "UBND " + w.FullName(), Role: "Trưởng đoàn", Team: "Tổ 1"},
				{Name: demoOfficials[2].Name, Agency: "Trạm Y tế " + w.FullName(), Role: "Thành viên", Team: "Tổ 1"},
				{Name: demoOfficials[1].Name, Agency: "UBND " + w.FullName(), Role: "Tổ trưởng", Team: "Tổ 2"},
				{Name: demoOfficials[3].Name, Agency: "Phòng Văn hóa - Thông tin quận", Role: "Thành viên", Team: "Tổ 2"},
			},
			Contacts: []inspect.Contact{
				{Agency: "UBND " + w.FullName(), Name: demoOfficials[1].Name, Position: "Văn phòng - Thống kê", Phone: "0905000101"},
				{Agency: "Trạm Y tế " + w.FullName(), Name: demoOfficials[2].Name, Position: "Trưởng trạm", Phone: "0905000102"},
			}}
		if err := s.SaveSchedule(ctx, &sc); err != nil {
			return res, err
		}
		res.Schedules++
		cands, err := s.ProposeVenues(ctx, inspect.RoundFilter{WardCode: w.Code, SilentDays: 7, OpenViolations: true,
			Reinspection: true, Now: start, Limit: 10})
		if err != nil {
			return res, err
		}
		half := len(cands) / 2
		if err := s.AssignVenues(ctx, sc.ID, "Tổ 1", cands[:half]); err != nil {
			return res, err
		}
		if err := s.AssignVenues(ctx, sc.ID, "Tổ 2", cands[half:]); err != nil {
			return res, err
		}
		for i, c := range cands {
			at := start.Add(time.Duration(i*25) * time.Minute)
			clock = at
			visit := inspect.Visit{}
			visit.VenueID, visit.ScheduleID, visit.StartedAt = c.Venue.ID, sc.ID, at
			visit.Inspector = demoOfficials[i%2].Name
			if err := s.StartInspection(ctx, &visit); err != nil {
				return res, err
			}
			tpl, err := lib.Templates.ByID(visit.Template, visit.TemplateVersion)
			if err != nil {
				return res, err
			}
			poster := inspect.PosterCheck{Status: inspect.PosterGenuine}
			failScan, failWarn := rng.IntN(100) < 45, rng.IntN(100) < 25
			if rng.IntN(100) < 20 {
				poster = inspect.PosterCheck{Status: []string{inspect.PosterOtherVenue, inspect.PosterUnreadable,
					inspect.PosterRevoked}[rng.IntN(3)]}
			}
			for _, it := range tpl.Items {
				if it.Poster {
					continue
				}
				a := inspect.Answer{Item: it.Key, Value: inspect.AnswerYes, At: clock,
					GPS: fmt.Sprintf("16.%04d,108.%04d", 600+rng.IntN(300), 2000+rng.IntN(300)), GPSManual: true}
				switch {
				case failScan && (it.Key == "staff_device" || (it.Key == "control_method" && tpl.ID == "venue_qr")):
					a.Value, a.Note = inspect.AnswerNo, "Quan sát 15 phút: 9 khách vào, không ai được quét mã"
				case failWarn && it.Key == "vaccinated":
					a.Value, a.Note = inspect.AnswerNo, "01 nhân viên chưa tiêm vắc xin"
				}
				clock = clock.Add(time.Minute)
				if _, err := s.SaveAnswer(ctx, visit.ID, a); err != nil {
					return res, err
				}
			}
			if _, err := s.RecordPoster(ctx, visit.ID, poster); err != nil {
				return res, err
			}
			if failScan || !poster.OK() {
				item := "qr_posted"
				if failScan {
					item = "staff_device"
					if tpl.ID == "venue_qr" {
						item = "control_method"
					}
				}
				if _, err := s.AddPhoto(ctx, visit.ID, item, photo); err != nil {
					return res, err
				}
			}
			clock = at.Add(20 * time.Minute)
			fin, err := s.FinishInspection(ctx, visit.ID, sqlite.FinishInput{At: clock, By: "demo",
				Officials: demoOfficials[i%2 : i%2+2]})
			if err != nil {
				return res, err
			}
			res.Inspections++
			res.Documents++
			found = append(found, fin.Violations...)
		}
	}
	// Drive the violations along the plans, as far as time allows.
	for i, v := range found {
		plan := demoPlans[len(demoPlans)-1-i%len(demoPlans)] // the oldest findings go furthest
		days := int(now.Sub(v.FoundAt).Hours() / 24)
		for k, action := range plan {
			day := demoDay(action, k)
			if day > days {
				break
			}
			at := time.Date(v.FoundAt.Year(), v.FoundAt.Month(), v.FoundAt.Day(), 9, 0, 0, 0, v.FoundAt.Location()).AddDate(0, 0, day)
			if day == 0 {
				at = v.FoundAt.Add(30 * time.Minute)
			}
			clock = at
			in := sqlite.StepInput{Action: action, At: at, By: "demo"}
			switch action {
			case inspect.ActRecord:
				in.Officials = demoOfficials[:2]
				in.Witnesses = []inspect.Official{{Name: "Huỳnh Thị Lan", Title: "Tổ trưởng tổ dân phố"}}
				in.Statement = "Thừa nhận vi phạm, xin khắc phục ngay"
			case inspect.ActExplain:
				in.Note = "Nhận văn bản giải trình của chủ cơ sở"
			case inspect.ActDecide, "refer":
				in.Action, in.SignerRole, in.Signer = inspect.ActDecide, "ward_chairman", wardChairman
				if _, err := s.ApplyStep(ctx, v.ID, in); err == nil {
					res.Documents++
					continue
				} else if _, ok := inspect.RefusalOf(err); !ok {
					return res, err
				}
				if action == "refer" {
					continue // left referred to the district
				}
				in.SignerRole, in.Signer = "district_chairman", districtChairman
			case inspect.ActSuspend:
				in.Signer = wardChairman
			}
			r, err := s.ApplyStep(ctx, v.ID, in)
			if err != nil {
				return res, err
			}
			if r.Document != nil {
				res.Documents++
			}
		}
	}
	all, err := s.Violations(ctx, sqlite.RegisterFilter{})
	if err != nil {
		return res, err
	}
	for _, v := range all {
		res.ByStatus[v.Status]++
	}
	res.Violations = len(all)
	return res, nil
}

// demoPhoto is a small deterministic stand-in for a webcam snapshot.
func demoPhoto() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 160; x++ {
			img.Set(x, y, color.RGBA{uint8(120 + x/2), uint8(140 + y/2), 160, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
