package inspect

import (
	"io/fs"
	"strings"
	"time"

	"qrward/data"
)

// Holiday kinds in the calendar file. Lunar holidays (Tết Nguyên đán,
// Giỗ Tổ Hùng Vương on the 10th of the 3rd lunar month) move every year,
// so every year lists its dates explicitly rather than computing them.
const (
	HolidayFixed        = "fixed"
	HolidayTet          = "tet"
	HolidayHungKings    = "hung_kings"
	HolidayCompensatory = "compensatory" // nghỉ bù
)

// Calendar knows which days are working days for a government office:
// Monday to Friday, except public holidays and compensatory days off,
// plus the Saturdays worked to swap a bridge day (đi làm bù).
type Calendar struct {
	ID       string         `json:"id"`
	Version  string         `json:"version"`
	Title    string         `json:"title"`
	Source   string         `json:"source"`
	Years    []CalendarYear `json:"years"`
	holidays map[time.Time]string
	workdays map[time.Time]bool
	known    map[int]bool
}

// CalendarYear is one year of the calendar.
type CalendarYear struct {
	Year         int       `json:"year"`
	LunarNewYear string    `json:"lunar_new_year"` // mùng 1 Tết, for reference
	Holidays     []Holiday `json:"holidays"`
	Workdays     []Holiday `json:"workdays"`
}

// Holiday is one day off (or, in Workdays, one weekend day worked).
type Holiday struct {
	Date string `json:"date"`
	Kind string `json:"kind,omitempty"`
	Name string `json:"name"`
}

// ParseCalendar decodes and validates a holiday file: dates inside their
// year, no duplicates, worked days only on weekends, and every year with
// its fixed holidays (1/1, 30/4, 1/5, 2/9), Tết and Giỗ Tổ, so a year
// typed half-way is refused rather than giving wrong deadlines.
func ParseCalendar(file string, b []byte) (*Calendar, error) {
	var c Calendar
	if err := decodeStrict(file, b, &c); err != nil {
		return nil, err
	}
	c.holidays = map[time.Time]string{}
	c.workdays = map[time.Time]bool{}
	c.known = map[int]bool{}
	p := problems{file: file}
	if len(c.Years) == 0 {
		p.add("years", "err.inspect_empty")
	}
	for i, y := range c.Years {
		if c.known[y.Year] {
			p.add(at("years[%d].year", i), "err.inspect_duplicate", y.Year)
		}
		c.known[y.Year] = true
		kinds := map[string]bool{}
		for j, h := range y.Holidays {
			place := at("years[%d].holidays[%d]", i, j)
			d, err := time.Parse(dateLayout, h.Date)
			switch {
			case err != nil:
				p.add(place+".date", "err.inspect_date", h.Date)
				continue
			case d.Year() != y.Year:
				p.add(place+".date", "err.holiday_wrong_year", h.Date, y.Year)
				continue
			case c.holidays[d] != "":
				p.add(place+".date", "err.inspect_duplicate", h.Date)
			}
			switch h.Kind {
			case HolidayFixed, HolidayTet, HolidayHungKings, HolidayCompensatory:
			default:
				p.add(place+".kind", "err.holiday_kind", h.Kind)
			}
			if strings.TrimSpace(h.Name) == "" {
				p.add(place+".name", "err.inspect_required")
			}
			c.holidays[d] = h.Name
			kinds[h.Kind] = true
			if h.Kind == HolidayFixed {
				kinds[d.Format("01-02")] = true
			}
		}
		for _, need := range []string{"01-01", "04-30", "05-01", "09-02", HolidayTet, HolidayHungKings} {
			if !kinds[need] {
				p.add(at("years[%d]", i), "err.holiday_missing", y.Year, need)
			}
		}
		for j, w := range y.Workdays {
			place := at("years[%d].workdays[%d].date", i, j)
			d, err := time.Parse(dateLayout, w.Date)
			switch {
			case err != nil:
				p.add(place, "err.inspect_date", w.Date)
			case d.Year() != y.Year:
				p.add(place, "err.holiday_wrong_year", w.Date, y.Year)
			case d.Weekday() != time.Saturday && d.Weekday() != time.Sunday:
				p.add(place, "err.workday_not_weekend", w.Date)
			default:
				c.workdays[d] = true
			}
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return &c, nil
}

// LoadCalendar reads the holiday file(s) of dir; several files are merged
// (e.g. the shipped file plus an office's file for next year), and a year
// defined twice is refused.
func LoadCalendar(fsys fs.FS, dir string) (*Calendar, error) {
	files, err := readDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out *Calendar
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		c, err := ParseCalendar(f, b)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = c
			continue
		}
		for y := range c.known {
			if out.known[y] {
				return nil, fileErr(f, "err.inspect_duplicate", "years", y)
			}
			out.known[y] = true
		}
		for d, n := range c.holidays {
			out.holidays[d] = n
		}
		for d := range c.workdays {
			out.workdays[d] = true
		}
		out.Years = append(out.Years, c.Years...)
	}
	if out == nil {
		return nil, data.Errorf(data.ENotFound, "err.inspect_dir_missing", dir)
	}
	return out, nil
}

// Covers reports whether the calendar lists the year's holidays.
func (c *Calendar) Covers(year int) bool { return c.known[year] }

// Holiday returns the holiday name of a day ("" for none).
func (c *Calendar) Holiday(day time.Time) string { return c.holidays[dateOnly(day)] }

// IsWorkingDay reports whether day is a working day. A day of a year the
// calendar does not cover is an error: guessing would give a wrong legal
// deadline.
func (c *Calendar) IsWorkingDay(day time.Time) (bool, error) {
	d := dateOnly(day)
	if !c.known[d.Year()] {
		return false, data.Errorf(data.ENotFound, "err.holidays_year_unknown", d.Year())
	}
	if c.workdays[d] {
		return true, nil
	}
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return false, nil
	}
	return c.holidays[d] == "", nil
}

// AddWorkingDays returns the n-th working day after from (n ≥ 1): the
// deadline "within n working days from" an event on from. The result keeps
// from's location and is the end of that day in it.
func (c *Calendar) AddWorkingDays(from time.Time, n int) (time.Time, error) {
	y, m, d := from.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, from.Location())
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		ok, err := c.IsWorkingDay(day)
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			n--
		}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, from.Location()), nil
}

// WorkingDaysBetween counts the working days after from up to and
// including to (0 when to is not after from).
func (c *Calendar) WorkingDaysBetween(from, to time.Time) (int, error) {
	n := 0
	y, m, d := from.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	end := dateOnly(to.In(from.Location()))
	for day.Before(end) {
		day = day.AddDate(0, 0, 1)
		ok, err := c.IsWorkingDay(day)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}
