package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"qrward/assets/i18n"
)

func TestOutbreakAreasAddAndEnd(t *testing.T) {
	_, _, store := newTestScreen(t)
	o := newOutbreakAreas(store)
	w := test.NewTempWindow(t, o.content)
	// An empty name is refused with the reason.
	o.add()
	if !o.message.Visible() {
		t.Error("empty area accepted")
	}
	test.Type(o.name, "Phường Hòa Khánh Bắc, Quận Liên Chiểu")
	o.add()
	if o.message.Visible() {
		t.Fatalf("add failed: %s", o.message.Text)
	}
	areas, _ := store.OutbreakAreas(t.Context(), store.Now())
	if len(areas) != 1 || !contains(renderedLabels(w), areas[0].Name+" — "+i18n.T("outbreak.since", areas[0].ActiveFrom.Format("02/01/2006"))) {
		t.Fatalf("listed: %+v %q", areas, renderedLabels(w))
	}
	if err := store.EndOutbreakArea(t.Context(), areas[0].ID, store.Now().AddDate(0, 0, -1)); err != nil {
		t.Fatal(err)
	}
	o.refresh()
	if !contains(renderedLabels(w), i18n.T("outbreak.none")) {
		t.Errorf("ended area still listed: %q", renderedLabels(w))
	}
}
