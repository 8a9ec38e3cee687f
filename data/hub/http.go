package hub

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"qrward/data"
	"qrward/data/syncproto"
)

// Limits of the HTTP API.
const (
	DefaultPageRows = syncproto.DefaultPageRows
	MaxPageRows     = 200000
	maxPushBody     = 256 << 20
)

// ErrorBody and StatusBody are JSON answers.
type (
	ErrorBody  = syncproto.ErrorBody
	StatusBody = syncproto.StatusBody
)

// Handler is the sync API:
//
//	POST /v1/enrol                      one-time code → device credential (JSON)
//	GET  /v1/status                     the device's scope and positions (JSON)
//	GET  /v1/pull?ward=W&after=S&limit=N  a page of ward W after cursor S (frames; 410 = load a snapshot)
//	GET  /v1/snapshot?ward=W            every live row of ward W (frames)
//	GET  /v1/wardfile?ward=W            ward W as a replica file (zstd; 404 = none, load the snapshot)
//	POST /v1/push                       an outbox batch (frames) → acknowledgement (JSON)
//
// Frames are gzip'd length-delimited protobuf, or NDJSON with format=json.
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/enrol", func(w http.ResponseWriter, r *http.Request) {
		var req EnrolRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil {
			writeError(w, data.Errorf(data.EInvalid, "err.hub_enrol_request"))
			return
		}
		resp, err := h.Enrol(r.Context(), req)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, resp)
	})
	mux.HandleFunc("GET /v1/status", h.authed(func(w http.ResponseWriter, r *http.Request, dev *Device) {
		st := StatusBody{DeviceID: dev.ID.String(), Role: dev.Role, Wards: dev.Wards, AckedSeq: dev.AckedSeq, Streams: map[string]int64{}}
		for _, ward := range dev.Wards {
			last, _, err := h.streamState(r.Context(), nil, ward)
			if err != nil {
				writeError(w, err)
				return
			}
			st.Streams[ward] = last
		}
		writeJSON(w, st)
	}))
	mux.HandleFunc("GET /v1/pull", h.authed(func(w http.ResponseWriter, r *http.Request, dev *Device) {
		q := r.URL.Query()
		after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
		limit, _ := strconv.Atoi(q.Get("limit"))
		if limit <= 0 {
			limit = DefaultPageRows
		}
		limit = min(limit, MaxPageRows)
		ward := q.Get("ward")
		if err := h.checkScope(dev, ward); err != nil {
			writeError(w, err)
			return
		}
		streamFrames(w, r, func(enc *syncproto.Encoder) error { return h.Pull(r.Context(), dev, ward, after, limit, enc) })
	}))
	mux.HandleFunc("GET /v1/snapshot", h.authed(func(w http.ResponseWriter, r *http.Request, dev *Device) {
		ward := r.URL.Query().Get("ward")
		if err := h.checkScope(dev, ward); err != nil {
			writeError(w, err)
			return
		}
		streamFrames(w, r, func(enc *syncproto.Encoder) error { return h.Snapshot(r.Context(), dev, ward, enc) })
	}))
	mux.HandleFunc("GET /v1/wardfile", h.authed(func(w http.ResponseWriter, r *http.Request, dev *Device) {
		ward := r.URL.Query().Get("ward")
		m, f, err := h.WardFile(r.Context(), dev, ward)
		if err != nil {
			writeError(w, err)
			return
		}
		defer f.Close()
		for k, v := range map[string]string{
			syncproto.HeaderWardCursor: strconv.FormatInt(m.Cursor, 10),
			syncproto.HeaderWardRows:   strconv.FormatInt(m.Rows, 10),
			syncproto.HeaderWardSchema: strconv.Itoa(m.Schema),
			syncproto.HeaderWardSHA256: m.SHA256,
		} {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/zstd")
		// ServeContent answers Range requests: an interrupted download
		// resumes where it stopped.
		http.ServeContent(w, r, "", m.BuiltAt, f)
		h.noteCursor(r.Context(), dev, ward, m.Cursor)
	}))
	mux.HandleFunc("POST /v1/push", h.authed(func(w http.ResponseWriter, r *http.Request, dev *Device) {
		format := syncproto.Proto
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-ndjson") {
			format = syncproto.JSON
		}
		b, err := ReadPush(http.MaxBytesReader(w, r.Body, maxPushBody), format)
		if err != nil {
			writeError(w, err)
			return
		}
		res, err := h.Push(r.Context(), dev, b)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, syncproto.Ack{DeviceID: dev.ID[:], AckedSeq: res.AckedSeq, Applied: int64(res.Applied), Conflicts: int64(res.Conflicts)})
	}))
	return mux
}

