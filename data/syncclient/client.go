package syncclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/syncproto"
)

// Progress is reported while a sync runs.
type Progress struct {
	Stage string // "push", "pull", "snapshot"
	Ward  string
	Rows  int64 // rows done in this stage so far
}

// Client syncs one replica with its hub.
type Client struct {
	store    *sqlite.Store
	cfg      sqlite.SyncConfig
	http     *http.Client
	PageRows int // rows per pull page
	PushRows int // outbox entries per push batch
	// Progress, when set, is called from the syncing goroutine.
	Progress func(Progress)
}

// New loads the replica's hub settings; the device must be enrolled.
func New(ctx context.Context, store *sqlite.Store) (*Client, error) {
	cfg, err := store.SyncConfig(ctx)
	if err != nil {
		return nil, err
	}
	if !cfg.Enrolled() {
		return nil, data.Errorf(data.ENotFound, "err.sync_not_enrolled")
	}
	return &Client{store: store, cfg: cfg, http: httpClient(cfg.CertSHA256), PageRows: syncproto.DefaultPageRows, PushRows: 5000}, nil
}

// Config is the client's hub settings.
func (c *Client) Config() sqlite.SyncConfig { return c.cfg }

// httpClient pins the hub's certificate by its SHA-256 fingerprint (or a
// prefix of it, as typed from the enrolment sheet); with no fingerprint it
// trusts the system's CAs (a hub behind a reverse proxy with a real
// certificate).
func httpClient(fingerprint string) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 2 * time.Minute
	if fp := strings.ToLower(strings.ReplaceAll(fingerprint, ":", "")); fp != "" {
		tr.TLSClientConfig = &tls.Config{
			InsecureSkipVerify: true, // replaced by the pin below
			VerifyConnection: func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) == 0 {
					return errors.New("no certificate")
				}
				sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
				if !strings.HasPrefix(hex.EncodeToString(sum[:]), fp) {
					return &data.Error{Code: data.EUnauthorized, Key: "err.sync_cert_pin"}
				}
				return nil
			},
		}
	}
	return &http.Client{Transport: tr}
}

// Enrol spends a one-time code at the hub and stores the device's
// credential, scope and the hub's keys. fingerprint is the hub
// certificate's SHA-256 (at least 16 hex digits) from the enrolment
// sheet; the full fingerprint seen is pinned from then on.
func Enrol(ctx context.Context, store *sqlite.Store, hubURL, code, fingerprint, name string) (sqlite.SyncConfig, error) {
	var cfg sqlite.SyncConfig
	hubURL = strings.TrimRight(strings.TrimSpace(hubURL), "/")
	u, err := url.Parse(hubURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return cfg, &data.Error{Code: data.EInvalid, Key: "err.sync_hub_url", Args: []any{hubURL}}
	}
	fp := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(fingerprint), ":", ""))
	if fp != "" && len(fp) < 16 {
		return cfg, data.Errorf(data.EInvalid, "err.sync_fingerprint_short")
	}
	keys, err := store.DeviceKeys(ctx)
	if err != nil {
		return cfg, err
	}
	var seen string
	client := httpClient(fp)
	if tr, ok := client.Transport.(*http.Transport); ok && tr.TLSClientConfig != nil {
		verify := tr.TLSClientConfig.VerifyConnection
		tr.TLSClientConfig.VerifyConnection = func(cs tls.ConnectionState) error {
			if err := verify(cs); err != nil {
				return err
			}
			sum := sha256.Sum256(cs.PeerCertificates[0].Raw)
			seen = hex.EncodeToString(sum[:])
			return nil
		}
	}
	body, _ := json.Marshal(syncproto.EnrolRequest{Code: code, DeviceID: store.DeviceID().String(), Name: name,
		SignPublic: keys.SignPublic(), Recipient: keys.Recipient()})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hubURL+"/v1/enrol", bytes.NewReader(body))
	if err != nil {
		return cfg, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return cfg, networkError(hubURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return cfg, hubError(resp)
	}
	var er syncproto.EnrolResponse
	if err := json.NewDecoder(resp.Body).Decode(&er); err != nil {
		return cfg, &data.Error{Code: data.ECorrupt, Key: "err.sync_stream", Err: err}
	}
	old, _ := store.SyncConfig(ctx)
	cfg = sqlite.SyncConfig{HubURL: hubURL, CertSHA256: seen, Token: er.Token, Keys: keys.Marshal(), District: er.District,
		Wards: er.Wards, Role: er.Role, HubSignPublic: er.HubSignPublic, HubRecipient: er.HubRecipient, AutoSync: old.AutoSync}
	if u.Scheme == "http" {
		cfg.CertSHA256 = ""
	}
	return cfg, store.SetSyncConfig(ctx, cfg)
}

