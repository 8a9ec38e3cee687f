// Package venuefile reads and writes the venue lists ward offices keep in
// Excel: XLSX workbooks and CSV files with Vietnamese headers.
//
// # File format
//
// One venue per row under a header row. Columns lists the columns (the
// GUI can show it as the format's description): Mã địa điểm, Tên địa
// điểm*, Loại hình*, Địa chỉ*, Mã phường/xã*, Phường/xã, Chủ cơ sở*, Số
// điện thoại*, Phương thức kiểm soát, Trạng thái, Cam kết, Ghi chú (*:
// required), plus Có mã QR and Lần quét gần nhất, which exports add and
// imports ignore.
//
// Headers match ignoring case, diacritics, punctuation, a "*" or
// "(bắt buộc)" marker and a BOM; English aliases (name, category, address,
// ward_code, ward, owner, phone, …) and common Vietnamese variants (SĐT,
// Tên cơ sở, …) are accepted; columns may come in any order; a "STT"
// counter column is skipped; any other unknown column gives a warning.
// Title rows above the header are skipped: the header is the first of the
// first 20 non-blank rows naming at least two known columns.
//
// The ward is given by its 5-digit GSO code (Mã phường/xã), or by name
// (Phường/xã) when the code column is absent or empty. A name matches a
// ward's name or full name ignoring case, diacritics and punctuation, a
// final Roman numeral may be written as a number, and a leading type word
// may be abbreviated or left out: "Phường Hải Châu I", "Hải Châu I", "hai
// chau 1" and "P. Hải Châu 1" are all ward 20236. A name several wards
// share (e.g. Phước Ninh in Đà Nẵng and in Quảng Nam) must be given as a
// code. When both code and name are given they must agree.
//
// Coded columns (Loại hình, Trạng thái, Phương thức kiểm soát, Cam kết)
// accept the Vietnamese display name, the English name, the key or a
// common alias (Choices.Parse): "Nhà hàng", "nha hang, quan an" and
// "restaurant" are all the restaurant category. The display names are also
// in assets/i18n/venuefile.{vi,en}.json, for the GUI; a test keeps the two
// copies equal.
//
// # Reading
//
// Read parses a whole file into a Preview: every non-blank row with its
// line number as the user sees it, the venue normalised by
// data.Venue.Normalize, and the row's problems tied to columns; bad rows
// are kept so the office can see and fix them. Preview.Valid gives the
// importable venues, which data/sqlite's ImportVenues saves.
//
// # Writing
//
// WriteTemplate writes an empty file with two example rows (and, for
// XLSX, a "Hướng dẫn" sheet with the allowed values and drop-down lists).
// Export writes venues with the same columns and display values, so an
// exported file re-imports unchanged. CSV is written as UTF-8 with BOM and
// CRLF for Excel on Windows; XLSX through excelize's StreamWriter.
package venuefile
