package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/scan"
	"qrward/scan/camera"
	"qrward/ui/widgets"
)

// Station modes: what a read is used for.
const (
	modeCheckin = "checkin" // check-in station at a venue or office entrance
	modePoster  = "poster"  // verify the venue's posted QR code
	modeVehicle = "vehicle" // checkpoint: travellers and vehicle papers
	modeLookup  = "lookup"  // show who and the banner, write nothing
)

var stationModes = []string{modeCheckin, modePoster, modeVehicle, modeLookup}

// Dedup windows offered, in minutes.
var dedupChoices = []int{1, 3, 5, 10, 30}

// Station settings keys (sqlite.StationSetting).
const (
	settingCamera     = "camera"
	settingCameraMode = "camera_mode"
	settingMode       = "mode"
	settingDedup      = "dedup_minutes"
	settingVenue      = "venue"
)

// demoCode is the personal code in the built-in replay sequence (a
// made-up QRQG code in the national format).
const demoCode = "048090001234|NGUYEN VAN AN|1990-05-12|0|162900000000000042|0|0905000111"

// scanScreen is "Quét mã": it turns the laptop into a QR reader for
// check-ins, poster verification, checkpoints and look-ups. Camera frames
// are decoded on the pipeline's worker; the UI thread only shows them.
type scanScreen struct {
	store *sqlite.Store
	win   fyne.Window

	provider camera.Provider
	replay   *camera.ReplayProvider
	devices  []camera.Device
	pipeline *camera.Pipeline
	pending  atomic.Bool // a frame is waiting for the UI thread

	venueID   data.ID
	venueName string
	mode      string
	window    time.Duration

	venueSearch  *widget.Entry
	venueHits    *widget.Select
	hits         []data.VenueRow
	venueLabel   *widget.Label
	modeSelect   *widget.Select
	dedupSelect  *widget.Select
	cameraSelect *widget.Select
	modeRes      *widget.Select
	status       *widget.Label
	preview      *widgets.Preview
	banner       *widgets.RiskBanner
	counter      *widget.Label
	recentBox    *fyne.Container
	recent       []sqlite.RecentCheckin
	wedge        *widget.Entry
	paper        *paperForm
	content      fyne.CanvasObject

	// last is the last result shown (tests, figures).
	last      sqlite.ScanResult
	lastPost  sqlite.PosterCheck
	lastAt    time.Time // when the card was last set
	lastFrame time.Time // capture time of the frame behind the last card
}

func newScanScreen(store *sqlite.Store, win fyne.Window) *scanScreen {
	s := &scanScreen{store: store, win: win, mode: modeCheckin, window: sqlite.DefaultDedupWindow}
	s.replay = camera.NewReplayProvider(camera.ReplayDevice{ID: "replay:demo", Name: i18n.T("station.replay_demo"),
		FPS: 15, Loop: true, Frames: demoFrames})
	if dir := os.Getenv("QRWARD_REPLAY_DIR"); dir != "" {
		s.replay.Add(camera.ReplayDevice{ID: "replay:folder", Name: i18n.T("station.replay_folder", filepath.Base(dir)),
			FPS: 15, Loop: true, Frames: func() ([]image.Image, error) { return camera.LoadFolder(dir) }})
	}
	s.provider = camera.MultiProvider{camera.NewPionProvider(), s.replay}
	s.build()
	s.restore()
	return s
}

// demoFrames is the built-in replay: an empty desk, then a personal code
// held up, then the desk again.
func demoFrames() ([]image.Image, error) {
	seq, err := camera.GenerateSequence(camera.SequenceOptions{Seed: 1, Scenes: []camera.Scene{
		{Frames: 30}, {Text: demoCode, Frames: 45}, {Frames: 60}}})
	return seq.Frames, err
}