// Report says what a sync did.
type Report struct {
	Pushed    int64 // outbox entries acknowledged
	Conflicts int64
	Pulled    map[string]int64 // rows applied per ward
	Snapshots []string         // wards loaded from a snapshot
	WardFiles []string         // of which loaded whole from the hub's ward file
}

// Sync pushes the whole outbox, then pulls every ward of the device's
// scope. Pushing first means the hub's merge of local edits comes down in
// the same run.
func (c *Client) Sync(ctx context.Context) (Report, error) {
	rep := Report{Pulled: map[string]int64{}}
	n, conflicts, err := c.Push(ctx)
	rep.Pushed, rep.Conflicts = n, conflicts
	if err != nil {
		return rep, err
	}
	for _, w := range c.cfg.Wards {
		got, err := c.Pull(ctx, w)
		rep.Pulled[w] = got.Rows
		if got.Snapshot {
			rep.Snapshots = append(rep.Snapshots, w)
		}
		if got.WardFile {
			rep.WardFiles = append(rep.WardFiles, w)
		}
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// Push sends the outbox in batches until it is empty; each acknowledged
// batch is trimmed at once.
func (c *Client) Push(ctx context.Context) (acked, conflicts int64, err error) {
	c.store.MarkSyncStarted(ctx, sqlite.UpStream)
	defer func() { c.fail(ctx, sqlite.UpStream, err) }()
	for {
		b, err := c.store.PreparePush(ctx, c.PushRows, c.cfg.HomeWard())
		if err != nil || b == nil {
			return acked, conflicts, err
		}
		var buf bytes.Buffer
		if err := EncodePush(&buf, syncproto.Proto, c.store.DeviceID(), b); err != nil {
			return acked, conflicts, err
		}
		req, err := c.request(ctx, http.MethodPost, "/v1/push", &buf)
		if err != nil {
			return acked, conflicts, err
		}
		req.Header.Set("Content-Type", syncproto.Proto.ContentType())
		resp, err := c.http.Do(req)
		if err != nil {
			return acked, conflicts, networkError(c.cfg.HubURL, err)
		}
		var ack syncproto.Ack
		if resp.StatusCode != http.StatusOK {
			err = hubError(resp)
		} else if err = json.NewDecoder(resp.Body).Decode(&ack); err != nil {
			err = &data.Error{Code: data.ECorrupt, Key: "err.sync_stream", Err: err}
		}
		resp.Body.Close()
		if err != nil {
			return acked, conflicts, err
		}
		if ack.AckedSeq < b.ToSeq {
			return acked, conflicts, &data.Error{Code: data.ECorrupt, Key: "err.sync_ack", Args: []any{ack.AckedSeq, b.ToSeq}}
		}
		if err := c.store.AckPush(ctx, ack.AckedSeq); err != nil {
			return acked, conflicts, err
		}
		acked += b.ToSeq - b.FromSeq + 1
		conflicts += ack.Conflicts
		c.progress(Progress{Stage: "push", Rows: acked})
	}
}

// EncodePush writes a push batch as frames.
func EncodePush(w io.Writer, format syncproto.Format, device data.ID, b *sqlite.PushBatch) error {
	enc := syncproto.NewEncoder(w, format)
	if err := encodeBatch(enc, &syncproto.Header{Direction: syncproto.Up, Kind: syncproto.KindPush, Sender: device.String(),
		SchemaVersion: syncproto.SchemaVersion, CreatedAt: time.Now().Unix(), FromSeq: b.FromSeq, ToSeq: b.ToSeq}, b); err != nil {
		return err
	}
	if err := enc.Encode(&syncproto.Frame{Trailer: &syncproto.Trailer{}}); err != nil {
		return err
	}
	return enc.Close()
}

func encodeBatch(enc *syncproto.Encoder, h *syncproto.Header, b *sqlite.PushBatch) error {
	if err := enc.Encode(&syncproto.Frame{Header: h}); err != nil {
		return err
	}
	for t, names := range b.Columns {
		if err := enc.Encode(&syncproto.Frame{Columns: &syncproto.Columns{Table: t, Names: names}}); err != nil {
			return err
		}
	}
	for i := range b.Rows {
		if err := enc.Encode(&syncproto.Frame{Row: &b.Rows[i]}); err != nil {
			return err
		}
	}
	return nil
}

// PullResult says what a pull did.
type PullResult struct {
	Rows     int64 // rows applied
	Snapshot bool  // the ward was loaded from a snapshot first
	WardFile bool  // that snapshot was the hub's ward file
}

// Pull brings a ward up to date: pages after the cursor, each applied with
// its cursor in one transaction; a snapshot first when the ward is new
// here or the hub asks for a resync. A new device takes the hub's ward
// file when it offers one, then pulls what changed since it was built.
func (c *Client) Pull(ctx context.Context, ward string) (res PullResult, err error) {
	stream := sqlite.DownStream(ward)
	c.store.MarkSyncStarted(ctx, stream)
	defer func() { c.fail(ctx, stream, err) }()
	triedFile := false
	for {
		cursor, err := c.store.StreamCursor(ctx, stream)
		if err != nil {
			return res, err
		}
		var n int64
		var more bool
		if cursor == 0 && !triedFile {
			triedFile = true
			var ok bool
			if n, ok, err = c.loadWardFile(ctx, ward); err != nil {
				return res, err
			}
			if ok {
				res.Rows, res.Snapshot, res.WardFile = res.Rows+n, true, true
				continue // then the rows changed since the file was built
			}
		}
		if cursor == 0 {
			n, more, err = c.fetch(ctx, "/v1/snapshot?ward="+url.QueryEscape(ward), ward, true)
			res.Snapshot, more = true, false // the snapshot holds everything up to its end; an empty ward keeps cursor 0
		} else {
			q := fmt.Sprintf("/v1/pull?ward=%s&after=%d&limit=%d", url.QueryEscape(ward), cursor, c.PageRows)
			n, more, err = c.fetch(ctx, q, ward, false)
			var de *data.Error
			if errors.As(err, &de) && de.Key == syncproto.ResyncKey {
				n, more, err = c.fetch(ctx, "/v1/snapshot?ward="+url.QueryEscape(ward), ward, true)
				res.Snapshot, more = true, false // the snapshot holds everything up to its end; an empty ward keeps cursor 0
			}
		}
		res.Rows += n
		if err != nil || !more {
			return res, err
		}
	}
}

// fetch streams one page or snapshot into the replica.
func (c *Client) fetch(ctx context.Context, path, ward string, snapshot bool) (int64, bool, error) {
	resp, err := c.get(ctx, path)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, false, hubError(resp)
	}
	stage := "pull"
	if snapshot {
		stage = "snapshot"
	}
	res, err := c.store.ApplyStream(ctx, resp.Body, syncproto.Proto, ward, func(n int64) {
		c.progress(Progress{Stage: stage, Ward: ward, Rows: n})
	})
	return int64(res.Applied), res.More, err
}

// get sends an authenticated GET; a failure to reach the hub is a network
// error the user can act on.
func (c *Client) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := c.request(ctx, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, networkError(c.cfg.HubURL, err)
	}
	return resp, nil
}

