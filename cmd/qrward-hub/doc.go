// Command qrward-hub is the district sync server: it serves the sync API
// over HTTPS from PostgreSQL and holds the district's administration
// commands.
//
//	qrward-hub migrate                      create or upgrade the schema
//	qrward-hub serve [--listen :8443]       serve the sync API (self-signed TLS, or --tls=false behind a proxy)
//	qrward-hub enrol --ward W[,W…] [--role ward|district] [--name N] [--ttl 72h]
//	qrward-hub export [--tables venue,checkin] [--ward W] [--out FILE]   upstream export (NDJSON)
//	qrward-hub bundle import FILE           import a device's up bundle
//	qrward-hub bundle export --device ID --out FILE   write a down bundle for a device
//
// Every command takes --db (PostgreSQL URL, or $QRWARD_HUB_DB) and
// --district (or $QRWARD_HUB_DISTRICT) and --lang vi|en.
package main
