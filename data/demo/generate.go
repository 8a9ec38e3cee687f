package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"qrward/data"
	"qrward/data/sqlite"
)

// Options size and seed a demo replica.
type Options struct {
	Seed          uint64
	DistrictCode  string // default "492", quận Hải Châu
	VenuesPerWard int    // default 600
	Checkins      int    // total check-ins; default 300,000
	Days          int    // days of check-ins ending at Now; default 21
	Cases         int    // F0 cases; default 5
	// SilentShare is the share of venues with no check-in at all in the
	// period (registered but never scanned); default 0.25.
	SilentShare float64
	// Now ends the period; default the current time.
	Now time.Time
	// KeyPassphrase protects the demo office's venue-QR signing key;
	// default DemoPassphrase.
	KeyPassphrase string
	// Progress, if set, is told the phase and rows written so far.
	Progress func(phase string, done, total int)
}

// DemoPassphrase unlocks the demo office's signing key (demo data only).
const DemoPassphrase = "qrward-demo"

// Result counts what was generated.
type Result struct {
	Wards, Venues, People, Checkins, Cases int
	Elapsed                                time.Duration
	// IndexElapsed is the part of Elapsed spent building indexes and
	// statistics after the rows were written.
	IndexElapsed time.Duration
}

func (o *Options) defaults() {
	if o.DistrictCode == "" {
		o.DistrictCode = "492"
	}
	if o.VenuesPerWard <= 0 {
		o.VenuesPerWard = 600
	}
	if o.Checkins < 0 {
		o.Checkins = 0
	} else if o.Checkins == 0 {
		o.Checkins = 300_000
	}
	if o.Days <= 0 {
		o.Days = 21
	}
	if o.Cases == 0 {
		o.Cases = 5
	}
	if o.SilentShare == 0 {
		o.SilentShare = 0.25
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.KeyPassphrase == "" {
		o.KeyPassphrase = DemoPassphrase
	}
	if o.Progress == nil {
		o.Progress = func(string, int, int) {}
	}
}

type generator struct {
	opt  Options
	rng  *rand.Rand
	bulk *sqlite.Bulk
	dev  data.ID
	res  Result
}

// id draws a deterministic UUIDv7 for time t.
func (g *generator) id(t time.Time) data.ID { return data.NewIDAt(t, g.rng.Uint64(), g.rng.Uint64()) }

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// Generate fills an empty replica with demo data. It refuses a replica
// that already holds venues, so real data is never mixed with demo rows.
func Generate(ctx context.Context, s *sqlite.Store, opt Options) (Result, error) {
	start := time.Now()
	opt.defaults()
	counts, err := s.Counts(ctx)
	if err != nil {
		return Result{}, err
	}
	if counts.Venues > 0 {
		return Result{}, data.Errorf(data.EConflict, "err.demo_not_empty", s.Path())
	}
	var wards []data.AdminUnit
	for _, w := range s.Units().Wards() {
		if w.ParentCode == opt.DistrictCode {
			wards = append(wards, w)
		}
	}
	if len(wards) == 0 {
		return Result{}, data.Errorf(data.ENotFound, "err.district_unknown", opt.DistrictCode)
	}
	g := &generator{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15)), dev: s.DeviceID()}
	g.res.Wards = len(wards)
	g.bulk, err = s.BeginBulk(ctx)
	if err != nil {
		return Result{}, err
	}
	venues, err := g.venues(wards)
	if err == nil {
		err = g.checkins(ctx, venues)
	}
	if err != nil {
		g.bulk.Abort()
		return Result{}, err
	}
	var indexStart time.Time
	if err := g.bulk.Commit(func() { indexStart = time.Now(); opt.Progress("index", 0, 1) }); err != nil {
		return Result{}, err
	}
	g.res.IndexElapsed = time.Since(indexStart)
	district, _ := s.Units().Unit(opt.DistrictCode)
	for k, v := range map[string]string{
		"office.level": "district", "office.code": opt.DistrictCode,
		"office.name": "UBND " + district.FullName(), "demo.seed": fmt.Sprint(opt.Seed),
	} {
		if err := s.SetSetting(ctx, k, v); err != nil {
			return Result{}, err
		}
	}
	if _, err := GenerateHistory(ctx, s, opt.Seed, opt.Now); err != nil {
		return Result{}, err
	}
	// The history went through the ordinary store calls, which queue each
	// edit for the hub; demo rows are not local work to upload.
	if err := s.TrimOutbox(ctx, math.MaxInt64); err != nil {
		return Result{}, err
	}
	// The district office signs posters with its seat ward's code.
	if _, err := s.CreateOfficeKey(ctx, "UBND "+district.FullName(), wards[0].Code, []byte(opt.KeyPassphrase)); err != nil {
		return Result{}, err
	}
	g.res.Elapsed = time.Since(start)
	return g.res, nil
}

type venueInfo struct {
	id         data.ID
	category   string
	popularity float64 // relative share of check-ins
	stay       int     // minutes
}

