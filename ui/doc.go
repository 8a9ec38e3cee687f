// Package ui is qrward's Fyne window: a navigation rail of screens, one
// file per screen (venues.go, settings.go, …), each wiring widgets to the
// data, scan and reports packages. No SQL and no business rules live here;
// reusable widgets are in ui/widgets.
package ui
