// Package demo generates a realistic, deterministic demo replica: quận Hải
// Châu (Đà Nẵng) with its wards, venues of every category with plausible
// Vietnamese names, owners with valid-looking phones, weeks of check-ins
// skewed by time of day and venue popularity (many venues silent), and a
// few F0 cases. It bulk-loads through data/sqlite's Bulk, so ten million
// check-ins are practical for benchmarks.
package demo
