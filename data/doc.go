// Package data holds qrward's domain: the types a ward office works with
// (administrative units, venues, people, check-ins, cases, inspections,
// violations, documents, users), their validation rules, and the text
// helpers every layer shares (NFC normalisation, diacritic folding, phone
// numbers).
//
// It has no SQL and no GUI. The SQLite replica lives in data/sqlite, the
// demo generator in data/demo, CSV/XLSX venue files in data/venuefile.
// Nothing under data imports ui.
package data