func (s *scanScreen) build() {
	ctx := context.Background()
	s.venueLabel = widget.NewLabelWithStyle(i18n.T("station.no_venue"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.venueSearch = widget.NewEntry()
	s.venueSearch.SetPlaceHolder(i18n.T("station.venue_search"))
	s.venueHits = widget.NewSelect(nil, func(label string) {
		for _, h := range s.hits {
			if h.Name+" · "+h.Address == label {
				s.setVenue(h.ID, h.Name)
			}
		}
	})
	s.venueHits.PlaceHolder = i18n.T("station.venue_pick")
	s.venueSearch.OnSubmitted = func(q string) { s.searchVenues(q) }
	s.venueSearch.OnChanged = func(q string) {
		if len([]rune(q)) >= 3 {
			s.searchVenues(q)
		}
	}

	var modeLabels []string
	for _, m := range stationModes {
		modeLabels = append(modeLabels, i18n.T("station.mode."+m))
	}
	s.modeSelect = widget.NewSelect(modeLabels, func(label string) {
		for _, m := range stationModes {
			if i18n.T("station.mode."+m) == label {
				s.mode = m
				s.store.SetStationSetting(ctx, settingMode, m)
			}
		}
	})
	var dedupLabels []string
	for _, m := range dedupChoices {
		dedupLabels = append(dedupLabels, i18n.T("station.dedup_minutes", m))
	}
	s.dedupSelect = widget.NewSelect(dedupLabels, func(label string) {
		for i, m := range dedupChoices {
			if dedupLabels[i] == label {
				s.window = time.Duration(m) * time.Minute
				s.store.SetStationSetting(ctx, settingDedup, strconv.Itoa(m))
			}
		}
	})

	s.cameraSelect = widget.NewSelect(nil, func(label string) {
		for _, d := range s.devices {
			if d.Name == label {
				s.store.SetStationSetting(ctx, settingCamera, d.ID)
				s.fillModes(d)
				s.startCapture(d.ID, s.savedMode())
			}
		}
	})
	s.cameraSelect.PlaceHolder = i18n.T("station.camera_pick")
	s.modeRes = widget.NewSelect(nil, func(label string) {
		id, _ := s.store.StationSetting(ctx, settingCamera)
		for _, d := range s.devices {
			for _, m := range d.Modes {
				if d.ID == id && m.String() == label {
					s.store.SetStationSetting(ctx, settingCameraMode, fmt.Sprintf("%dx%d@%g", m.Width, m.Height, m.FPS))
					s.startCapture(id, m)
				}
			}
		}
	})
	s.modeRes.PlaceHolder = i18n.T("station.resolution")
	refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), s.loadDevices)
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord

	s.preview = widgets.NewPreview(i18n.T("station.cam.none_chosen"))
	s.banner = widgets.NewRiskBanner(i18n.T("station.ready"))
	s.counter = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.recentBox = container.NewVBox()

	s.wedge = widget.NewEntry()
	s.wedge.SetPlaceHolder(i18n.T("station.wedge_placeholder"))
	s.wedge.OnSubmitted = func(text string) {
		s.wedge.SetText("")
		s.submit(text, "wedge", time.Time{})
		s.win.Canvas().Focus(s.wedge) // the next scan goes here too
	}
	paste := widget.NewButtonWithIcon(i18n.T("station.paste"), theme.ContentPasteIcon(), func() {
		s.submit(fyne.CurrentApp().Clipboard().Content(), "paste", time.Time{})
	})
	file := widget.NewButtonWithIcon(i18n.T("station.file"), theme.FolderOpenIcon(), s.openFile)
	paperBtn := widget.NewButtonWithIcon(i18n.T("station.paper"), theme.DocumentCreateIcon(), s.showPaper)
	snap := widget.NewButtonWithIcon(i18n.T("station.snapshot"), theme.MediaPhotoIcon(), s.snapshot)

	place := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel(i18n.T("station.venue")), nil, s.venueLabel),
		container.NewGridWithColumns(2, s.venueSearch, s.venueHits),
		container.NewGridWithColumns(2, s.modeSelect, s.dedupSelect),
	)
	camBar := container.NewBorder(nil, nil, nil, refresh, container.NewGridWithColumns(2, s.cameraSelect, s.modeRes))
	left := container.NewBorder(container.NewVBox(place, camBar), s.status, nil, nil, s.preview)
	inputs := container.NewVBox(s.wedge, container.NewGridWithColumns(4, paste, file, paperBtn, snap))
	right := container.NewBorder(s.banner, nil, nil, nil,
		container.NewBorder(container.NewVBox(inputs, s.counter, widget.NewLabel(i18n.T("station.recent"))), nil, nil, nil,
			container.NewVScroll(s.recentBox)))
	split := container.NewHSplit(left, right)
	split.Offset = 0.5
	s.content = split
}

