package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"

	"qrward/data"
	"qrward/data/sqlite"
	"qrward/data/syncproto"
)

// WardFiles caches, per ward, a replica file holding the ward's snapshot
// (sqlite.BuildWardFile), zstd-compressed, for new devices to take whole
// instead of loading the snapshot stream row by row (see data/sqlite
// wardfile.go for why). A file is rebuilt when it is older than MaxAge,
// when the ward has moved on by more than a tenth of it, when it reaches
// behind the tombstone horizon, and after a retention purge; a device
// pulls what changed after the file's cursor, so a file a little behind
// costs it only a short pull.
//
// Each hub process keeps its own cache; the files hold what the snapshot
// stream carries (personal fields sealed with the district's data key) and
// are kept like the database: readable by the hub's user only.
type WardFiles struct {
	Dir    string
	MaxAge time.Duration // 0 = DefaultWardFileAge

	mu    sync.Mutex
	wards map[string]*sync.Mutex
}

// DefaultWardFileAge is how long a ward file is served before a rebuild.
const DefaultWardFileAge = 6 * time.Hour

// WardFileMeta describes a cached ward file; the HTTP answer carries it in
// headers.
type WardFileMeta struct {
	sqlite.WardFileInfo
	District string    `json:"district"`
	File     string    `json:"file"`   // compressed file's name in Dir
	Size     int64     `json:"size"`   // compressed bytes
	SHA256   string    `json:"sha256"` // of the compressed bytes
	BuiltAt  time.Time `json:"built_at"`
	BuildMS  int64     `json:"build_ms"`
}

// errNoWardFile: the hub does not offer ward files, or the ward is empty.
var errNoWardFile = &data.Error{Code: data.ENotFound, Key: "err.sync_wardfile_none"}

func (c *WardFiles) wardLock(ward string) *sync.Mutex {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.wards == nil {
		c.wards = map[string]*sync.Mutex{}
	}
	m, ok := c.wards[ward]
	if !ok {
		m = &sync.Mutex{}
		c.wards[ward] = m
	}
	return m
}

func (c *WardFiles) metaPath(district, ward string) string {
	return filepath.Join(c.Dir, "ward-"+district+"-"+ward+".json")
}

func (c *WardFiles) maxAge() time.Duration {
	if c.MaxAge > 0 {
		return c.MaxAge
	}
	return DefaultWardFileAge
}

// Invalidate drops every cached file (after a retention purge: the files
// may hold rows past retention).
func (c *WardFiles) Invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	metas, _ := filepath.Glob(filepath.Join(c.Dir, "ward-*.json"))
	for _, m := range metas {
		os.Remove(m)
	}
	files, _ := filepath.Glob(filepath.Join(c.Dir, "*.zst"))
	for _, f := range files {
		os.Remove(f)
	}
}

func (c *WardFiles) readMeta(district, ward string) (WardFileMeta, bool) {
	var m WardFileMeta
	b, err := os.ReadFile(c.metaPath(district, ward))
	if err != nil || json.Unmarshal(b, &m) != nil {
		return m, false
	}
	return m, true
}

// WardFile returns ward's cached file, open for reading, building it
// first when there is none or it is stale. Builds of one ward run one at
// a time; a device asking meanwhile waits for it.
func (h *Hub) WardFile(ctx context.Context, dev *Device, ward string) (WardFileMeta, *os.File, error) {
	c := h.WardFiles
	if c == nil {
		return WardFileMeta{}, nil, errNoWardFile
	}
	if err := h.checkScope(dev, ward); err != nil {
		return WardFileMeta{}, nil, err
	}
	if _, err := h.Stamp(ctx, ward); err != nil {
		return WardFileMeta{}, nil, err
	}
	lock := c.wardLock(ward)
	lock.Lock()
	defer lock.Unlock()
	last, horizon, err := h.streamState(ctx, nil, ward)
	if err != nil {
		return WardFileMeta{}, nil, err
	}
	if last == 0 {
		return WardFileMeta{}, nil, errNoWardFile // an empty ward: the snapshot stream says so in a few bytes
	}
	m, ok := c.readMeta(h.District, ward)
	if !ok || !h.wardFileFresh(m, last, horizon) {
		// The build outlives the request: a device that gave up (a flaky
		// link, a closed laptop) finds it done when it asks again.
		if m, err = h.buildWardFile(context.WithoutCancel(ctx), ward); err != nil {
			return WardFileMeta{}, nil, err
		}
	}
	f, err := os.Open(filepath.Join(c.Dir, m.File))
	if err != nil {
		return WardFileMeta{}, nil, err
	}
	return m, f, nil
}

