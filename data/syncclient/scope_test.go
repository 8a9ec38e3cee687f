package syncclient

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"qrward/data"
	"qrward/data/hub"
	"qrward/data/syncproto"
)

// A device enrolled for one ward can neither pull nor push another.
func TestScopeIsEnforced(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	a, ca := h.enrolled(t, "a", hub.RoleWard, "20236")
	// Another ward's data on the hub.
	b, cb := h.enrolled(t, "b", hub.RoleWard, "20239")
	if err := b.CreateVenue(ctx, venue("Chợ Cồn", "20239")); err != nil {
		t.Fatal(err)
	}
	mustSync(t, cb)

	// Pull of a ward outside the scope: 403 with the scope message.
	_, _, err := ca.fetch(ctx, "/v1/pull?ward=20239&after=1", "20239", false)
	if de, ok := err.(*data.Error); !ok || de.Key != "err.sync_scope_pull" || de.Code != data.EUnauthorized {
		t.Fatalf("pull of another ward: %v", err)
	}
	_, _, err = ca.fetch(ctx, "/v1/snapshot?ward=20239", "20239", true)
	if data.ErrorCode(err) != data.EUnauthorized {
		t.Fatalf("snapshot of another ward: %v", err)
	}

	// Push into another ward: a venue of ward 20239 made on device a.
	if err := a.CreateVenue(ctx, venue("Quán lạ", "20239")); err != nil {
		t.Fatal(err)
	}
	_, _, err = ca.Push(ctx)
	if de, ok := err.(*data.Error); !ok || de.Key != "err.sync_scope_push" {
		t.Fatalf("push into another ward: %v", err)
	}
	if n, _ := a.PendingCount(ctx); n == 0 {
		t.Fatal("a refused push must keep the outbox")
	}
	// Nothing of the refused batch reached the hub.
	hashes, err := h.RowHashes(ctx, []string{"20236", "20239"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hashes["venue"]) != 1 {
		t.Fatalf("hub venues = %d, want only b's", len(hashes["venue"]))
	}

	// A row filed under an allowed ward but naming another in its own
	// ward column is refused too.
	batch, err := a.PreparePush(ctx, 100, "20236")
	if err != nil {
		t.Fatal(err)
	}
	for i := range batch.Rows {
		batch.Rows[i].Ward = "20236"
	}
	var buf bytes.Buffer
	if err := EncodePush(&buf, syncproto.Proto, a.DeviceID(), batch); err != nil {
		t.Fatal(err)
	}
	req, _ := ca.request(ctx, http.MethodPost, "/v1/push", &buf)
	resp, err := ca.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("forged ward: HTTP %d, want 403", resp.StatusCode)
	}

	// No token, a wrong token: 401.
	for _, tok := range []string{"", "AAAA"} {
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/v1/status", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("token %q: HTTP %d", tok, resp.StatusCode)
		}
	}
}

// A code works once; a used or unknown code is refused.
func TestEnrolmentCodeIsOneTime(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	code, err := h.IssueCode(ctx, hub.RoleWard, []string{"20236"}, "x", 3600e9)
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := newStore(t, "one"), newStore(t, "two")
	if _, err := Enrol(ctx, s1, h.srv.URL, code, "", "one"); err != nil {
		t.Fatal(err)
	}
	_, err = Enrol(ctx, s2, h.srv.URL, code, "", "two")
	if de, ok := err.(*data.Error); !ok || de.Key != "err.hub_enrol_code" {
		t.Fatalf("second use of a code: %v", err)
	}
	cfg, _ := s1.SyncConfig(ctx)
	if cfg.Role != hub.RoleWard || len(cfg.Wards) != 1 || cfg.HubRecipient == "" || cfg.Token == "" {
		t.Fatalf("stored config: %+v", cfg)
	}
}