// restore applies the remembered settings and lists the cameras.
func (s *scanScreen) restore() {
	ctx := context.Background()
	mode, _ := s.store.StationSetting(ctx, settingMode)
	if mode == "" {
		mode = modeCheckin
	}
	s.modeSelect.SetSelected(i18n.T("station.mode." + mode))
	minutes, _ := strconv.Atoi(must(s.store.StationSetting(ctx, settingDedup)))
	if minutes == 0 {
		minutes = int(sqlite.DefaultDedupWindow / time.Minute)
	}
	s.dedupSelect.SetSelected(i18n.T("station.dedup_minutes", minutes))
	s.window = time.Duration(minutes) * time.Minute
	if id, err := data.ParseID(must(s.store.StationSetting(ctx, settingVenue))); err == nil {
		if v, err := s.store.Venue(ctx, id); err == nil {
			s.setVenue(v.ID, v.Name)
		}
	}
	s.loadDevices()
}

func must(v string, _ error) string { return v }

// loadDevices lists cameras off the UI thread (listing opens each camera
// briefly) and restarts the remembered one.
func (s *scanScreen) loadDevices() {
	background(func(ctx context.Context) ([]camera.Device, error) { return s.provider.Devices(ctx) },
		func(devs []camera.Device, err error) {
			s.devices = devs
			var names []string
			for _, d := range devs {
				names = append(names, d.Name)
			}
			s.cameraSelect.SetOptions(names)
			if len(devs) == 0 || err != nil {
				s.preview.SetPlaceholder(i18n.T("station.cam.none"))
				return
			}
			saved := must(s.store.StationSetting(context.Background(), settingCamera))
			if saved == "" || s.pipeline != nil {
				return
			}
			for _, d := range devs {
				if d.ID == saved {
					s.cameraSelect.SetSelected(d.Name) // starts it
					return
				}
			}
			// The remembered camera is unplugged: wait for it.
			s.startCapture(saved, s.savedMode())
		})
}

func (s *scanScreen) savedMode() camera.Mode {
	var m camera.Mode
	fmt.Sscanf(must(s.store.StationSetting(context.Background(), settingCameraMode)), "%dx%d@%g", &m.Width, &m.Height, &m.FPS)
	return m
}

func (s *scanScreen) fillModes(d camera.Device) {
	var labels []string
	for _, m := range d.Modes {
		labels = append(labels, m.String())
	}
	s.modeRes.SetOptions(labels)
}

// startCapture (re)starts the pipeline on a device. Frames and reads come
// back to the UI thread through fyne.Do; at most one frame waits there,
// so a busy UI thread drops preview frames instead of queueing them.
func (s *scanScreen) startCapture(id string, mode camera.Mode) {
	s.stopCapture()
	s.preview.SetPlaceholder(i18n.T("station.cam.starting"))
	s.pipeline = camera.Start(context.Background(), camera.Options{
		Provider: s.provider, DeviceID: id, Mode: mode,
		OnFrame: func(f camera.Frame, inView []scan.Code) {
			if !s.pending.CompareAndSwap(false, true) {
				return
			}
			outlines := codeOutlines(inView)
			fyne.Do(func() {
				s.pending.Store(false)
				s.preview.SetFrame(f.Image, outlines)
			})
		},
		OnDetect: func(d camera.Detection) {
			fyne.Do(func() { s.submit(d.Code.Text, "camera", d.FrameAt) })
		},
		OnStatus: func(st camera.Status, err error) {
			fyne.Do(func() { s.showStatus(st) })
		},
	})
}

