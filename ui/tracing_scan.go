package ui

import (
	"context"
	"errors"
	"image"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/trace"
	"qrward/scan"
	"qrward/scan/camera"
	"qrward/ui/widgets"
)

// Finding the F0 by their personal code: a QRQG, CCCD or BHYT code read
// from an image file or a camera fills the new-case dialog's search field
// and is matched the way findPerson matches a pasted code.

// tracingCameras is where the tracing screen looks for cameras: the real
// ones, and a folder replay when QRWARD_REPLAY_DIR names one (as the scan
// station does).
func tracingCameras() camera.Provider {
	mp := camera.MultiProvider{camera.NewPionProvider()}
	if dir := os.Getenv("QRWARD_REPLAY_DIR"); dir != "" {
		mp = append(mp, camera.NewReplayProvider(camera.ReplayDevice{ID: "replay:folder",
			Name: i18n.T("station.replay_folder", filepath.Base(dir)), FPS: 15, Loop: true,
			Frames: func() ([]image.Image, error) { return camera.LoadFolder(dir) }}))
	}
	return mp
}

// personScan is what a scanned personal code found.
type personScan struct {
	Text   string // the code's text, put into the search field
	Kind   scan.Kind
	People []data.Person // whom the code matches (findPerson)
}

// codeLabel names a code's kind in the current language.
func codeLabel(k scan.Kind) string { return kindLabel(k) }

// lookupScanned parses a scanned text and finds whom it names; a text
// that is not a personal code is an error worded for the tracer.
func lookupScanned(ctx context.Context, store *sqlite.Store, text string) (personScan, error) {
	text = strings.TrimSpace(text)
	p, err := scan.Parse(text)
	if err != nil {
		return personScan{}, data.Errorf(data.EInvalid, "err.trace_scan_bad_code", payloadMessage(err))
	}
	pc, ok := p.(scan.PersonCode)
	if !ok {
		return personScan{}, data.Errorf(data.EInvalid, "err.trace_scan_not_person", codeLabel(p.Kind()))
	}
	people, err := findPersonByCode(ctx, store, pc)
	return personScan{Text: text, Kind: p.Kind(), People: people}, err
}

// readPersonImage decodes the codes of an image (or a PDF's first page)
// and looks up the first personal code among them.
func readPersonImage(ctx context.Context, store *sqlite.Store, name string, b []byte) (personScan, error) {
	img, err := decodeFileImage(ctx, name, b)
	if err != nil {
		return personScan{}, data.Errorf(data.EInvalid, "err.trace_scan_unreadable", name)
	}
	codes := scan.NewDecoder(scan.DecoderOptions{Thorough: true, Budget: -1}).Decode(img)
	if len(codes) == 0 {
		return personScan{}, data.Errorf(data.ENotFound, "err.trace_scan_no_code", name)
	}
	var first error
	for _, c := range codes {
		res, err := lookupScanned(ctx, store, c.Text)
		var de *data.Error
		if err == nil || !errors.As(err, &de) || (de.Key != "err.trace_scan_bad_code" && de.Key != "err.trace_scan_not_person") {
			return res, err // a personal code (found or not), or a store failure
		}
		if first == nil {
			first = err
		}
	}
	return personScan{}, first
}

// newCaseForm is the new-case dialog's inputs.
type newCaseForm struct {
	screen                *tracingScreen
	who, confirmed, onset *widget.Entry
	fileBtn, camBtn       *widget.Button
	found                 *widget.Label
	dlg                   dialog.Dialog // the new-case dialog, once shown
	devices               []camera.Device
	last                  personScan // the last code read (tests)

	// The camera scan, while its dialog is open.
	camMu    sync.Mutex
	pipeline *camera.Pipeline // running, nil once stopped
	started  *camera.Pipeline // the last one started (tests wait on it)
	camOff   *atomic.Bool     // set when the running capture is stopped
	camDlg   dialog.Dialog
	camState *widget.Label
	preview  *widgets.Preview
	pending  atomic.Bool
}

func (s *tracingScreen) newCaseForm() *newCaseForm {
	f := &newCaseForm{screen: s, who: widget.NewEntry(), confirmed: widget.NewEntry(), onset: widget.NewEntry()}
	f.who.SetPlaceHolder(i18n.T("trace.ui.who_hint"))
	f.who.OnChanged = func(string) { f.setFound("", false) }
	f.confirmed.SetPlaceHolder("dd/mm/yyyy")
	f.confirmed.SetText(time.Now().In(trace.Vietnam).Format("02/01/2006"))
	f.onset.SetPlaceHolder("dd/mm/yyyy")
	f.fileBtn = widget.NewButtonWithIcon(i18n.T("trace.scan.file"), theme.FileImageIcon(), f.openImage)
	f.camBtn = widget.NewButtonWithIcon(i18n.T("trace.scan.finding_camera"), theme.MediaVideoIcon(), f.openCamera)
	f.camBtn.Disable()
	f.found = widget.NewLabel("")
	f.found.Wrapping = fyne.TextWrapWord
	f.found.Hide()
	return f
}

