// Package hub is the district sync server: a PostgreSQL store (pgx) of
// every synced row of its wards, the per-ward change stream devices pull
// from, the push handler that merges devices' outboxes, device enrolment
// with one-time codes and per-device scopes, USB bundles, the upstream
// export, and the HTTP(S) API that cmd/qrward-hub serves.
//
// Every table is keyed by (district, ward, …) and every sync query is a
// range scan inside one ward, with a per-ward sequence instead of a global
// one, so the schema runs unchanged on distributed PostgreSQL-compatible
// engines (docs/SCALING.md). Rows are stored column-agnostic (encoded
// values under a column list), so tables added to the replica sync once
// they are registered in syncproto, and encrypted columns pass through.
package hub
