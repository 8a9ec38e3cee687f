// Package posters prepares venue QR posters from the replica: it issues
// (or re-creates, for a reprint) each venue's signed venue code and fills
// the reports package's poster fields. The GUI's "In mã QR" and the CLI's
// "print poster(s)" both call it, so they print the same PDF.
package posters