func (s *scanScreen) stopCapture() {
	if s.pipeline != nil {
		s.pipeline.Stop()
		s.pipeline = nil
	}
}

func (s *scanScreen) showStatus(st camera.Status) {
	s.status.SetText(i18n.T("station.cam." + st.String()))
	switch st {
	case camera.StatusLost, camera.StatusNoDevice:
		s.preview.SetPlaceholder(i18n.T("station.cam." + st.String()))
	}
}

func (s *scanScreen) searchVenues(q string) {
	background(func(ctx context.Context) ([]data.VenueRow, error) {
		return s.store.SearchVenues(ctx, data.VenueFilter{Query: q})
	}, func(rows []data.VenueRow, err error) {
		if err != nil {
			s.status.SetText(i18n.Error(err))
			return
		}
		if len(rows) > 30 {
			rows = rows[:30]
		}
		s.hits = rows
		var labels []string
		for _, r := range rows {
			labels = append(labels, r.Name+" · "+r.Address)
		}
		s.venueHits.SetOptions(labels)
		if len(rows) == 1 {
			s.venueHits.SetSelected(labels[0])
		}
	})
}

// setVenue sets the station's context: the venue, checkpoint or office
// entrance its check-ins are recorded for.
func (s *scanScreen) setVenue(id data.ID, name string) {
	s.venueID, s.venueName = id, name
	s.venueLabel.SetText(name)
	s.store.SetStationSetting(context.Background(), settingVenue, id.String())
	s.refreshLists()
}

// submit handles one read from any input (camera, wedge scanner, file,
// paste). frameAt is the capture time of a camera frame (zero otherwise).
func (s *scanScreen) submit(text, input string, frameAt time.Time) {
	text = strings.TrimSpace(text)
	if text == "" && s.mode != modePoster {
		return
	}
	if s.mode == modePoster {
		s.checkPoster(text, frameAt)
		return
	}
	payload, perr := scan.Parse(text)
	if perr != nil {
		s.setCard(widgets.BannerNeutral, i18n.T("station.unreadable"), []string{payloadMessage(perr), clip(text, 60)}, nil, frameAt)
		return
	}
	switch p := payload.(type) {
	case *scan.VenueCode:
		s.venueFromCode(p, frameAt)
	case scan.PersonCode:
		if s.venueID.IsZero() && s.mode != modeLookup {
			s.setCard(widgets.BannerNeutral, i18n.T("station.pick_venue_first"), nil, nil, frameAt)
			return
		}
		req := sqlite.ScanRequest{VenueID: s.venueID, Code: p, Input: input, Window: s.window, LookupOnly: s.mode == modeLookup}
		background(func(ctx context.Context) (sqlite.ScanResult, error) { return s.store.StationCheckin(ctx, req) },
			func(res sqlite.ScanResult, err error) { s.showResult(res, err, input, frameAt) })
	default:
		s.setCard(widgets.BannerNeutral, i18n.T("station.not_person"), []string{kindLabel(payload.Kind())}, nil, frameAt)
	}
}

func payloadMessage(err error) string {
	var pe *scan.PayloadError
	if errors.As(err, &pe) {
		if i18n.Language() == "en" {
			return pe.MessageEN()
		}
		return pe.MessageVI()
	}
	return i18n.T("station.unreadable")
}

