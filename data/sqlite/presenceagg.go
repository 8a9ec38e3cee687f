package sqlite

// qrward_presences(person_id, time_in, time_out) is an SQL aggregate that
// packs each check-in it is given into presenceSize bytes, end to end, in
// the order SQLite hands them over (a range read of checkin_venue_time: time
// order). A trace reads thousands of check-ins: one by one through
// database/sql they cost ~0.5 µs each in cgo calls, packed with SQLite's
// group_concat ~0.15 µs (a text conversion and a function call per column);
// this aggregate is one call per check-in with no conversion. Measured on
// the 10-million replica (docs/perf/tracing.md): the index reads of a heavy
// F0 fell from 0.43–0.57 ms to 0.32–0.41 ms.
//
// It is written in C against SQLite's stable C API, which the go-sqlite3
// package compiles into the same binary (the declarations below are the
// few entry points used), and registered with sqlite3_auto_extension so
// that every connection the process opens has it.

/*
#include <string.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_context sqlite3_context;
typedef struct sqlite3_value sqlite3_value;
typedef struct sqlite3_api_routines sqlite3_api_routines;
int sqlite3_create_function_v2(sqlite3 *db, const char *name, int nArg, int eTextRep, void *app,
	void (*xFunc)(sqlite3_context *, int, sqlite3_value **),
	void (*xStep)(sqlite3_context *, int, sqlite3_value **),
	void (*xFinal)(sqlite3_context *),
	void (*xDestroy)(void *));
int sqlite3_auto_extension(void (*xEntryPoint)(void));
void *sqlite3_aggregate_context(sqlite3_context *, int nBytes);
const void *sqlite3_value_blob(sqlite3_value *);
int sqlite3_value_bytes(sqlite3_value *);
int sqlite3_value_type(sqlite3_value *);
long long sqlite3_value_int64(sqlite3_value *);
void sqlite3_result_blob64(sqlite3_context *, const void *, unsigned long long, void (*)(void *));
void sqlite3_result_error(sqlite3_context *, const char *, int);
void sqlite3_result_error_nomem(sqlite3_context *);
void *sqlite3_realloc64(void *, unsigned long long);
void sqlite3_free(void *);

// Constants from sqlite3.h.
#define QW_SQLITE_UTF8 1
#define QW_SQLITE_DETERMINISTIC 0x000000800
#define QW_SQLITE_NULL 5

#define QW_PRESENCE 32 // presenceSize
#define QW_ID 16

typedef struct {
	unsigned char *buf;
	unsigned long long len, cap;
	int oom, badID;
} qw_presences;

static void qw_put64(unsigned char *p, long long v) {
	unsigned long long u = (unsigned long long)v;
	for (int i = 0; i < 8; i++) p[i] = (unsigned char)(u >> (8 * i));
}

static void qw_presences_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
	qw_presences *a = sqlite3_aggregate_context(ctx, sizeof(qw_presences));
	if (a == 0 || a->oom || a->badID) return;
	if (a->len + QW_PRESENCE > a->cap) {
		unsigned long long cap = a->cap ? 2 * a->cap : 64 * QW_PRESENCE;
		unsigned char *b = sqlite3_realloc64(a->buf, cap);
		if (b == 0) {
			a->oom = 1;
			return;
		}
		a->buf = b;
		a->cap = cap;
	}
	unsigned char *p = a->buf + a->len;
	if (sqlite3_value_type(argv[0]) == QW_SQLITE_NULL) {
		memset(p, 0, QW_ID);
	} else {
		const void *id = sqlite3_value_blob(argv[0]);
		if (id == 0 || sqlite3_value_bytes(argv[0]) != QW_ID) {
			a->badID = 1;
			return;
		}
		memcpy(p, id, QW_ID);
	}
	qw_put64(p + QW_ID, sqlite3_value_int64(argv[1]));
	qw_put64(p + QW_ID + 8, sqlite3_value_int64(argv[2])); // NULL reads as 0
	a->len += QW_PRESENCE;
}

static void qw_presences_final(sqlite3_context *ctx) {
	qw_presences *a = sqlite3_aggregate_context(ctx, 0);
	if (a == 0) return; // no rows: NULL
	if (a->oom) {
		sqlite3_free(a->buf);
		sqlite3_result_error_nomem(ctx);
	} else if (a->badID) {
		sqlite3_free(a->buf);
		sqlite3_result_error(ctx, "qrward_presences: a person id that is not 16 bytes", -1);
	} else {
		sqlite3_result_blob64(ctx, a->buf, a->len, sqlite3_free); // SQLite frees it
	}
}

static int qw_register(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
	return sqlite3_create_function_v2(db, "qrward_presences", 3, QW_SQLITE_UTF8 | QW_SQLITE_DETERMINISTIC, 0,
		0, qw_presences_step, qw_presences_final, 0);
}

static int qw_auto_register(void) { return sqlite3_auto_extension((void (*)(void))qw_register); }
*/
import "C"

// presenceSize is the bytes qrward_presences packs per check-in: the
// person's id (zeros for none), then time_in and time_out (0 for none) as
// little-endian 64-bit integers.
const presenceSize = C.QW_PRESENCE

func init() {
	if rc := C.qw_auto_register(); rc != 0 {
		panic("sqlite: cannot register qrward_presences") // SQLITE_NOMEM at start-up
	}
}