func (g *generator) person(created time.Time, female bool) data.Person {
	var middle, given []string
	sex := "Nam"
	if female {
		middle, given, sex = middleNamesFemale, givenNamesFemale, "Nữ"
	} else {
		middle, given = middleNamesMale, givenNamesMale
	}
	name := g.pick(familyNames) + " " + g.pick(middle) + " " + g.pick(given)
	year := 1950 + g.rng.IntN(56)
	born := time.Date(year, time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
	century := 0
	if year >= 2000 {
		century = 2
	}
	if female {
		century++
	}
	return data.Person{
		ID:        g.id(created),
		FullName:  name,
		Phone:     g.pick(phonePrefixes) + fmt.Sprintf("%07d", g.rng.IntN(10_000_000)),
		IDNumber:  fmt.Sprintf("048%d%02d%06d", century, year%100, g.rng.IntN(1_000_000)),
		QID:       fmt.Sprintf("%018d", g.rng.Uint64()%1_000_000_000_000_000_000),
		BirthDate: born.Format("2006-01-02"),
		Sex:       sex,
		SyncMeta:  data.SyncMeta{DeviceID: g.dev, Version: 1, CreatedAt: created, UpdatedAt: created},
	}
}

func (g *generator) weightedCategory() string {
	keys := make([]string, 0, len(categoryWeights))
	total := 0
	for k, w := range categoryWeights {
		keys = append(keys, k)
		total += w
	}
	sort.Strings(keys) // map order is random; determinism needs a fixed order
	n := g.rng.IntN(total)
	for _, k := range keys {
		n -= categoryWeights[k]
		if n < 0 {
			return k
		}
	}
	return keys[0]
}

func (g *generator) venues(wards []data.AdminUnit) ([]venueInfo, error) {
	total := len(wards) * g.opt.VenuesPerWard
	out := make([]venueInfo, 0, total)
	begin := g.opt.Now.AddDate(-1, 0, 0)
	for wi, w := range wards {
		var fixed []struct{ ward, category, name, address string }
		for _, l := range landmarks {
			if l.ward == w.Code {
				fixed = append(fixed, l)
			}
		}
		for i := 0; i < g.opt.VenuesPerWard; i++ {
			created := begin.Add(time.Duration(g.rng.Int64N(int64(300 * 24 * time.Hour))))
			owner := g.person(created, g.rng.IntN(2) == 0)
			v := data.Venue{
				ID:          g.id(created),
				Code:        fmt.Sprintf("%s-%04d", w.Code, i+1),
				WardDataset: w.Dataset,
				WardCode:    w.Code,
				OwnerID:     owner.ID,
				Status:      data.VenueOpen,
				Commitment:  data.CommitmentApproved,
				SyncMeta:    data.SyncMeta{DeviceID: g.dev, Version: 1, CreatedAt: created, UpdatedAt: created},
			}
			if i < len(fixed) {
				v.Category, v.Name, v.Address = fixed[i].category, fixed[i].name, fixed[i].address
			} else {
				v.Category = g.weightedCategory()
				v.Name = g.pick(categoryNames[v.Category]) + " " + g.pick(nameStems)
				v.Address = fmt.Sprintf("%d %s", 1+g.rng.IntN(400), g.pick(streets))
			}
			v.ControlMethod = data.RequiredControl(v.Category)
			if g.rng.Float64() < 0.06 { // some self-scan where staff scanning is required
				v.ControlMethod = data.ControlVenueQR
			}
			switch r := g.rng.Float64(); {
			case r < 0.03:
				v.Status = data.VenueSuspended
			case r < 0.05:
				v.Commitment = data.CommitmentSigned
			case r < 0.07:
				v.Commitment = data.CommitmentNone
			}
			if g.rng.Float64() < 0.8 {
				v.QRSerial = 1
				issued := created.AddDate(0, 0, 3)
				v.QRIssuedOn = &issued
			}
			v.RegisteredOn = created
			v.OwnerName, v.OwnerPhone = owner.FullName, owner.Phone
			if err := g.bulk.Person(&owner); err != nil {
				return nil, err
			}
			if err := g.bulk.Venue(&v); err != nil {
				return nil, err
			}
			cat, _ := data.CategoryByKey(v.Category)
			info := venueInfo{id: v.ID, category: v.Category, stay: cat.DefaultStayMinutes}
			// Popularity follows a heavy tail: most venues see a few scans a
			// day, a few (markets, supermarkets) see thousands.
			if g.rng.Float64() >= g.opt.SilentShare && v.Status == data.VenueOpen {
				info.popularity = math.Exp(g.rng.NormFloat64() * 1.2)
				switch v.Category {
				case "market", "supermarket", "health":
					info.popularity *= 20
				case "school", "office", "enterprise", "factory":
					info.popularity *= 3
				}
			}
			out = append(out, info)
			g.res.Venues++
			g.res.People++
		}
		g.opt.Progress("venues", (wi+1)*g.opt.VenuesPerWard, total)
	}
	return out, nil
}

// hourWeights shapes check-in times over the day: morning commute, lunch,
// evening meals.
var hourWeights = [24]float64{0.1, 0.05, 0.02, 0.02, 0.05, 0.4, 1.5, 3.0, 3.2, 2.2, 2.0, 2.6, 2.8,
	2.0, 1.6, 1.6, 1.9, 2.4, 2.9, 2.8, 2.1, 1.2, 0.6, 0.25}

func cumulative(w []float64) []float64 {
	out := make([]float64, len(w))
	sum := 0.0
	for i, x := range w {
		sum += x
		out[i] = sum
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

func search(cum []float64, x float64) int {
	i := sort.SearchFloat64s(cum, x)
	if i >= len(cum) {
		i = len(cum) - 1
	}
	return i
}

func (g *generator) checkins(ctx context.Context, venues []venueInfo) error {
	n := g.opt.Checkins
	// Visitors: a resident pool; regulars return often.
	people := n / 25
	if people < 200 {
		people = 200
	}
	if people > 400_000 {
		people = 400_000
	}
	begin := g.opt.Now.AddDate(0, 0, -g.opt.Days)
	personIDs := make([]data.ID, people)
	for i := range personIDs {
		p := g.person(begin.Add(-time.Duration(g.rng.Int64N(int64(90*24*time.Hour)))), g.rng.IntN(2) == 0)
		if err := g.bulk.Person(&p); err != nil {
			return err
		}
		personIDs[i] = p.ID
		g.res.People++
	}
	pop := make([]float64, len(venues))
	for i, v := range venues {
		pop[i] = v.popularity
	}
	venueCum := cumulative(pop)
	hourCum := cumulative(hourWeights[:])
	// Check-ins are generated day by day in time order, so ids (UUIDv7)
	// and rowids grow together as on a real device.
	perDay := n / g.opt.Days
	rest := n - perDay*g.opt.Days
	visits := make([]int64, 0, perDay+rest)
	written := 0
	for day := 0; day < g.opt.Days; day++ {
		count := perDay
		if day == g.opt.Days-1 {
			count += rest
		}
		dayStart := time.Date(begin.Year(), begin.Month(), begin.Day()+day+1, 0, 0, 0, 0, g.opt.Now.Location())
		visits = visits[:0]
		for i := 0; i < count; i++ {
			h := search(hourCum, g.rng.Float64())
			t := dayStart.Unix() + int64(h*3600+g.rng.IntN(3600))
			if t > g.opt.Now.Unix() { // today's visits cannot be later than now
				t -= 86400
			}
			visits = append(visits, t)
		}
		sort.Slice(visits, func(i, j int) bool { return visits[i] < visits[j] })
		for _, t := range visits {
			tin := time.Unix(t, 0)
			vi := search(venueCum, g.rng.Float64())
			v := venues[vi]
			c := data.Checkin{
				ID:        g.id(tin),
				VenueID:   v.id,
				PersonID:  personIDs[int(float64(people)*math.Pow(g.rng.Float64(), 1.6))],
				TimeIn:    tin,
				Source:    data.SourceStaffScan,
				CodeKind:  "qrqg",
				StationID: g.dev,
			}
			switch r := g.rng.Float64(); {
			case data.RequiredControl(v.category) == data.ControlVenueQR && r < 0.7:
				c.Source, c.CodeKind = data.SourceSelfScan, ""
			case r < 0.04:
				c.Source, c.CodeKind = data.SourcePaper, ""
			case r < 0.10:
				c.CodeKind = "cccd"
			}
			if g.rng.Float64() < 0.3 {
				out := tin.Add(time.Duration(v.stay/2+g.rng.IntN(v.stay+1)) * time.Minute)
				c.TimeOut = &out
			}
			if g.rng.Float64() < 0.01 {
				c.RiskFlags = 1 << g.rng.IntN(5)
			}
			if err := g.bulk.Checkin(&c); err != nil {
				return err
			}
			written++
			if written%100_000 == 0 {
				if err := ctx.Err(); err != nil {
					return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
				}
				g.opt.Progress("checkins", written, n)
			}
		}
	}
	g.res.Checkins = written
	g.opt.Progress("checkins", written, n)
	return g.cases(begin, personIDs)
}

// cases makes F0 cases of regular visitors (the most active part of the
// pool, so tracing has visits to work on), confirmed in the last week.
func (g *generator) cases(begin time.Time, personIDs []data.ID) error {
	for i := 0; i < g.opt.Cases && i < len(personIDs); i++ {
		confirmed := g.opt.Now.AddDate(0, 0, -1-g.rng.IntN(6))
		onset := confirmed.AddDate(0, 0, -2-g.rng.IntN(3))
		start, end := data.DefaultWindow(onset, confirmed)
		if start.Before(begin) {
			start = begin
		}
		c := data.Case{
			ID:          g.id(confirmed),
			PersonID:    personIDs[g.rng.IntN(max(1, len(personIDs)/50))],
			ConfirmedOn: confirmed,
			OnsetOn:     &onset,
			WindowStart: start,
			WindowEnd:   end,
			Status:      "active",
			SyncMeta:    data.SyncMeta{DeviceID: g.dev, Version: 1, CreatedAt: confirmed, UpdatedAt: confirmed},
		}
		if err := g.bulk.Case(&c); err != nil {
			return err
		}
		g.res.Cases++
	}
	return nil
}
