package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"qrward/data/sqlite"
	"qrward/data/syncclient"
)

func init() {
	register(command{name: "sync", summary: "cli.sync.summary", run: runSync})
	register(command{name: "sync enrol", summary: "cli.sync.enrol.summary", run: runSyncEnrol})
	register(command{name: "sync status", summary: "cli.sync.status.summary", run: runSyncStatus})
}

// runSync pushes the outbox and pulls every ward now.
func runSync(e *env, args []string) error {
	fs := e.flags("sync", "cli.sync.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	ctx := ctxWithInterrupt()
	c, err := syncclient.New(ctx, s)
	if err != nil {
		return err
	}
	if !e.json {
		c.Progress = func(p syncclient.Progress) { e.progress("cli.sync.progress."+p.Stage, p.Ward, p.Rows) }
	}
	rep, err := c.Sync(ctx)
	if !e.json {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(map[string]any{"pushed": rep.Pushed, "conflicts": rep.Conflicts, "pulled": rep.Pulled,
			"snapshots": rep.Snapshots, "ward_files": rep.WardFiles})
	}
	var pulled int64
	for _, n := range rep.Pulled {
		pulled += n
	}
	e.say("cli.sync.done", rep.Pushed, pulled, len(rep.Pulled), rep.Conflicts)
	return nil
}

// runSyncEnrol enrols the replica with a hub using a one-time code.
func runSyncEnrol(e *env, args []string) error {
	fs := e.flags("sync enrol", "cli.sync.enrol.usage", true)
	hubURL := fs.String("hub", "", "https://…")
	code := fs.String("code", "", "XXXX-XXXX-XXXX")
	fp := fs.String("fingerprint", "", "sha256")
	name := fs.String("name", "", "name")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *hubURL == "" || *code == "" {
		return e.usageError(fs, "cli.sync.enrol.missing")
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	defer s.Close()
	cfg, err := syncclient.Enrol(ctxWithInterrupt(), s, *hubURL, *code, *fp, *name)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(cfg)
	}
	e.say("cli.sync.enrol.done", cfg.HubURL, cfg.District, strings.Join(cfg.Wards, ", "), cfg.Role)
	return nil
}

// runSyncStatus shows the streams, the outbox and open conflicts.
func runSyncStatus(e *env, args []string) error {
	fs := e.flags("sync status", "cli.sync.status.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := syncStatus(context.Background(), s)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(st)
	}
	if st.Hub == "" {
		e.say("cli.sync.status.not_enrolled")
	} else {
		e.say("cli.sync.status.hub", st.Hub, st.District, strings.Join(st.Wards, ", "), st.Role)
	}
	e.say("cli.sync.status.pending", st.Pending, st.OpenConflicts)
	for _, x := range st.Streams {
		last := "—"
		if x.CompletedAt != "" {
			last = x.CompletedAt
		}
		e.say("cli.sync.status.stream", x.Stream, x.Cursor, last, x.Error)
	}
	return nil
}

type streamJSON struct {
	Stream      string `json:"stream"`
	Cursor      int64  `json:"cursor"`
	CompletedAt string `json:"completed_at,omitempty"`
	Error       string `json:"error,omitempty"`
}

type syncStatusJSON struct {
	Hub           string       `json:"hub,omitempty"`
	District      string       `json:"district,omitempty"`
	Wards         []string     `json:"wards,omitempty"`
	Role          string       `json:"role,omitempty"`
	Pending       int          `json:"pending"`
	OpenConflicts int          `json:"open_conflicts"`
	Streams       []streamJSON `json:"streams"`
}

func syncStatus(ctx context.Context, s *sqlite.Store) (syncStatusJSON, error) {
	var st syncStatusJSON
	cfg, err := s.SyncConfig(ctx)
	if err != nil {
		return st, err
	}
	if cfg.Enrolled() {
		st.Hub, st.District, st.Wards, st.Role = cfg.HubURL, cfg.District, cfg.Wards, cfg.Role
	}
	if st.Pending, err = s.PendingCount(ctx); err != nil {
		return st, err
	}
	cs, err := s.Conflicts(ctx, true)
	if err != nil {
		return st, err
	}
	st.OpenConflicts = len(cs)
	states, err := s.SyncStates(ctx)
	if err != nil {
		return st, err
	}
	st.Streams = []streamJSON{}
	for _, x := range states {
		j := streamJSON{Stream: x.Stream, Cursor: x.Cursor, Error: x.Error}
		if x.CompletedAt != nil {
			j.CompletedAt = x.CompletedAt.Format("2006-01-02 15:04:05")
		}
		st.Streams = append(st.Streams, j)
	}
	sort.Slice(st.Streams, func(i, j int) bool { return st.Streams[i].Stream < st.Streams[j].Stream })
	return st, nil
}