func kindLabel(k scan.Kind) string {
	if i18n.Language() == "en" {
		return k.LabelEN()
	}
	return k.LabelVI()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// venueFromCode sets the context from a scanned venue poster (a station
// at a new place starts by scanning the code on its door).
func (s *scanScreen) venueFromCode(p *scan.VenueCode, frameAt time.Time) {
	background(func(ctx context.Context) (data.Venue, error) { return s.store.Venue(ctx, data.ID(p.Fields.VenueID)) },
		func(v data.Venue, err error) {
			if err != nil {
				s.setCard(widgets.BannerNeutral, i18n.T("station.venue_unknown"), []string{p.Fields.ShortName}, nil, frameAt)
				return
			}
			s.setVenue(v.ID, v.Name)
			s.setCard(widgets.BannerNeutral, i18n.T("station.venue_set"), []string{v.Name}, nil, frameAt)
		})
}

func (s *scanScreen) showResult(res sqlite.ScanResult, err error, input string, frameAt time.Time) {
	if err != nil {
		s.setCard(widgets.BannerNeutral, i18n.T("station.failed"), []string{i18n.Error(err)}, nil, frameAt)
		return
	}
	s.last = res
	level := widgets.BannerGreen
	title := i18n.T("station.verdict.ok")
	switch res.Risk.Level {
	case sqlite.RiskRed:
		level, title = widgets.BannerRed, i18n.T("station.verdict.stop")
	case sqlite.RiskAmber:
		level, title = widgets.BannerAmber, i18n.T("station.verdict.attention")
	}
	if res.Duplicate && res.Risk.Level < sqlite.RiskRed {
		title = i18n.T("station.verdict.duplicate")
	}
	var reasons []string
	for _, r := range res.Risk.Reasons {
		reasons = append(reasons, reasonText(r))
	}
	who := res.DisplayName
	if res.DisplayID != "" {
		who += " · " + res.DisplayID
	}
	kind := i18n.T("station.kind.paper")
	if k, ok := scan.ParseKind(res.CodeKind); ok && res.CodeKind != "" {
		kind = kindLabel(k)
	}
	sub := []string{who, kind + " · " + res.Checkin.TimeIn.Format("15:04:05") + " · " + i18n.T("station.input."+input)}
	if s.mode == modeLookup {
		sub = append(sub, i18n.T("station.lookup_not_saved"))
	}
	s.setCard(level, title, sub, reasons, frameAt)
	widgets.Beep()
	s.refreshLists()
}

// reasonText words a risk reason.
func reasonText(r sqlite.RiskReason) string {
	if r.Code == sqlite.ReasonSymptoms && len(r.Args) == 1 {
		var names []string
		for _, sym := range strings.Split(fmt.Sprint(r.Args[0]), ",") {
			names = append(names, i18n.T("station.symptom."+sym))
		}
		return i18n.T("station.risk.symptoms", strings.Join(names, ", "))
	}
	return i18n.T("station.risk."+r.Code, r.Args...)
}

func (s *scanScreen) setCard(level widgets.BannerLevel, title string, sub, reasons []string, frameAt time.Time) {
	s.banner.Set(level, title, sub, reasons)
	s.lastAt, s.lastFrame = time.Now(), frameAt
}

func (s *scanScreen) checkPoster(text string, frameAt time.Time) {
	if s.venueID.IsZero() {
		s.setCard(widgets.BannerNeutral, i18n.T("station.pick_venue_first"), nil, nil, frameAt)
		return
	}
	venue := s.venueID
	background(func(ctx context.Context) (sqlite.PosterCheck, error) {
		return s.store.CheckPoster(ctx, venue, data.NilID, text, "")
	}, func(c sqlite.PosterCheck, err error) {
		if err != nil {
			s.setCard(widgets.BannerNeutral, i18n.T("station.failed"), []string{i18n.Error(err)}, nil, frameAt)
			return
		}
		s.lastPost = c
		level := widgets.BannerRed
		switch c.Result {
		case "genuine":
			level = widgets.BannerGreen
		case "national", "unknown_issuer", "unreadable":
			level = widgets.BannerAmber
		}
		s.setCard(level, i18n.T("station.poster."+c.Result), []string{s.venueName, c.CheckedAt.Format("15:04:05")}, nil, frameAt)
		widgets.Beep()
	})
}

// refreshLists reloads today's counter and the last check-ins.
func (s *scanScreen) refreshLists() {
	if s.venueID.IsZero() {
		return
	}
	venue := s.venueID
	type lists struct {
		counts sqlite.StationCounts
		recent []sqlite.RecentCheckin
	}
	background(func(ctx context.Context) (lists, error) {
		var l lists
		var err error
		if l.counts, err = s.store.TodayCounts(ctx, venue, data.NilID); err != nil {
			return l, err
		}
		l.recent, err = s.store.RecentCheckins(ctx, venue, data.NilID, 8)
		return l, err
	}, func(l lists, err error) {
		if err != nil {
			s.status.SetText(i18n.Error(err))
			return
		}
		s.counter.SetText(i18n.T("station.count_today", l.counts.Venue, l.counts.Station))
		s.recent = l.recent
		s.recentBox.Objects = nil
		for _, r := range l.recent {
			id := r.Checkin.ID
			label := widget.NewLabel(r.Checkin.TimeIn.Format("15:04:05") + " · " + r.Name + " · " + i18n.T("station.source."+r.Checkin.Source))
			label.Truncation = fyne.TextTruncateEllipsis
			undo := widget.NewButtonWithIcon(i18n.T("station.undo"), theme.ContentUndoIcon(), func() {
				dialog.ShowConfirm(i18n.T("station.undo_title"), i18n.T("station.undo_confirm", r.Name),
					func(ok bool) {
						if ok {
							s.undo(id)
						}
					}, s.win)
			})
			s.recentBox.Add(container.NewBorder(nil, nil, nil, undo, label))
		}
		s.recentBox.Refresh()
	})
}

// undo withdraws a mistaken check-in (a tombstone with an audit row).
func (s *scanScreen) undo(id data.ID) {
	background(func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.store.UndoCheckin(ctx, id, "", "undo at scan station")
	}, func(_ struct{}, err error) {
		if err != nil {
			dialog.ShowError(errorFor(err), s.win)
			return
		}
		s.status.SetText(i18n.T("station.undone"))
		s.refreshLists()
	})
}

