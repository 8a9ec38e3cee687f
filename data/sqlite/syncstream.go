package sqlite

import (
	"context"
	"io"

	"qrward/data"
	"qrward/data/syncproto"
)

// StreamResult is what one applied pull page or snapshot did.
type StreamResult struct {
	ApplyResult
	More bool // the hub has more rows after this page
}

// ApplyStream applies a pull or snapshot stream (Header, Columns, Rows,
// Trailer) as one page: nothing is kept unless the trailer arrives intact.
func (s *Store) ApplyStream(ctx context.Context, r io.Reader, format syncproto.Format, ward string, progress func(int64)) (StreamResult, error) {
	d, err := syncproto.NewDecoder(r, format)
	if err != nil {
		return StreamResult{}, err
	}
	// Network reads and decoding run beside the SQLite writes: on two
	// cores this overlap is most of the difference to a plain bulk load.
	type decoded struct {
		f   *syncproto.Frame
		err error
	}
	frames := make(chan decoded, 4096)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(frames)
		for {
			f, err := d.Decode()
			select {
			case frames <- decoded{f, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	var w *PageWriter
	defer func() {
		if w != nil {
			w.Abort()
		}
	}()
	cols := map[string][]string{}
	var rows int64
	for {
		next, ok := <-frames
		if !ok {
			return StreamResult{}, &data.Error{Code: data.ECorrupt, Key: "err.sync_stream"}
		}
		f, err := next.f, next.err
		if err == io.EOF {
			return StreamResult{}, &data.Error{Code: data.ECorrupt, Key: "err.sync_stream"}
		}
		if err != nil {
			return StreamResult{}, err
		}
		switch {
		case f.Header != nil:
			if len(f.Header.Streams) != 1 || f.Header.Streams[0].Ward != ward {
				return StreamResult{}, &data.Error{Code: data.ECorrupt, Key: "err.sync_stream"}
			}
			sr := f.Header.Streams[0]
			if w, err = s.BeginPage(ctx, ward, sr.From, sr.Snapshot, int(f.Header.Rows)); err != nil {
				return StreamResult{}, err
			}
		case w == nil:
			return StreamResult{}, &data.Error{Code: data.ECorrupt, Key: "err.sync_stream"}
		case f.Columns != nil:
			cols[f.Columns.Table] = f.Columns.Names
		case f.Row != nil:
			if err := w.Row(f.Row, cols[f.Row.Table]); err != nil {
				return StreamResult{}, err
			}
			if rows++; progress != nil && rows%10000 == 0 {
				progress(rows)
			}
		case f.Trailer != nil:
			res, err := w.Commit(f.Trailer.NextAfter)
			w = nil
			return StreamResult{res, f.Trailer.More}, err
		}
	}
}
