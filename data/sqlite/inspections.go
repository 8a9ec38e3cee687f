package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"image"
	_ "image/jpeg" // photo evidence from webcams and phones
	_ "image/png"
	"net/http"
	"sort"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/inspect"
)

// InspectLibrary returns the checklists, rules and holidays the replica
// works with: the office's own copy when the setting "inspect.data_dir"
// names a folder (same layout as assets/), else the bundled files.
func (s *Store) InspectLibrary(ctx context.Context) (*inspect.Library, error) {
	dir, err := s.Setting(ctx, "inspect.data_dir")
	if err != nil {
		return nil, err
	}
	if dir != "" {
		return inspect.LoadDir(dir)
	}
	return inspect.Bundled()
}

// ---- schedules ----

type scheduleChange struct {
	ID       data.ID              `json:"id"`
	WardCode string               `json:"ward_code"`
	Area     string               `json:"area"`
	StartsAt int64                `json:"starts_at"`
	EndsAt   any                  `json:"ends_at"`
	Team     []inspect.TeamMember `json:"team"`
	Contacts []inspect.Contact    `json:"contacts"`
	Version  int64                `json:"version"`
}

// SaveSchedule validates and inserts (zero ID or new) or updates (known ID
// with the version read) an inspection schedule.
func (s *Store) SaveSchedule(ctx context.Context, sc *inspect.Schedule) error {
	if err := s.Require(data.PermInspect); err != nil {
		return err
	}
	if err := sc.Normalize(); err != nil {
		return err
	}
	team, _ := json.Marshal(sc.Team)
	contacts, _ := json.Marshal(sc.Contacts)
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		op := "update"
		if sc.ID.IsZero() || sc.Version == 0 {
			op = "insert"
			if sc.ID.IsZero() {
				sc.ID = data.NewID()
			}
			sc.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
			if _, err := tx.ExecContext(ctx, `INSERT INTO inspection_schedule(id, ward_code, area, starts_at, ends_at,
				team, contacts, device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
				sc.ID, sc.WardCode, sc.Area, sc.StartsAt.Unix(), unixOrNil(sc.EndsAt), string(team), string(contacts),
				s.deviceID, now.Unix(), now.Unix()); err != nil {
				return wrapDB(err, "insert schedule")
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE inspection_schedule SET ward_code = ?, area = ?, starts_at = ?,
				ends_at = ?, team = ?, contacts = ?, version = version + 1, updated_at = ?
				WHERE id = ? AND version = ? AND deleted_at IS NULL`, sc.WardCode, sc.Area, sc.StartsAt.Unix(),
				unixOrNil(sc.EndsAt), string(team), string(contacts), now.Unix(), sc.ID, sc.Version)
			if err != nil {
				return wrapDB(err, "update schedule")
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return data.Errorf(data.EConflict, "err.record_changed")
			}
			sc.Version++
			sc.UpdatedAt = now
		}
		return recordChange(ctx, tx, "inspection_schedule", sc.ID, op, sc.Version, scheduleChange{sc.ID, sc.WardCode,
			sc.Area, sc.StartsAt.Unix(), unixOrNil(sc.EndsAt), sc.Team, sc.Contacts, sc.Version}, now.Unix())
	})
}

const scheduleColumns = `id, ward_code, area, starts_at, ends_at, team, contacts, device_id, version, created_at, updated_at`

func scanSchedule(row interface{ Scan(...any) error }) (inspect.Schedule, error) {
	var sc inspect.Schedule
	var starts, created, updated int64
	var ends sql.NullInt64
	var team, contacts string
	if err := row.Scan(&sc.ID, &sc.WardCode, &sc.Area, &starts, &ends, &team, &contacts, &sc.DeviceID, &sc.Version,
		&created, &updated); err != nil {
		return sc, err
	}
	sc.StartsAt, sc.EndsAt = time.Unix(starts, 0), timePtr(ends)
	sc.CreatedAt, sc.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	if err := json.Unmarshal([]byte(team), &sc.Team); err != nil {
		return sc, err
	}
	return sc, json.Unmarshal([]byte(contacts), &sc.Contacts)
}

