// Package syncproto is the wire and file format of qrward's sync between
// ward laptops and the district hub: the registry of synced tables, the
// frames (header, column lists, rows, acknowledgements, trailer,
// signature), their two encodings (length-delimited protobuf in gzip for
// the wire and files, newline-delimited JSON for debugging) and bundles,
// the same frames signed by the sender (Ed25519) and encrypted to the
// receiver (age X25519) for carrying on a USB stick.
//
// The protobuf messages are written by hand with protowire (no code
// generator in the build); their field numbers are the schema and are
// documented in docs/SYNC.md. Rows are column-agnostic: values travel as
// the SQLite types (integer, real, text, blob, NULL) under a column list
// sent once per table, so new tables and encrypted columns pass through
// without changes here.
package syncproto
