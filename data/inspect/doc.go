// Package inspect holds the rules of inspections and violations that do
// not touch storage: checklist templates chosen by venue category, the
// sanction rule table and the signers' caps, the violation lifecycle state
// machine, and working-day deadline arithmetic over a Vietnamese
// public-holiday calendar.
//
// Templates, rules and holidays are data, not code: JSON files under
// assets/ (checklists/, rules/, holidays/) that an office can correct and
// version without a release, because several provisions are press
// readings (FORMATS.md §5) and the lunar holidays change every year. Each
// file is validated when it is loaded; a broken file is refused as a whole
// with every problem, its file and its place (line and column for JSON
// syntax, a path such as items[3].rule otherwise), never half-used.
//
// The poster check on site goes through PosterVerifier, a small interface
// the scan package's VerifyVenueCode satisfies through an adapter, so this
// package does not depend on the QR engine.
package inspect