// Schedule reads one schedule.
func (s *Store) Schedule(ctx context.Context, id data.ID) (inspect.Schedule, error) {
	sc, err := scanSchedule(s.ro.QueryRowContext(ctx, `SELECT `+scheduleColumns+` FROM inspection_schedule
		WHERE id = ? AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sc, data.Errorf(data.ENotFound, "err.schedule_not_found")
	}
	return sc, wrapDB(err, "read schedule")
}

// Schedules lists schedules starting from `from` on (zero: all), by start.
func (s *Store) Schedules(ctx context.Context, from time.Time) ([]inspect.Schedule, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+scheduleColumns+` FROM inspection_schedule
		WHERE deleted_at IS NULL AND starts_at >= ? ORDER BY starts_at, area`, from.Unix())
	if err != nil {
		return nil, wrapDB(err, "list schedules")
	}
	return scanAll(rows, scanSchedule)
}

// ---- choosing venues for a round ----

// ProposeVenues lists the venues matching f's ward and category that are
// silent, have open violations, are due for re-inspection or were never
// visited (any of the criteria asked for; none asked: every venue of the
// ward and category), each with its reasons.
func (s *Store) ProposeVenues(ctx context.Context, f inspect.RoundFilter) ([]inspect.Candidate, error) {
	idx, err := s.VenueIndex(ctx)
	if err != nil {
		return nil, err
	}
	now := f.Now
	if now.IsZero() {
		now = s.Now()
	}
	setOf := func(q string, args ...any) (map[data.ID]bool, error) {
		rows, err := s.ro.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		m := map[data.ID]bool{}
		for rows.Next() {
			var id data.ID
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			m[id] = true
		}
		return m, rows.Err()
	}
	open, err := setOf(`SELECT DISTINCT venue_id FROM violation WHERE deleted_at IS NULL AND status <> ?`, inspect.StatusClosed)
	if err != nil {
		return nil, wrapDB(err, "propose venues")
	}
	due, err := setOf(`SELECT DISTINCT venue_id FROM violation WHERE deleted_at IS NULL AND status IN (?, ?)`,
		inspect.StatusPaid, inspect.StatusSuspended)
	if err != nil {
		return nil, wrapDB(err, "propose venues")
	}
	visited, err := setOf(`SELECT DISTINCT venue_id FROM inspection WHERE deleted_at IS NULL`)
	if err != nil {
		return nil, wrapDB(err, "propose venues")
	}
	reported, err := setOf(`SELECT DISTINCT venue_id FROM citizen_report WHERE deleted_at IS NULL AND status = 'open'`)
	if err != nil {
		return nil, wrapDB(err, "propose venues")
	}
	silentBefore := now.AddDate(0, 0, -f.SilentDays)
	any := f.SilentDays > 0 || f.OpenViolations || f.Reinspection || f.NeverVisited || f.CitizenReports
	var out []inspect.Candidate
	for _, i := range idx.Search(data.VenueFilter{WardCode: f.WardCode, Category: f.Category}) {
		r := idx.Row(i)
		if r.Status == data.VenueClosed {
			continue
		}
		var reasons []string
		if f.SilentDays > 0 && (r.LastCheckinAt == nil || r.LastCheckinAt.Before(silentBefore)) {
			reasons = append(reasons, inspect.ReasonSilent)
		}
		if f.OpenViolations && open[r.ID] {
			reasons = append(reasons, inspect.ReasonOpenViolation)
		}
		if f.Reinspection && due[r.ID] {
			reasons = append(reasons, inspect.ReasonReinspection)
		}
		if f.NeverVisited && !visited[r.ID] {
			reasons = append(reasons, inspect.ReasonNeverVisited)
		}
		if f.CitizenReports && reported[r.ID] {
			reasons = append(reasons, inspect.ReasonCitizenReport)
		}
		if !any {
			reasons = []string{inspect.ReasonSelected}
		}
		if len(reasons) > 0 {
			out = append(out, inspect.Candidate{Venue: r, Reasons: reasons})
		}
	}
	// Most reasons first, then by code, so the clerk sees the urgent ones.
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Reasons) != len(out[j].Reasons) {
			return len(out[i].Reasons) > len(out[j].Reasons)
		}
		return out[i].Venue.Code < out[j].Venue.Code
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// RoundVenue is a venue assigned to a round.
type RoundVenue struct {
	VenueID             data.ID
	Code, Name, Address string
	WardCode, Category  string
	Team                string
	Reasons             []string
	InspectionID        data.ID // the visit of this round, once started
	InspectionStatus    string
}

// AssignVenues adds venues to a schedule's round under a team (an
// already assigned venue moves to the new team), in one transaction.
func (s *Store) AssignVenues(ctx context.Context, schedule data.ID, team string, venues []inspect.Candidate) error {
	if err := s.Require(data.PermInspect); err != nil {
		return err
	}
	team = data.Clean(team)
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		for _, c := range venues {
			id := data.NewID()
			reasons := strings.Join(c.Reasons, ",")
			var version int64
			err := tx.QueryRowContext(ctx, `INSERT INTO inspection_round_venue(id, schedule_id, venue_id, team, reasons,
				device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
				ON CONFLICT(schedule_id, venue_id) DO UPDATE SET team = excluded.team, reasons = excluded.reasons,
					version = version + 1, updated_at = excluded.updated_at, deleted_at = NULL
				RETURNING id, version`, id, schedule, c.Venue.ID, team, reasons, s.deviceID, now, now).Scan(&id, &version)
			if err != nil {
				return wrapDB(err, "assign venue")
			}
			op := "update"
			if version == 1 {
				op = "insert"
			}
			if err := recordChange(ctx, tx, "inspection_round_venue", id, op, version, map[string]any{
				"id": id, "schedule_id": schedule, "venue_id": c.Venue.ID, "team": team, "reasons": reasons, "version": version,
			}, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// RoundVenues lists the venues of a schedule's round by team and code.
func (s *Store) RoundVenues(ctx context.Context, schedule data.ID) ([]RoundVenue, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT v.id, v.code, v.name, v.address, v.ward_code, v.category, r.team, r.reasons,
		(SELECT i.id FROM inspection i WHERE i.schedule_id = r.schedule_id AND i.venue_id = v.id AND i.deleted_at IS NULL
			ORDER BY i.started_at DESC LIMIT 1),
		COALESCE((SELECT i.status FROM inspection i WHERE i.schedule_id = r.schedule_id AND i.venue_id = v.id AND i.deleted_at IS NULL
			ORDER BY i.started_at DESC LIMIT 1), '')
		FROM inspection_round_venue r JOIN venue v ON v.id = r.venue_id
		WHERE r.schedule_id = ? AND r.deleted_at IS NULL ORDER BY r.team, v.code`, schedule)
	if err != nil {
		return nil, wrapDB(err, "list round")
	}
	defer rows.Close()
	var out []RoundVenue
	for rows.Next() {
		var rv RoundVenue
		var reasons string
		if err := rows.Scan(&rv.VenueID, &rv.Code, &rv.Name, &rv.Address, &rv.WardCode, &rv.Category, &rv.Team, &reasons,
			&rv.InspectionID, &rv.InspectionStatus); err != nil {
			return nil, err
		}
		if reasons != "" {
			rv.Reasons = strings.Split(reasons, ",")
		}
		out = append(out, rv)
	}
	return out, rows.Err()
}

// ---- visits ----

type inspectionChange struct {
	ID              data.ID         `json:"id"`
	VenueID         data.ID         `json:"venue_id"`
	ScheduleID      data.ID         `json:"schedule_id"`
	Status          string          `json:"status"`
	StartedAt       int64           `json:"started_at"`
	FinishedAt      any             `json:"finished_at"`
	Template        string          `json:"template"`
	TemplateVersion string          `json:"template_version"`
	Answers         inspect.Answers `json:"answers"`
	PosterVerdict   string          `json:"poster_verdict"`
	GPS             string          `json:"gps"`
	Place           string          `json:"place"`
	Inspector       string          `json:"inspector"`
	Notes           string          `json:"notes"`
	DocumentID      data.ID         `json:"document_id"`
	Version         int64           `json:"version"`
}

func visitChange(v *inspect.Visit) inspectionChange {
	return inspectionChange{v.ID, v.VenueID, v.ScheduleID, v.Status, v.StartedAt.Unix(), unixOrNil(v.FinishedAt),
		v.Template, v.TemplateVersion, v.Answers, v.PosterVerdict, v.GPS, v.Place, v.Inspector, v.Notes, v.DocumentID, v.Version}
}

// StartInspection opens a draft visit of a venue with the checklist its
// category requires (the template and version are kept with the draft).
func (s *Store) StartInspection(ctx context.Context, v *inspect.Visit) error {
	if err := s.Require(data.PermInspect); err != nil {
		return err
	}
	lib, err := s.InspectLibrary(ctx)
	if err != nil {
		return err
	}
	venue, err := s.Venue(ctx, v.VenueID)
	if err != nil {
		return err
	}
	tpl, err := lib.Templates.ForCategory(venue.Category)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		if v.ID.IsZero() {
			v.ID = data.NewID()
		}
		if v.StartedAt.IsZero() {
			v.StartedAt = now
		}
		v.Status, v.Template, v.TemplateVersion = "draft", tpl.ID, tpl.Version
		v.Inspector, v.Notes, v.Place = data.Clean(v.Inspector), data.Clean(v.Notes), data.Clean(v.Place)
		if v.Answers == nil {
			v.Answers = inspect.Answers{}
		}
		v.SyncMeta = data.SyncMeta{DeviceID: s.deviceID, Version: 1, CreatedAt: now, UpdatedAt: now}
		answers, _ := json.Marshal(v.Answers)
		var schedule any
		if !v.ScheduleID.IsZero() {
			schedule = v.ScheduleID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO inspection(id, venue_id, schedule_id, status, started_at, template,
			template_version, answers, gps, place, inspector, notes, device_id, version, created_at, updated_at)
			VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, v.ID, v.VenueID, schedule, v.StartedAt.Unix(),
			v.Template, v.TemplateVersion, string(answers), v.GPS, v.Place, v.Inspector, v.Notes, s.deviceID,
			now.Unix(), now.Unix()); err != nil {
			return wrapDB(err, "insert inspection")
		}
		return recordChange(ctx, tx, "inspection", v.ID, "insert", 1, visitChange(v), now.Unix())
	})
}

