// Command qrward-hub is the district sync server: it serves the sync API
// over HTTPS from PostgreSQL and holds the district's administration
// commands.
//
//	qrward-hub migrate                      create or upgrade the schema
//	qrward-hub serve [--listen :8443] [--purge-every 6h] [--ward-files DIR|off] [--ward-file-age 6h]
//	                                        serve the sync API (self-signed TLS, or --tls=false behind a proxy);
//	                                        purges on the interval; caches per-ward replica files that new
//	                                        devices take whole (default in the user cache directory)
//	qrward-hub purge                        retention purge now (prints its counts as one JSON line)
//	qrward-hub enrol --ward W[,W…] [--role ward|district] [--name N] [--ttl 72h]
//	qrward-hub export [--tables venue,checkin] [--ward W] [--out FILE]   upstream export (NDJSON)
//	qrward-hub bundle import FILE           import a device's up bundle
//	qrward-hub bundle export --device ID --out FILE   write a down bundle for a device
//
// Every command takes --db (PostgreSQL URL, or $QRWARD_HUB_DB) and
// --district (or $QRWARD_HUB_DISTRICT) and --lang vi|en, and the
// district's retention rule: --checkin-days (or $QRWARD_HUB_CHECKIN_DAYS,
// default 21, the replicas' retention.checkins_days), --violation-days (or
// $QRWARD_HUB_VIOLATION_DAYS, default 1825, the replicas'
// retention.violations_days: closed violation files with their events and
// documents) and --offline-days (or $QRWARD_HUB_OFFLINE_DAYS, default 60:
// tombstones, retired people and the keys of purged violation files are
// kept this long). A pushed or imported row past retention (a check-in
// class row, or a row of a violation file the hub purged) is acknowledged
// and not stored.
package main
