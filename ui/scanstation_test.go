package ui

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
	"qrward/scan"
	"qrward/scan/camera"
	"qrward/ui/widgets"
)

const stationCode = "001093029317|NGUYEN LE KHA HAN|1987-01-18|0|162979388586171100|0|0905123456"

// newScanTestScreen opens a real replica with one venue and shows the
// scan station in a headless window, with the beep counted instead of
// played.
func newScanTestScreen(t testing.TB) (*scanScreen, *sqlite.Store, *data.Venue, *int) {
	t.Helper()
	i18n.SetLanguage("vi")
	inline = true
	test.NewTempApp(t)
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "station.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	v := &data.Venue{Name: "Chợ Hàn", Category: "market", Address: "119 Trần Phú", WardCode: "20236",
		OwnerName: "Lê Thị Hồng", OwnerPhone: "0905123456"}
	if err := store.CreateVenue(t.Context(), v); err != nil {
		t.Fatal(err)
	}
	beeps := 0
	widgets.Beep = func() { beeps++ }
	t.Cleanup(func() { widgets.Beep = func() {} })
	w := test.NewTempWindow(t, nil)
	s := newScanScreen(store, w)
	t.Cleanup(s.stopCapture)
	w.SetContent(s.content)
	w.Resize(fyne.NewSize(1366, 768))
	return s, store, v, &beeps
}

// replaySequence adds a replay device playing the scenes once at fps.
func replaySequence(t testing.TB, s *scanScreen, fps float64, scenes ...camera.Scene) camera.Sequence {
	t.Helper()
	seq, err := camera.GenerateSequence(camera.SequenceOptions{Seed: 3, Scenes: scenes})
	if err != nil {
		t.Fatal(err)
	}
	s.replay.Add(camera.ReplayDevice{ID: "replay:test", Name: "test", FPS: fps,
		Frames: func() ([]image.Image, error) { return seq.Frames, nil }})
	return seq
}