func (c *Client) request(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.HubURL+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	return req, nil
}

func (c *Client) progress(p Progress) {
	if c.Progress != nil {
		c.Progress(p)
	}
}

// fail records a stream's error for the sync screen (its message key, not
// the raw error, which could quote data).
func (c *Client) fail(ctx context.Context, stream string, err error) {
	if err == nil {
		return
	}
	key := "err.unexpected"
	var de *data.Error
	if errors.As(err, &de) {
		key = de.Key
	}
	c.store.MarkSyncFailed(context.WithoutCancel(ctx), stream, key)
}

func networkError(hubURL string, err error) error {
	var de *data.Error
	if errors.As(err, &de) {
		return de
	}
	if errors.Is(err, context.Canceled) {
		return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
	}
	return &data.Error{Code: data.EInternal, Key: "err.sync_network", Args: []any{hubURL}, Err: err}
}

// hubError rebuilds the hub's domain error from its JSON answer.
func hubError(resp *http.Response) error {
	var eb syncproto.ErrorBody
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&eb); err != nil || eb.Key == "" {
		return &data.Error{Code: data.EInternal, Key: "err.sync_http", Args: []any{resp.StatusCode}}
	}
	for i, a := range eb.Args {
		if f, ok := a.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			eb.Args[i] = int64(f)
		}
	}
	return &data.Error{Code: eb.Code, Key: eb.Key, Args: eb.Args, Err: errors.New("hub: HTTP " + strconv.Itoa(resp.StatusCode))}
}