// ReadPush decodes a push stream: Header (FromSeq, ToSeq), Columns and Row
// frames, Trailer.
func ReadPush(r io.Reader, format syncproto.Format) (*PushBatch, error) {
	d, err := syncproto.NewDecoder(r, format)
	if err != nil {
		return nil, err
	}
	b := &PushBatch{Columns: map[string][]string{}}
	trailer := false
	for {
		f, err := d.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch {
		case f.Header != nil:
			b.FromSeq, b.ToSeq = f.Header.FromSeq, f.Header.ToSeq
		case f.Columns != nil:
			b.Columns[f.Columns.Table] = f.Columns.Names
		case f.Row != nil:
			b.Rows = append(b.Rows, *f.Row)
		case f.Trailer != nil:
			trailer = true
		}
	}
	if !trailer {
		return nil, data.Errorf(data.ECorrupt, "err.sync_stream")
	}
	return b, nil
}

func (h *Hub) authed(fn func(http.ResponseWriter, *http.Request, *Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		dev, err := h.Authenticate(r.Context(), token)
		if err != nil {
			writeError(w, err)
			return
		}
		fn(w, r, dev)
	}
}

func streamFrames(w http.ResponseWriter, r *http.Request, fn func(*syncproto.Encoder) error) {
	format := syncproto.Proto
	if r.URL.Query().Get("format") == "json" {
		format = syncproto.JSON
	}
	// The stream is buffered until the first frames are known good, so a
	// refusal (scope, resync) still gets its own status code.
	bw := &lazyWriter{w: w, contentType: format.ContentType()}
	enc := syncproto.NewEncoder(bw, format)
	err := fn(enc)
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		if !bw.started {
			writeError(w, err)
		}
		return // mid-stream: the client sees a truncated stream with no trailer
	}
	bw.flush()
}

// lazyWriter holds the first 64 KiB before committing to a 200.
type lazyWriter struct {
	w           http.ResponseWriter
	contentType string
	buf         []byte
	started     bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if l.started {
		return l.w.Write(p)
	}
	l.buf = append(l.buf, p...)
	if len(l.buf) >= 64<<10 {
		return len(p), l.flush()
	}
	return len(p), nil
}

func (l *lazyWriter) flush() error {
	if !l.started {
		l.started = true
		l.w.Header().Set("Content-Type", l.contentType)
		l.w.WriteHeader(http.StatusOK)
	}
	_, err := l.w.Write(l.buf)
	l.buf = nil
	return err
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var de *data.Error
	if !errors.As(err, &de) {
		de = &data.Error{Code: data.EInternal, Key: "err.hub_internal"}
	}
	status := http.StatusInternalServerError
	switch {
	case de == ErrResync || de.Key == ErrResync.Key:
		status = http.StatusGone
	case de.Code == data.EUnauthorized && (de.Key == "err.hub_token" || de.Key == "err.hub_enrol_code"):
		status = http.StatusUnauthorized
	case de.Code == data.EUnauthorized:
		status = http.StatusForbidden
	case de.Code == data.EInvalid || de.Code == data.ECorrupt:
		status = http.StatusBadRequest
	case de.Code == data.EConflict:
		status = http.StatusConflict
	case de.Code == data.ENotFound:
		status = http.StatusNotFound
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(ErrorBody{Code: de.Code, Key: de.Key, Args: de.Args})
}

// TLSConfig returns the hub's TLS configuration with its self-signed
// certificate (created on first use and kept in the database, so every hub
// process of the district serves the same one) and the certificate's
// SHA-256 fingerprint, which devices pin at enrolment: no public CA needed.
func (h *Hub) TLSConfig(ctx context.Context, hosts []string) (*tls.Config, string, error) {
	var certPEM, keyPEM string
	if err := h.pool.QueryRow(ctx, `SELECT tls_cert, tls_key FROM hub_identity WHERE district = $1`, h.District).
		Scan(&certPEM, &keyPEM); err != nil {
		return nil, "", err
	}
	if certPEM == "" {
		c, k, err := selfSigned(h.District, hosts)
		if err != nil {
			return nil, "", err
		}
		if _, err := h.pool.Exec(ctx, `UPDATE hub_identity SET tls_cert = $2, tls_key = $3 WHERE district = $1 AND tls_cert = ''`,
			h.District, c, k); err != nil {
			return nil, "", err
		}
		if err := h.pool.QueryRow(ctx, `SELECT tls_cert, tls_key FROM hub_identity WHERE district = $1`, h.District).
			Scan(&certPEM, &keyPEM); err != nil {
			return nil, "", err
		}
	}
	cert, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(cert.Certificate[0])
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, hex.EncodeToString(sum[:]), nil
}

func selfSigned(district string, hosts []string) (string, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "qrward-hub " + district},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"qrward-hub", "localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	for _, host := range hosts {
		if ip := net.ParseIP(host); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if host != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, host)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})), nil
}
