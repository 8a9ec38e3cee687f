package syncclient

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"qrward/data/hub"
	"qrward/data/hub/hubtest"
)

// The hub's self-signed certificate is checked against the fingerprint on
// the enrolment sheet, then pinned: no public CA involved.
func TestEnrolPinsHubCertificate(t *testing.T) {
	ctx := context.Background()
	h, err := hub.Open(ctx, hubtest.DB(t), district)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	cfg, fp, err := h.TLSConfig(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h.Handler())
	srv.TLS = cfg
	srv.StartTLS()
	defer srv.Close()

	code, _ := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "x", time.Hour)
	s := newStore(t, "tls")
	wrong := "00112233445566778899"
	if _, err := Enrol(ctx, s, srv.URL, code, wrong, "x"); errKey(err) != "err.sync_cert_pin" {
		t.Fatalf("wrong fingerprint: %v", err)
	}
	if _, err := Enrol(ctx, s, srv.URL, code, "ab", "x"); errKey(err) != "err.sync_fingerprint_short" {
		t.Fatalf("short fingerprint: %v", err)
	}
	got, err := Enrol(ctx, s, srv.URL, code, fp[:16], "x")
	if err != nil {
		t.Fatal(err)
	}
	if got.CertSHA256 != fp {
		t.Fatalf("pinned %q, want the full fingerprint %q", got.CertSHA256, fp)
	}
	c, err := New(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
}