func (h *Hub) wardFileFresh(m WardFileMeta, last, horizon int64) bool {
	behind := max(int64(20000), m.Rows/10)
	return m.District == h.District && m.Schema == sqlite.LatestSchemaVersion() &&
		time.Since(m.BuiltAt) < h.WardFiles.maxAge() && horizon <= m.Cursor && last-m.Cursor <= behind
}

// buildWardFile builds ward's file from its snapshot stream, compresses it
// into the cache and replaces the previous one.
func (h *Hub) buildWardFile(ctx context.Context, ward string) (WardFileMeta, error) {
	c := h.WardFiles
	start := time.Now()
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return WardFileMeta{}, err
	}
	// What a hub killed mid-build left behind.
	if old, _ := filepath.Glob(filepath.Join(c.Dir, "build-*")); len(old) > 0 {
		for _, p := range old {
			if st, err := os.Stat(p); err == nil && time.Since(st.ModTime()) > 24*time.Hour {
				os.Remove(p)
			}
		}
	}
	var tag [8]byte
	rand.Read(tag[:])
	tmp := filepath.Join(c.Dir, "build-"+ward+"-"+hex.EncodeToString(tag[:]))
	defer func() {
		for _, p := range []string{tmp + ".db", tmp + ".db-wal", tmp + ".db-shm", tmp + ".db-journal", tmp + ".zst"} {
			os.Remove(p)
		}
	}()
	pr, pw := io.Pipe()
	go func() {
		enc := syncproto.NewEncoder(pw, syncproto.Proto)
		_, err := h.writeSnapshot(ctx, ward, enc)
		if err == nil {
			err = enc.Close()
		}
		pw.CloseWithError(err)
	}()
	info, err := sqlite.BuildWardFile(ctx, tmp+".db", ward, pr, syncproto.Proto)
	pr.CloseWithError(io.ErrClosedPipe) // stops the writer if the build failed first
	if err != nil {
		return WardFileMeta{}, fmt.Errorf("build ward file %s: %w", ward, err)
	}
	sum, size, err := compressFile(tmp+".db", tmp+".zst")
	if err != nil {
		return WardFileMeta{}, err
	}
	m := WardFileMeta{WardFileInfo: info, District: h.District, File: sum + ".zst", Size: size, SHA256: sum,
		BuiltAt: time.Now(), BuildMS: time.Since(start).Milliseconds()}
	if err := os.Rename(tmp+".zst", filepath.Join(c.Dir, m.File)); err != nil {
		return WardFileMeta{}, err
	}
	old, hadOld := c.readMeta(h.District, ward)
	b, _ := json.Marshal(m)
	if err := os.WriteFile(tmp+".json", b, 0o600); err != nil {
		return WardFileMeta{}, err
	}
	if err := os.Rename(tmp+".json", c.metaPath(h.District, ward)); err != nil {
		return WardFileMeta{}, err
	}
	if hadOld && old.File != m.File {
		os.Remove(filepath.Join(c.Dir, old.File))
	}
	return m, nil
}

// compressFile writes src zstd-compressed to dst (mode 0600) and returns
// the SHA-256 of what it wrote, in hex, and its size.
func compressFile(src, dst string) (string, int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", 0, err
	}
	defer out.Close()
	hash := sha256.New()
	zw, err := zstd.NewWriter(io.MultiWriter(out, hash), zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		return "", 0, err
	}
	if _, err := io.Copy(zw, in); err != nil {
		zw.Close()
		return "", 0, err
	}
	if err := zw.Close(); err != nil {
		return "", 0, err
	}
	if err := out.Sync(); err != nil {
		return "", 0, err
	}
	st, err := out.Stat()
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(hash.Sum(nil)), st.Size(), nil
}
