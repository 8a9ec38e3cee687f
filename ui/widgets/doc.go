// Package widgets holds small reusable Fyne widgets qrward's screens
// share (bar chart, field with an inline error).
package widgets