const visitColumns = `id, venue_id, schedule_id, status, started_at, finished_at, template, template_version, answers,
	poster_verdict, gps, place, inspector, notes, document_id, device_id, version, created_at, updated_at`

func scanVisit(row interface{ Scan(...any) error }) (inspect.Visit, error) {
	var v inspect.Visit
	var started, created, updated int64
	var finished sql.NullInt64
	var answers string
	if err := row.Scan(&v.ID, &v.VenueID, &v.ScheduleID, &v.Status, &started, &finished, &v.Template, &v.TemplateVersion,
		&answers, &v.PosterVerdict, &v.GPS, &v.Place, &v.Inspector, &v.Notes, &v.DocumentID, &v.DeviceID, &v.Version,
		&created, &updated); err != nil {
		return v, err
	}
	v.StartedAt, v.FinishedAt = time.Unix(started, 0), timePtr(finished)
	v.CreatedAt, v.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	v.Answers = inspect.Answers{}
	return v, json.Unmarshal([]byte(answers), &v.Answers)
}

// Visit reads one inspection with its answers.
func (s *Store) Visit(ctx context.Context, id data.ID) (inspect.Visit, error) {
	return s.readVisit(ctx, s.ro, id)
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (s *Store) readVisit(ctx context.Context, q querier, id data.ID) (inspect.Visit, error) {
	v, err := scanVisit(q.QueryRowContext(ctx, `SELECT `+visitColumns+` FROM inspection WHERE id = ? AND deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, data.Errorf(data.ENotFound, "err.inspection_not_found")
	}
	return v, wrapDB(err, "read inspection")
}

// Visits lists a venue's inspections, newest first.
func (s *Store) Visits(ctx context.Context, venue data.ID) ([]inspect.Visit, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT `+visitColumns+` FROM inspection WHERE venue_id = ? AND deleted_at IS NULL
		ORDER BY started_at DESC`, venue)
	if err != nil {
		return nil, wrapDB(err, "list inspections")
	}
	return scanAll(rows, scanVisit)
}

// editDraft applies edit to a draft visit inside one transaction and
// saves it at once, queued for sync: every answer is on disk the moment
// it is given, so closing the laptop loses nothing.
// also, when given, writes more rows in the same transaction.
func (s *Store) editDraft(ctx context.Context, id data.ID, edit func(v *inspect.Visit, tpl *inspect.Template) error,
	also ...func(tx *sql.Tx) error) (inspect.Visit, error) {
	if err := s.Require(data.PermInspect); err != nil {
		return inspect.Visit{}, err
	}
	lib, err := s.InspectLibrary(ctx)
	if err != nil {
		return inspect.Visit{}, err
	}
	var out inspect.Visit
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		v, err := s.readVisit(ctx, tx, id)
		if err != nil {
			return err
		}
		if v.Status != "draft" {
			return data.Errorf(data.EConflict, "err.inspection_finished")
		}
		tpl, err := lib.Templates.ByID(v.Template, v.TemplateVersion)
		if err != nil {
			return err
		}
		if err := edit(&v, tpl); err != nil {
			return err
		}
		now := s.Now()
		answers, _ := json.Marshal(v.Answers)
		if _, err := tx.ExecContext(ctx, `UPDATE inspection SET answers = ?, poster_verdict = ?, gps = ?, place = ?,
			notes = ?, inspector = ?, version = version + 1, updated_at = ? WHERE id = ?`, string(answers), v.PosterVerdict,
			v.GPS, v.Place, v.Notes, v.Inspector, now.Unix(), v.ID); err != nil {
			return wrapDB(err, "save inspection")
		}
		v.Version++
		v.UpdatedAt = now
		out = v
		for _, f := range also {
			if err := f(tx); err != nil {
				return err
			}
		}
		return recordChange(ctx, tx, "inspection", v.ID, "update", v.Version, visitChange(&v), now.Unix())
	})
	return out, err
}