// whoBox is the search field with the two scan buttons and the result.
func (f *newCaseForm) whoBox() fyne.CanvasObject {
	return container.NewVBox(f.who, container.NewGridWithColumns(2, f.fileBtn, f.camBtn), f.found)
}

// setFound shows a result line (red when bad), or hides it when empty.
func (f *newCaseForm) setFound(text string, bad bool) {
	f.found.Importance = widget.MediumImportance
	if bad {
		f.found.Importance = widget.DangerImportance
	}
	f.found.SetText(text)
	if text == "" {
		f.found.Hide()
	} else {
		f.found.Show()
	}
	if f.dlg != nil {
		f.dlg.Resize(newCaseSize) // grows to fit the line
	}
}

// newCaseSize is the new-case dialog's width (its height fits its content).
var newCaseSize = fyne.NewSize(600, 0)

// findCameras lists the cameras off the UI thread (listing opens each
// briefly); with none the camera button says so and stays disabled.
func (f *newCaseForm) findCameras() {
	background(func(ctx context.Context) ([]camera.Device, error) { return f.screen.cams.Devices(ctx) },
		func(devs []camera.Device, err error) {
			f.devices = devs
			if err != nil || len(devs) == 0 {
				f.camBtn.SetText(i18n.T("trace.scan.no_camera"))
				f.camBtn.Disable()
				return
			}
			f.camBtn.SetText(i18n.T("trace.scan.camera"))
			f.camBtn.Enable()
		})
}

// openImage asks for an image file and reads the code on it.
func (f *newCaseForm) openImage() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			f.showScan(personScan{}, data.Errorf(data.EInvalid, "err.trace_scan_unreadable", r.URI().Name()))
			return
		}
		f.readImage(r.URI().Name(), b)
	}, f.screen.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".pdf", ".PNG", ".JPG", ".JPEG"}))
	d.Show()
}

// readImage decodes an image file's personal code off the UI thread and
// shows whom it names ("Quét mã từ ảnh" without the file dialog).
func (f *newCaseForm) readImage(name string, b []byte) {
	f.setFound(i18n.T("trace.scan.reading"), false)
	store := f.screen.store
	background(func(ctx context.Context) (personScan, error) { return readPersonImage(ctx, store, name, b) }, f.showScan)
}

// readText looks up a text read by the camera.
func (f *newCaseForm) readText(text string) {
	store := f.screen.store
	background(func(ctx context.Context) (personScan, error) { return lookupScanned(ctx, store, text) }, f.showScan)
}

// showScan puts a read code into the search field and says whom it
// matches, or why it cannot be used.
func (f *newCaseForm) showScan(res personScan, err error) {
	f.last = res
	if res.Text != "" {
		f.who.SetText(res.Text) // clears the line; set it below
	}
	if err != nil {
		f.setFound(i18n.Error(err), true)
		return
	}
	kind := codeLabel(res.Kind)
	switch len(res.People) {
	case 0:
		f.setFound(i18n.T("trace.scan.not_found", kind), true)
	case 1:
		p := res.People[0]
		who := p.FullName
		if p.Phone != "" {
			who += " · " + p.Phone
		}
		f.setFound(i18n.T("trace.scan.found", kind, who), false)
	default:
		f.setFound(i18n.Error(data.Errorf(data.EConflict, "err.person_ambiguous", len(res.People))), true)
	}
}

// openCamera scans with a camera in a dialog through the scan station's
// pipeline; the first personal code ends the scan.
func (f *newCaseForm) openCamera() {
	if len(f.devices) == 0 {
		f.camBtn.SetText(i18n.T("trace.scan.no_camera"))
		f.camBtn.Disable()
		return
	}
	f.preview = widgets.NewPreview(i18n.T("station.cam.starting"))
	f.camState = widget.NewLabel(i18n.T("trace.scan.camera_hint"))
	f.camState.Wrapping = fyne.TextWrapWord
	var names []string
	for _, d := range f.devices {
		names = append(names, d.Name)
	}
	pick := widget.NewSelect(names, func(name string) {
		for _, d := range f.devices {
			if d.Name == name {
				f.startCamera(d.ID)
			}
		}
	})
	pick.PlaceHolder = i18n.T("trace.scan.camera_pick")
	content := container.NewBorder(pick, f.camState, nil, nil, f.preview)
	f.camDlg = dialog.NewCustom(i18n.T("trace.scan.camera_title"), i18n.T("trace.ui.cancel"), content, f.screen.win)
	f.camDlg.SetOnClosed(f.stopCamera)
	f.camDlg.Resize(fyne.NewSize(560, 520))
	f.camDlg.Show()
	// The scan station's camera when it is here, else the first one.
	choice := f.devices[0].Name
	if saved, _ := f.screen.store.StationSetting(context.Background(), settingCamera); saved != "" {
		for _, d := range f.devices {
			if d.ID == saved {
				choice = d.Name
			}
		}
	}
	pick.SetSelected(choice) // starts it
}