// snapshot saves the frame on screen as evidence for the venue.
func (s *scanScreen) snapshot() {
	frame := s.preview.Frame()
	if frame == nil || s.venueID.IsZero() {
		s.status.SetText(i18n.T("station.snapshot_none"))
		return
	}
	venue := s.venueID
	background(func(ctx context.Context) (data.ID, error) {
		pic, err := sqlite.EncodeSnapshot(frame)
		if err != nil {
			return data.NilID, err
		}
		e := sqlite.Evidence{VenueID: venue, JPEG: pic}
		return e.ID, s.store.AddEvidence(ctx, &e)
	}, func(_ data.ID, err error) {
		if err != nil {
			s.status.SetText(i18n.Error(err))
			return
		}
		s.status.SetText(i18n.T("station.snapshot_saved", s.venueName))
	})
}

// openFile reads codes from an image or a PDF (its first page, rendered
// by poppler's pdftoppm when installed).
func (s *scanScreen) openFile() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			s.status.SetText(i18n.T("station.file_unreadable"))
			return
		}
		s.readFile(r.URI().Name(), b)
	}, s.win)
}

// readFile decodes every code in an image or PDF file and submits them.
func (s *scanScreen) readFile(name string, b []byte) {
	background(func(ctx context.Context) ([]scan.Code, error) {
		img, err := decodeFileImage(ctx, name, b)
		if err != nil {
			return nil, err
		}
		return scan.NewDecoder(scan.DecoderOptions{Thorough: true, Budget: -1}).Decode(img), nil
	}, func(codes []scan.Code, err error) {
		if err != nil {
			s.setCard(widgets.BannerNeutral, i18n.T("station.file_unreadable"), []string{name}, nil, time.Time{})
			return
		}
		if len(codes) == 0 {
			s.setCard(widgets.BannerNeutral, i18n.T("station.file_no_code"), []string{name}, nil, time.Time{})
			return
		}
		for _, c := range codes {
			s.submit(c.Text, "file", time.Time{})
		}
	})
}