// SaveAnswer validates and saves one checklist answer at once.
func (s *Store) SaveAnswer(ctx context.Context, inspection data.ID, a inspect.Answer) (inspect.Visit, error) {
	return s.editDraft(ctx, inspection, func(v *inspect.Visit, tpl *inspect.Template) error {
		if a.At.IsZero() {
			a.At = s.Now()
		}
		if err := a.Validate(tpl); err != nil {
			return err
		}
		if prev, ok := v.Answers[a.Item]; ok && len(a.Photos) == 0 {
			a.Photos = prev.Photos // photos are added separately; keep them
		}
		v.Answers[a.Item] = a
		if a.GPS != "" {
			v.GPS = a.GPS
		}
		return nil
	})
}

// SaveVisitNotes saves the free notes, place and GPS of a draft at once.
func (s *Store) SaveVisitNotes(ctx context.Context, inspection data.ID, notes, place, gps string) (inspect.Visit, error) {
	return s.editDraft(ctx, inspection, func(v *inspect.Visit, _ *inspect.Template) error {
		v.Notes, v.Place, v.GPS = data.Clean(notes), data.Clean(place), strings.TrimSpace(gps)
		return nil
	})
}

// RecordPoster saves the verdict on the venue's posted QR and answers the
// template's poster item with it: a wrong or unreadable poster is itself
// a finding.
func (s *Store) RecordPoster(ctx context.Context, inspection data.ID, c inspect.PosterCheck) (inspect.Visit, error) {
	return s.editDraft(ctx, inspection, func(v *inspect.Visit, tpl *inspect.Template) error {
		v.PosterVerdict = c.Status
		if a, ok := inspect.PosterAnswer(tpl, c); ok {
			a.At = s.Now()
			a.Photos = v.Answers[a.Item].Photos
			v.Answers[a.Item] = a
		}
		return nil
	})
}

