// Package reports renders qrward's printed output as PDF: official
// documents in the layout of Nghị định 30/2020/NĐ-CP (violation records,
// penalty decisions, reports, notices, list reports such as tracing lists),
// venue QR posters (A4/A5) and personal-code cards.
//
// The package is self-contained: it never imports qrward/ui or qrward/data.
// Callers map their domain types onto the small input structs here
// (DocHeader, Footer, Table, PosterVenue, PersonalCard) and build with
// CGO_ENABLED=0.
//
// Fonts. Official documents use Times New Roman when the operating system
// has it (see SerifFonts) and otherwise the embedded, metric-compatible
// Liberation Serif; posters and cards use the Noto Sans bundled with Fyne.
// Every font is embedded as a subset with a Unicode map, so copied text
// stays Vietnamese. All text is normalised to NFC before it is measured or
// drawn: fpdf does no shaping, so decomposed input would misplace marks.
//
// Official documents. NewDocument starts an A4 page (portrait, or landscape
// for wide tables) with margins 20/20/30/15 mm; Header draws the two-block
// band (issuing body and "Số: 05/BB-VPHC" on the left; national title,
// motto and the italic place-date line on the right); Title, KinhGui,
// Paragraph/Para (justified, first-line indent 1.27 cm, 6 pt after), Table
// (header row repeated on each page), Footer ("Nơi nhận:" and the signing
// block) and Signatures follow top to bottom, breaking pages as needed.
// Page numbers are centred in the top margin from page 2.
//
// Helpers: DateLine, FormatDocNumber, AmountInWords, NumberInWords and
// FormatVND produce the exact wording the decree and sanction forms need.
//
// Posters and cards. WritePoster and WritePosters print venue posters with
// the QR drawn as vector rectangles (≥ 15 cm on A4, ≥ 10 cm on A5) and a
// white quiet zone; WriteCards prints six ≥ 5 cm personal-code cards per
// A4 sheet with cut marks. Batches report progress and honour context
// cancellation.
package reports