func decodeFileImage(ctx context.Context, name string, b []byte) (image.Image, error) {
	if strings.EqualFold(filepath.Ext(name), ".pdf") || bytes.HasPrefix(b, []byte("%PDF")) {
		cmd := exec.CommandContext(ctx, "pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", "-", "-")
		cmd.Stdin = bytes.NewReader(b)
		out, err := cmd.Output()
		if err != nil {
			return nil, err
		}
		b = out
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	return img, err
}

// paperForm is the manual entry of a paper declaration.
type paperForm struct {
	name, phone, id, origin       *widget.Entry
	fever, cough, breath, contact *widget.Check
	fields                        map[string]*widgets.Field
	dlg                           dialog.Dialog
	submit                        func()
}

func (s *scanScreen) newPaperForm() *paperForm {
	f := &paperForm{name: widget.NewEntry(), phone: widget.NewEntry(), id: widget.NewEntry(), origin: widget.NewEntry(),
		fever: widget.NewCheck(i18n.T("station.symptom.fever"), nil), cough: widget.NewCheck(i18n.T("station.symptom.cough"), nil),
		breath: widget.NewCheck(i18n.T("station.symptom.breath"), nil), contact: widget.NewCheck(i18n.T("station.paper_contact"), nil),
		fields: map[string]*widgets.Field{}}
	add := func(name, label, hint string, in fyne.CanvasObject) fyne.CanvasObject {
		fl := widgets.NewField(name, label, hint, in)
		f.fields[name] = fl
		return fl.Box
	}
	form := container.NewVBox(
		add("full_name", i18n.T("field.full_name"), "", f.name),
		add("phone", i18n.T("field.phone"), i18n.T("station.paper_phone_hint"), f.phone),
		add("id_number", i18n.T("field.id_number"), i18n.T("station.paper_id_hint"), f.id),
		add("paper_origin", i18n.T("field.paper_origin"), i18n.T("station.paper_origin_hint"), f.origin),
		widget.NewLabel(i18n.T("station.paper_symptoms")),
		container.NewGridWithColumns(2, f.fever, f.cough, f.breath, f.contact),
	)
	f.submit = func() {
		flags := 0
		for _, c := range []struct {
			check *widget.Check
			bit   int
		}{{f.fever, data.RiskFever}, {f.cough, data.RiskCough}, {f.breath, data.RiskBreath}, {f.contact, data.RiskContact}} {
			if c.check.Checked {
				flags |= c.bit
			}
		}
		req := sqlite.ScanRequest{VenueID: s.venueID, Window: s.window, LookupOnly: s.mode == modeLookup,
			Paper: &sqlite.PaperDeclaration{FullName: f.name.Text, Phone: f.phone.Text, IDNumber: f.id.Text,
				Origin: f.origin.Text, Symptoms: flags}}
		background(func(ctx context.Context) (sqlite.ScanResult, error) { return s.store.StationCheckin(ctx, req) },
			func(res sqlite.ScanResult, err error) {
				for _, fl := range f.fields {
					fl.SetError("")
				}
				if fe := data.FieldErrors(err); len(fe) > 0 {
					for _, e := range fe {
						if fl, ok := f.fields[e.Field]; ok {
							fl.SetError(i18n.Field(e))
						} else {
							s.status.SetText(i18n.Error(err)) // e.g. no venue chosen
						}
					}
					return
				}
				if err == nil && f.dlg != nil {
					f.dlg.Hide()
				}
				s.showResult(res, err, "manual", time.Time{})
			})
	}
	save := widget.NewButtonWithIcon(i18n.T("station.paper_save"), theme.ConfirmIcon(), func() { f.submit() })
	save.Importance = widget.HighImportance
	f.dlg = dialog.NewCustom(i18n.T("station.paper_title"), i18n.T("station.close"),
		container.NewBorder(nil, save, nil, nil, container.NewVScroll(form)), s.win)
	f.dlg.Resize(fyne.NewSize(520, 640))
	return f
}

func (s *scanScreen) showPaper() {
	s.paper = s.newPaperForm()
	s.paper.dlg.Show()
}

// codeOutlines are the corners of the codes in view, for the preview to
// draw over the frame.
func codeOutlines(inView []scan.Code) []widgets.Outline {
	outlines := make([]widgets.Outline, len(inView))
	for i, c := range inView {
		for k, p := range c.Corners {
			outlines[i][k] = fyne.NewPos(float32(p.X), float32(p.Y))
		}
	}
	return outlines
}