// MaxPhotoBytes bounds one evidence photo (a webcam frame or a phone JPEG).
const MaxPhotoBytes = 8 << 20

// AddPhoto stores an evidence photo (PNG or JPEG) for an item of a draft
// and links it to the item's answer, in one transaction.
func (s *Store) AddPhoto(ctx context.Context, inspection data.ID, item string, img []byte) (data.ID, error) {
	if len(img) > MaxPhotoBytes {
		return data.NilID, data.Errorf(data.EInvalid, "err.photo_too_large", MaxPhotoBytes>>20)
	}
	mime := http.DetectContentType(img)
	if mime != "image/png" && mime != "image/jpeg" {
		return data.NilID, data.Errorf(data.EInvalid, "err.photo_format")
	}
	if _, _, err := image.DecodeConfig(bytes.NewReader(img)); err != nil {
		return data.NilID, data.Errorf(data.EInvalid, "err.photo_format")
	}
	id := data.NewID()
	// The answer's link and the photo row are written in one transaction.
	_, err := s.editDraft(ctx, inspection, func(v *inspect.Visit, tpl *inspect.Template) error {
		if _, ok := tpl.Item(item); !ok {
			return data.Errorf(data.EInvalid, "err.checklist_item_unknown", item, tpl.ID)
		}
		a := v.Answers[item]
		if a.Item == "" {
			a = inspect.Answer{Item: item, At: s.Now()} // photo before the answer: value comes later
		}
		a.Photos = append(a.Photos, id)
		v.Answers[item] = a
		return nil
	}, func(tx *sql.Tx) error {
		now := s.Now().Unix()
		if _, err := tx.ExecContext(ctx, `INSERT INTO inspection_photo(id, inspection_id, item, mime, bytes, taken_at,
			device_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			id, inspection, item, mime, img, now, s.deviceID, now, now); err != nil {
			return wrapDB(err, "insert photo")
		}
		return recordChange(ctx, tx, "inspection_photo", id, "insert", 1, map[string]any{
			"id": id, "inspection_id": inspection, "item": item, "mime": mime, "bytes": img, "taken_at": now}, now)
	})
	if err != nil {
		return data.NilID, err
	}
	return id, nil
}

// Photo is one stored evidence photo.
type Photo struct {
	ID      data.ID
	Item    string
	Mime    string
	Bytes   []byte
	TakenAt time.Time
}

// Photos returns a visit's photos in the order taken.
func (s *Store) Photos(ctx context.Context, inspection data.ID) ([]Photo, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, item, mime, bytes, taken_at FROM inspection_photo
		WHERE inspection_id = ? AND deleted_at IS NULL ORDER BY taken_at, id`, inspection)
	if err != nil {
		return nil, wrapDB(err, "list photos")
	}
	defer rows.Close()
	var out []Photo
	for rows.Next() {
		var p Photo
		var at int64
		if err := rows.Scan(&p.ID, &p.Item, &p.Mime, &p.Bytes, &at); err != nil {
			return nil, err
		}
		p.TakenAt = time.Unix(at, 0)
		out = append(out, p)
	}
	return out, rows.Err()
}

// FinishInput completes a visit.
type FinishInput struct {
	At        time.Time
	By        string
	Subject   string // violator kind for the proposed violations; default individual
	Officials []inspect.Official
}

// FinishResult is what finishing a visit produced.
type FinishResult struct {
	Visit      inspect.Visit
	Document   inspect.Document    // the numbered inspection record
	Violations []inspect.Violation // proposed, status "found"
}

// FinishInspection closes a draft whose every item is answered: it issues
// the numbered inspection record and proposes one violation per rule of
// the failed items (default amount: the middle of the band), all in one
// transaction.
func (s *Store) FinishInspection(ctx context.Context, id data.ID, in FinishInput) (FinishResult, error) {
	var res FinishResult
	if err := s.Require(data.PermInspect); err != nil {
		return res, err
	}
	lib, err := s.InspectLibrary(ctx)
	if err != nil {
		return res, err
	}
	if in.Subject == "" {
		in.Subject = inspect.SubjectIndividual
	}
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		v, err := s.readVisit(ctx, tx, id)
		if err != nil {
			return err
		}
		if v.Status != "draft" {
			return data.Errorf(data.EConflict, "err.inspection_finished")
		}
		tpl, err := lib.Templates.ByID(v.Template, v.TemplateVersion)
		if err != nil {
			return err
		}
		if missing := tpl.Missing(v.Answers); len(missing) > 0 {
			keys := make([]string, len(missing))
			for i, m := range missing {
				keys[i] = m.Text
			}
			return data.Errorf(data.EInvalid, "err.inspection_unanswered", len(missing), strings.Join(keys, "; "))
		}
		for _, a := range v.Answers {
			if a.Value == "" {
				return data.Errorf(data.EInvalid, "err.inspection_unanswered", 1, a.Item)
			}
		}
		if in.At.IsZero() {
			in.At = s.Now()
		}
		venue, err := s.venueInTx(ctx, tx, v.VenueID)
		if err != nil {
			return err
		}
		issuer, place := s.issuerOf(ctx, tx, venue.WardCode)
		doc := inspect.Document{Kind: inspect.DocInspection, Issuer: venue.WardCode, IssuedAt: in.At, SubjectID: v.ID,
			Facts: inspect.DocFacts{IssuerName: issuer, Place: place, VenueID: v.VenueID, InspectionID: v.ID,
				ScheduleID: v.ScheduleID, Officials: in.Officials, ViolationPlace: venue.Address}}
		if err := s.issueDocument(ctx, tx, &doc, in.By); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE inspection SET status = 'done', finished_at = ?, document_id = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, in.At.Unix(), doc.ID, now.Unix(), v.ID); err != nil {
			return wrapDB(err, "finish inspection")
		}
		v.Status, v.FinishedAt, v.DocumentID = "done", &in.At, doc.ID
		v.Version++
		if err := recordChange(ctx, tx, "inspection", v.ID, "update", v.Version, visitChange(&v), now.Unix()); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, it := range tpl.Failed(v.Answers) {
			if it.Rule == "" || seen[it.Rule] {
				continue
			}
			seen[it.Rule] = true
			rule, err := lib.Rules.Rule(it.Rule, in.At)
			if err != nil {
				return err
			}
			vi := inspect.Violation{Subject: in.Subject, Item: it.Key, RuleVersion: lib.Rules.Version}
			vi.VenueID, vi.InspectionID, vi.RuleID, vi.FoundAt = v.VenueID, v.ID, it.Rule, in.At
			vi.Amount = lib.Rules.DefaultAmount(rule, in.Subject)
			vi.Description = it.Text
			if note := v.Answers[it.Key].Note; note != "" {
				vi.Description += ": " + note
			}
			if err := s.insertViolation(ctx, tx, &vi, in.By); err != nil {
				return err
			}
			res.Violations = append(res.Violations, vi)
		}
		res.Visit, res.Document = v, doc
		return s.appendAudit(ctx, tx, auditEntry{Actor: in.By, Action: "inspection.finish", Entity: "inspection",
			EntityID: v.ID.String(), Detail: doc.NumberText()})
	})
	return res, err
}

// issuerOf names the issuing ward and the place of its date line:
// settings "office.issuer_name"/"office.place" when set, else the ward.
// It reads through q: inside a transaction the single writer connection
// is taken, so a plain Setting call would wait for itself.
func (s *Store) issuerOf(ctx context.Context, q querier, ward string) (name, place string) {
	if w, ok := s.units.Ward(ward); ok {
		name, place = w.FullName(), w.Name
	}
	setting := func(key string) string {
		var v string
		q.QueryRowContext(ctx, `SELECT value FROM setting WHERE key = ?`, key).Scan(&v)
		return v
	}
	if v := setting("office.issuer_name"); v != "" {
		name = v
	}
	if v := setting("office.place"); v != "" {
		place = v
	}
	return name, place
}

func (s *Store) venueInTx(ctx context.Context, tx *sql.Tx, id data.ID) (data.Venue, error) {
	v, err := s.scanVenue(tx.QueryRowContext(ctx, `SELECT `+venueColumns+` FROM venue v
		LEFT JOIN person p ON p.id = v.owner_id WHERE v.id = ? AND v.deleted_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, data.Errorf(data.ENotFound, "err.venue_not_found")
	}
	return v, wrapDB(err, "read venue")
}
