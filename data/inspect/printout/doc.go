// Package printout turns issued documents and schedules of the replica
// into the reports package's input structs and PDFs. The window and the
// CLI (qrward print …) both call it, so they write the same PDF.
//
// A document's content is frozen in its payload when it is numbered
// (inspect.DocFacts); personal data of the violator is not copied there
// and is read from the person row at print time, through the store's
// access checks. Every print is written to the audit log.
package printout