func checkins(t testing.TB, store *sqlite.Store, v *data.Venue) int {
	t.Helper()
	c, err := store.TodayCounts(t.Context(), v.ID, data.NilID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Venue
}

func TestReplayedPersonalCodeGivesOneCheckinAndAGreenCard(t *testing.T) {
	s, store, v, beeps := newScanTestScreen(t)
	store.Now = func() time.Time { return time.Now() }
	s.setVenue(v.ID, v.Name)
	// The code stays in view for a second: one visitor, one check-in.
	replaySequence(t, s, 30, camera.Scene{Frames: 10}, camera.Scene{Text: stationCode, Frames: 30}, camera.Scene{Frames: 10})
	s.startCapture("replay:test", camera.Mode{})
	s.pipeline.Wait()

	if n := checkins(t, store, v); n != 1 {
		t.Fatalf("%d check-ins from one presence", n)
	}
	if s.banner.Level() != widgets.BannerGreen || s.banner.Title() != "MỜI VÀO" {
		t.Errorf("card %v %q", s.banner.Level(), s.banner.Title())
	}
	sub := strings.Join(s.banner.Subtitle(), " | ")
	if !strings.Contains(sub, "NGUYEN LE KHA HAN · 001093029317") || !strings.Contains(sub, "mã QR cá nhân") ||
		!strings.Contains(sub, "camera") {
		t.Errorf("card details %q", sub)
	}
	if *beeps != 1 {
		t.Errorf("%d beeps", *beeps)
	}
	if s.last.Checkin.StationID != store.DeviceID() || s.last.Checkin.Source != data.SourceStaffScan {
		t.Errorf("check-in %+v", s.last.Checkin)
	}
	if s.counter.Text != "Hôm nay: 1 lượt check-in (trạm này: 1)" || len(s.recent) != 1 || len(s.recentBox.Objects) != 1 {
		t.Errorf("counter %q, recent %d", s.counter.Text, len(s.recent))
	}
	if s.preview.Frame() == nil || s.preview.Frames < 40 {
		t.Errorf("preview showed %d frames", s.preview.Frames)
	}
	if s.status.Text != i18n.T("station.cam.ended") {
		t.Errorf("status %q", s.status.Text)
	}
	// The read came from the decoder worker, measured from the frame.
	if s.lastFrame.IsZero() || s.lastAt.Before(s.lastFrame) {
		t.Errorf("card at %v for a frame at %v", s.lastAt, s.lastFrame)
	}
}

func TestF1VisitorGetsARedBannerWithTheReason(t *testing.T) {
	s, store, v, _ := newScanTestScreen(t)
	ctx := t.Context()
	s.setVenue(v.ID, v.Name)
	s.submit(stationCode, "wedge", time.Time{}) // first visit creates the person
	visitor := s.last.Checkin.PersonID
	f0 := data.Person{FullName: "Lê Văn Tám", Phone: "0912345678"}
	if err := store.CreatePerson(ctx, &f0); err != nil {
		t.Fatal(err)
	}
	c := data.Case{PersonID: f0.ID, ConfirmedOn: time.Now().AddDate(0, 0, -1)}
	if err := store.CreateCase(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if err := store.SetFollowUp(ctx, sqlite.FollowUp{CaseID: c.ID, PersonID: visitor, Level: 1}); err != nil {
		t.Fatal(err)
	}
	s.dedupSelect.SetSelected(i18n.T("station.dedup_minutes", 1))
	store.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	s.submit(stationCode, "wedge", time.Time{})
	if s.banner.Level() != widgets.BannerRed || s.banner.Title() != "DỪNG LẠI — báo y tế" {
		t.Fatalf("card %v %q", s.banner.Level(), s.banner.Title())
	}
	if r := s.banner.Reasons(); len(r) != 1 || r[0] != "Có trong danh sách F1" {
		t.Errorf("reasons %q", r)
	}
}

func TestRescanWithinTheWindowIsSuppressedAndShownAsDuplicate(t *testing.T) {
	s, store, v, beeps := newScanTestScreen(t)
	s.setVenue(v.ID, v.Name)
	s.submit(stationCode, "wedge", time.Time{})
	base := time.Now()
	store.Now = func() time.Time { return base.Add(2 * time.Minute) }
	s.submit(stationCode, "camera", time.Time{})
	if n := checkins(t, store, v); n != 1 {
		t.Fatalf("%d check-ins after a rescan 2 minutes later", n)
	}
	if !s.last.Duplicate || s.banner.Level() != widgets.BannerAmber || s.banner.Title() != "ĐÃ CHECK-IN" {
		t.Errorf("card %v %q (duplicate %v)", s.banner.Level(), s.banner.Title(), s.last.Duplicate)
	}
	if r := s.banner.Reasons(); len(r) != 1 || !strings.HasPrefix(r[0], "Đã check-in tại đây") {
		t.Errorf("reasons %q", r)
	}
	if *beeps != 2 {
		t.Errorf("%d beeps: a duplicate still confirms the read", *beeps)
	}
	// The window is the station's setting and is remembered.
	if got, _ := store.StationSetting(t.Context(), settingDedup); got != "" && got != "3" {
		t.Errorf("saved window %q", got)
	}
}

func TestKeyboardWedgeScanEndsWithEnterAndKeepsFocus(t *testing.T) {
	s, store, v, _ := newScanTestScreen(t)
	s.setVenue(v.ID, v.Name)
	// What a wedge scanner does: type the payload, then press Enter.
	test.Type(s.wedge, stationCode)
	s.wedge.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if n := checkins(t, store, v); n != 1 {
		t.Fatalf("%d check-ins from the wedge", n)
	}
	if s.wedge.Text != "" {
		t.Errorf("entry not cleared: %q", s.wedge.Text)
	}
	if s.win.Canvas().Focused() != s.wedge {
		t.Error("the wedge entry lost focus; the next scan would go nowhere")
	}
	if !strings.Contains(strings.Join(s.banner.Subtitle(), " "), "máy quét cầm tay") {
		t.Errorf("source not shown: %q", s.banner.Subtitle())
	}
	// Garbage from the scanner is shown, not recorded.
	test.Type(s.wedge, "HELLO")
	s.wedge.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if s.banner.Title() != "Không nhận dạng được mã" || checkins(t, store, v) != 1 {
		t.Errorf("unknown text: %q", s.banner.Title())
	}
}

func TestPaperEntryShowsVietnameseErrorsPerFieldAndThenRecords(t *testing.T) {
	s, store, v, _ := newScanTestScreen(t)
	s.setVenue(v.ID, v.Name)
	s.showPaper()
	f := s.paper
	test.Type(f.phone, "0123")
	test.Type(f.id, "04809A")
	f.submit()
	want := map[string]string{
		"full_name": "Bắt buộc nhập",
		"phone":     "Không phải số di động Việt Nam hợp lệ: 0123",
		"id_number": "Số giấy tờ chỉ gồm chữ số",
	}
	for field, msg := range want {
		if e := f.fields[field].Error; !e.Visible() || e.Text != msg {
			t.Errorf("%s error %q (visible %v), want %q", field, e.Text, e.Visible(), msg)
		}
	}
	if n := checkins(t, store, v); n != 0 {
		t.Fatalf("an invalid form wrote %d check-ins", n)
	}
	f.name.SetText("Phạm Thị Hoa")
	f.phone.SetText("0905 551 234")
	f.id.SetText("")
	f.fever.SetChecked(true)
	f.submit()
	for field := range want {
		if f.fields[field].Error.Visible() {
			t.Errorf("%s error still shown", field)
		}
	}
	if n := checkins(t, store, v); n != 1 {
		t.Fatalf("%d check-ins after a valid form", n)
	}
	if s.banner.Level() != widgets.BannerRed || s.banner.Reasons()[0] != "Khai báo triệu chứng: sốt" {
		t.Errorf("card %v %q", s.banner.Level(), s.banner.Reasons())
	}
	if s.last.Checkin.Source != data.SourcePaper {
		t.Errorf("source %q", s.last.Checkin.Source)
	}
}

func TestUndoFromTheRecentList(t *testing.T) {
	s, store, v, _ := newScanTestScreen(t)
	s.setVenue(v.ID, v.Name)
	s.submit(stationCode, "wedge", time.Time{})
	s.undo(s.recent[0].Checkin.ID)
	if n := checkins(t, store, v); n != 0 || len(s.recent) != 0 || s.status.Text != "Đã hoàn tác lượt check-in" {
		t.Errorf("after undo: %d check-ins, %d listed, status %q", n, len(s.recent), s.status.Text)
	}
}

func TestPosterModeRecordsTheVerdictForTheVenue(t *testing.T) {
	s, store, v, _ := newScanTestScreen(t)
	ctx := t.Context()
	s.setVenue(v.ID, v.Name)
	if _, err := store.CreateOfficeKey(ctx, "UBND phường Hải Châu I", "20236", []byte("mật khẩu dài")); err != nil {
		t.Fatal(err)
	}
	key, _ := store.OfficeKey(ctx, []byte("mật khẩu dài"))
	_, code, err := store.IssueVenueQR(ctx, v.ID, key)
	if err != nil {
		t.Fatal(err)
	}
	s.modeSelect.SetSelected(i18n.T("station.mode.poster"))
	s.submit(code, "camera", time.Time{})
	if s.banner.Level() != widgets.BannerGreen || s.lastPost.Result != "genuine" {
		t.Errorf("genuine poster: %v %q", s.banner.Level(), s.lastPost.Result)
	}
	s.submit("https://tokhaiyte.vn/?page=Group.checkin&groupId=5f3b2a1c9d8e7f6a5b4c3d2e", "camera", time.Time{})
	if s.lastPost.Result != "national" || s.banner.Level() != widgets.BannerAmber {
		t.Errorf("national code: %q %v", s.lastPost.Result, s.banner.Level())
	}
	checks, _ := store.PosterChecks(ctx, v.ID)
	if len(checks) != 2 || checkins(t, store, v) != 0 {
		t.Errorf("%d poster checks, %d check-ins", len(checks), checkins(t, store, v))
	}
}

func TestScanningTheVenueCodeSetsTheContextAndIsRemembered(t *testing.T) {
	s, store, v, _ := newScanTestScreen(t)
	ctx := t.Context()
	store.CreateOfficeKey(ctx, "UBND phường Hải Châu I", "20236", []byte("mật khẩu dài"))
	key, _ := store.OfficeKey(ctx, []byte("mật khẩu dài"))
	_, code, err := store.IssueVenueQR(ctx, v.ID, key)
	if err != nil {
		t.Fatal(err)
	}
	s.submit(stationCode, "wedge", time.Time{})
	if s.banner.Title() != "Hãy chọn địa điểm trước khi quét" {
		t.Errorf("no venue yet: %q", s.banner.Title())
	}
	s.submit(code, "camera", time.Time{})
	if s.venueID != v.ID || s.venueLabel.Text != "Chợ Hàn" {
		t.Fatalf("venue %v %q", s.venueID, s.venueLabel.Text)
	}
	// A new screen (next start of the app) comes back to the same place.
	again := newScanScreen(store, s.win)
	defer again.stopCapture()
	if again.venueID != v.ID {
		t.Errorf("venue not remembered")
	}
}

func TestUnpluggedCameraKeepsTheOtherInputsWorking(t *testing.T) {
	s, store, v, _ := newScanTestScreen(t)
	s.setVenue(v.ID, v.Name)
	s.startCapture("usb-not-plugged-in", camera.Mode{})
	waitFor(t, func() bool { return s.status.Text == i18n.T("station.cam.no_device") })
	if s.preview.Placeholder() != i18n.T("station.cam.no_device") {
		t.Errorf("preview says %q", s.preview.Placeholder())
	}
	s.submit(stationCode, "wedge", time.Time{})
	if checkins(t, store, v) != 1 {
		t.Error("the wedge scanner must work without a camera")
	}
}

// BenchmarkCodeToCard measures, through the whole screen, the time from
// the capture of the first replayed frame showing a personal code to the
// result card being set (decode, person match, risk, SQLite write), at
// 640×480 and 30 fps. One op is one presence.
func BenchmarkCodeToCard(b *testing.B) {
	s, store, v, _ := newScanTestScreen(b)
	store.Now = func() time.Time { return time.Now() }
	s.setVenue(v.ID, v.Name)
	seq := replaySequence(b, s, 30, camera.Scene{Frames: 15}, camera.Scene{Text: stationCode, Frames: 20})
	first := seq.FirstFrameWith(stationCode)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		var enter time.Time
		s.pipeline = camera.Start(b.Context(), camera.Options{Provider: s.provider, DeviceID: "replay:test",
			OnFrame: func(f camera.Frame, _ []scan.Code) {
				if int(f.Seq) == first+1 {
					enter = f.At
				}
			},
			OnDetect: func(d camera.Detection) { s.submit(d.Code.Text, "camera", d.FrameAt) },
		})
		s.pipeline.Wait()
		if s.lastFrame.IsZero() {
			b.Fatal("no card")
		}
		total += s.lastAt.Sub(enter)
		store.Now = func() time.Time { return time.Now().Add(time.Duration(i+1) * time.Hour) } // next visit, not a duplicate
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-code-to-card")
}

// TestScreenshot renders the station after a replayed read with Fyne's
// software painter into $QRWARD_SCREENSHOT (docs/screenshot-station.png);
// skipped unless the variable is set.
func TestScreenshot(t *testing.T) {
	out := os.Getenv("QRWARD_SCREENSHOT")
	if out == "" {
		t.Skip("set QRWARD_SCREENSHOT=FILE.png to render the screen")
	}
	s, store, v, _ := newScanTestScreen(t)
	store.Now = func() time.Time { return time.Now() }
	s.setVenue(v.ID, v.Name)
	replaySequence(t, s, 30, camera.Scene{Frames: 5}, camera.Scene{Text: stationCode, Frames: 25})
	s.startCapture("replay:test", camera.Mode{})
	s.pipeline.Wait()
	img := s.win.Canvas().Capture()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