// startCamera (re)starts the pipeline on a device. Callbacks come from
// the pipeline's goroutines and reach the widgets through fyne.Do.
func (f *newCaseForm) startCamera(id string) {
	f.stopCamera()
	off := &atomic.Bool{} // this capture's own flag: a stopped one stays quiet
	f.camMu.Lock()
	f.camOff = off
	f.camMu.Unlock()
	f.preview.SetPlaceholder(i18n.T("station.cam.starting"))
	p := camera.Start(context.Background(), camera.Options{
		Provider: f.screen.cams, DeviceID: id,
		OnFrame: func(fr camera.Frame, inView []scan.Code) {
			if off.Load() || !f.pending.CompareAndSwap(false, true) {
				return
			}
			outlines := codeOutlines(inView)
			fyne.Do(func() {
				f.pending.Store(false)
				f.preview.SetFrame(fr.Image, outlines)
			})
		},
		OnDetect: func(d camera.Detection) {
			text := d.Code.Text
			fyne.Do(func() {
				if !off.Load() {
					f.cameraRead(text)
				}
			})
		},
		OnStatus: func(st camera.Status, _ error) {
			if off.Load() {
				return
			}
			fyne.Do(func() {
				switch st {
				case camera.StatusLive:
					f.camState.SetText(i18n.T("trace.scan.camera_hint"))
				case camera.StatusStopped:
				default:
					f.camState.SetText(i18n.T("station.cam." + st.String()))
				}
			})
		},
	})
	f.camMu.Lock()
	defer f.camMu.Unlock()
	f.started = p
	if off.Load() { // stopped already (a code read at once)
		go p.Stop()
		return
	}
	f.pipeline = p
}

// stopCamera ends the capture. The pipeline is stopped on its own
// goroutine: Stop waits for the decode worker, which may be the caller.
func (f *newCaseForm) stopCamera() {
	f.camMu.Lock()
	p := f.pipeline
	f.pipeline = nil
	if f.camOff != nil {
		f.camOff.Store(true)
	}
	f.camMu.Unlock()
	if p != nil {
		go p.Stop()
	}
}

// lastPipeline is the capture started last, running or not (tests).
func (f *newCaseForm) lastPipeline() *camera.Pipeline {
	f.camMu.Lock()
	defer f.camMu.Unlock()
	return f.started
}

// cameraRead handles one code the camera saw: a personal code closes the
// camera and is looked up; anything else is explained and scanning goes on.
func (f *newCaseForm) cameraRead(text string) {
	p, err := scan.Parse(strings.TrimSpace(text))
	if err != nil {
		f.camState.SetText(i18n.Error(data.Errorf(data.EInvalid, "err.trace_scan_bad_code", payloadMessage(err))))
		return
	}
	if _, ok := p.(scan.PersonCode); !ok {
		f.camState.SetText(i18n.Error(data.Errorf(data.EInvalid, "err.trace_scan_not_person", codeLabel(p.Kind()))))
		return
	}
	widgets.Beep()
	f.stopCamera()
	if f.camDlg != nil {
		f.camDlg.Hide()
	}
	f.readText(text)
}

// findPersonByCode finds whom a personal code names, with the keys the
// scan station trusts (scan.MatchIdentity): the QID, then a full ID
// number; failing those, people with the code's phone or name whose
// identity agrees with the code's (a masked ID's visible digits, name and
// birth year; or name, birth year and phone). A health-insurance code
// carries only a name and a birth date: those must agree.
func findPersonByCode(ctx context.Context, store *sqlite.Store, code scan.PersonCode) ([]data.Person, error) {
	id := code.Identity()
	if id.QID != "" {
		people, err := store.FindPeople(ctx, sqlite.PersonQuery{QID: id.QID})
		if err != nil || len(people) > 0 {
			return people, err
		}
	}
	if id.IDNumber != "" && !strings.Contains(id.IDNumber, "*") {
		people, err := store.FindPeople(ctx, sqlite.PersonQuery{IDNumber: id.IDNumber})
		if err != nil || len(people) > 0 {
			return people, err
		}
	}
	var queries []sqlite.PersonQuery
	if id.Phone != "" {
		queries = append(queries, sqlite.PersonQuery{Phone: id.Phone})
	}
	if id.FoldedName != "" {
		queries = append(queries, sqlite.PersonQuery{Name: id.FoldedName})
	}
	nameOnly := id.QID == "" && id.IDNumber == "" && id.Phone == ""
	var out []data.Person
	seen := map[data.ID]bool{}
	for _, q := range queries {
		people, err := store.FindPeople(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if seen[p.ID] {
				continue
			}
			theirs := personIdentity(p)
			_, ok := scan.MatchIdentity(id, theirs)
			if !ok && nameOnly {
				ok = id.BirthYear != 0 && id.FoldedName == theirs.FoldedName && id.BirthYear == theirs.BirthYear
			}
			if ok {
				seen[p.ID] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// personIdentity is a stored person's matching key (as the station's).
func personIdentity(p data.Person) scan.Identity {
	id := scan.Identity{QID: p.QID, IDNumber: p.IDNumber, FoldedName: scan.FoldName(p.FullName), Phone: p.Phone}
	if len(p.BirthDate) >= 4 {
		id.BirthYear, _ = strconv.Atoi(p.BirthDate[:4])
	}
	return id
}
