// Package i18n holds qrward's user-facing text in Vietnamese (the default)
// and English, and turns message keys and domain errors into sentences.
//
// Translations are flat JSON maps, key → text with fmt verbs for
// arguments, in files named "<lang>.json" or "<area>.<lang>.json" so each
// part of the app keeps its own file; all files of a language are merged.
package i18n
