package syncclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"

	"github.com/klauspost/compress/zstd"

	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/syncproto"
)

// loadWardFile bootstraps an empty replica from the hub's ward file (see
// data/sqlite wardfile.go). ok is false, with no error, whenever the file
// path does not apply (the replica holds rows, the hub offers no file, the
// file is of another schema or arrived damaged): the caller then loads the
// snapshot stream, which always works.
func (c *Client) loadWardFile(ctx context.Context, ward string) (rows int64, ok bool, err error) {
	if wanted, err := c.store.WardFileWanted(ctx); err != nil || !wanted {
		return 0, false, err
	}
	resp, err := c.get(ctx, "/v1/wardfile?ward="+url.QueryEscape(ward))
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound, resp.StatusCode >= 500:
		// A hub without ward files, an empty ward, or a build that failed
		// on the hub (its disk, say): the stream does not depend on it.
		return 0, false, nil
	case resp.StatusCode != http.StatusOK:
		return 0, false, hubError(resp)
	}
	cursor, _ := strconv.ParseInt(resp.Header.Get(syncproto.HeaderWardCursor), 10, 64)
	total, _ := strconv.ParseInt(resp.Header.Get(syncproto.HeaderWardRows), 10, 64)
	schema, _ := strconv.Atoi(resp.Header.Get(syncproto.HeaderWardSchema))
	want := resp.Header.Get(syncproto.HeaderWardSHA256)
	if cursor <= 0 || schema != sqlite.LatestSchemaVersion() || want == "" {
		return 0, false, nil
	}

	// The file is written beside the replica (same disk, same protection)
	// and removed whatever happens.
	path := c.store.Path() + ".wardfile"
	cleanup := func() {
		for _, p := range []string{path, path + "-journal"} {
			os.Remove(p)
		}
	}
	cleanup()
	defer cleanup()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, false, err
	}
	hash := sha256.New()
	body := &progressReader{r: io.TeeReader(resp.Body, hash), report: func(n int64) {
		if resp.ContentLength > 0 && total > 0 {
			c.progress(Progress{Stage: "snapshot", Ward: ward, Rows: total * n / resp.ContentLength})
		}
	}}
	zr, err := zstd.NewReader(body)
	if err != nil {
		f.Close()
		return 0, false, err
	}
	_, err = io.Copy(f, zr)
	zr.Close()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if ctx.Err() != nil {
			return 0, false, &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: ctx.Err()}
		}
		return 0, false, nil // cut off or not zstd: the stream will do
	}
	if hex.EncodeToString(hash.Sum(nil)) != want {
		return 0, false, nil
	}
	rows, err = c.store.LoadWardFile(ctx, path, ward, cursor)
	if errors.Is(err, sqlite.ErrWardFileUnusable) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	c.progress(Progress{Stage: "snapshot", Ward: ward, Rows: rows})
	return rows, true, nil
}

// progressReader reports the bytes read so far, every 4 MiB.
type progressReader struct {
	r      io.Reader
	n      int64
	next   int64
	report func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n >= p.next {
		p.report(p.n)
		p.next = p.n + 4<<20
	}
	return n, err
}
