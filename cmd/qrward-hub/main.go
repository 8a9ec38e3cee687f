package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/hub"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	lang := os.Getenv("QRWARD_LANG")
	var rest []string
	for i := 0; i < len(args); i++ {
		if args[i] == "--lang" && i+1 < len(args) {
			lang = args[i+1]
			i++
			continue
		}
		rest = append(rest, args[i])
	}
	i18n.SetLanguage(lang)
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "--help" {
		fmt.Fprintln(stdout, i18n.T("cli.hub.usage"))
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	name, rest := rest[0], rest[1:]
	if name == "bundle" && len(rest) > 0 {
		name, rest = "bundle "+rest[0], rest[1:]
	}
	var err error
	switch name {
	case "migrate":
		err = withHub(ctx, rest, nil, func(h *hub.Hub, fs *flag.FlagSet) error {
			fmt.Fprintln(stdout, i18n.T("cli.hub.migrated", h.District))
			return nil
		})
	case "serve":
		err = cmdServe(ctx, rest, stdout, stderr)
	case "purge":
		err = withHub(ctx, rest, nil, func(h *hub.Hub, fs *flag.FlagSet) error {
			if fs.NArg() != 0 {
				return errUsage
			}
			res, err := h.Purge(ctx)
			if err != nil {
				return err
			}
			return printPurge(stdout, res)
		})
	case "enrol":
		err = cmdEnrol(ctx, rest, stdout)
	case "export":
		err = cmdExport(ctx, rest, stdout)
	case "bundle import":
		err = withHub(ctx, rest, nil, func(h *hub.Hub, fs *flag.FlagSet) error {
			if fs.NArg() != 1 {
				return errUsage
			}
			res, err := h.ImportBundle(ctx, fs.Arg(0))
			if err != nil {
				return err
			}
			if res.Replayed {
				fmt.Fprintln(stdout, i18n.T("cli.hub.bundle_replayed", fs.Arg(0)))
				return nil
			}
			fmt.Fprintln(stdout, i18n.T("cli.hub.bundle_imported", fs.Arg(0), res.Device.Name, res.Push.Applied, res.Push.AckedSeq, res.Push.Conflicts))
			return nil
		})
	case "bundle export":
		var device, out *string
		err = withHub(ctx, rest, func(fs *flag.FlagSet) {
			device = fs.String("device", "", "device id")
			out = fs.String("out", "", "file")
		}, func(h *hub.Hub, fs *flag.FlagSet) error {
			id, err := hub.ParseDeviceRef(*device)
			if err != nil || *out == "" {
				return errUsage
			}
			dev, err := h.Device(ctx, id)
			if err != nil {
				return err
			}
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			res, err := h.ExportBundle(ctx, dev, f, nil)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(*out)
				return err
			}
			fmt.Fprintln(stdout, i18n.T("cli.hub.bundle_exported", *out, res.Rows, dev.Name))
			return nil
		})
	default:
		err = errUsage
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, i18n.T("cli.hub.usage"))
		return 2
	default:
		fmt.Fprintln(stderr, i18n.T("cli.error_prefix")+" "+i18n.Error(err))
		return 1
	}
}

var errUsage = errors.New("usage")

// withHub parses the common flags (and extra ones), opens the hub and runs fn.
func withHub(ctx context.Context, args []string, extra func(*flag.FlagSet), fn func(*hub.Hub, *flag.FlagSet) error) error {
	fs := flag.NewFlagSet("qrward-hub", flag.ContinueOnError)
	dsn := fs.String("db", os.Getenv("QRWARD_HUB_DB"), "PostgreSQL URL")
	district := fs.String("district", os.Getenv("QRWARD_HUB_DISTRICT"), "district code")
	// The district's retention rule: every command that stores or purges
	// rows applies it (a push of a row past retention is acknowledged, not
	// stored), so it is common to all.
	checkinDays := fs.Int("checkin-days", envInt("QRWARD_HUB_CHECKIN_DAYS", data.DefaultRetentionCheckins),
		"check-in retention period in days (the replicas' retention.checkins_days)")
	violationDays := fs.Int("violation-days", envInt("QRWARD_HUB_VIOLATION_DAYS", data.DefaultRetentionViolations),
		"retention period of closed violation files in days (the replicas' retention.violations_days)")
	offlineDays := fs.Int("offline-days", envInt("QRWARD_HUB_OFFLINE_DAYS", hub.DefaultOfflineDays),
		"longest offline period in days: tombstones and retired people are kept this long")
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *dsn == "" {
		return data.Errorf(data.EInvalid, "err.hub_db_required")
	}
	if *checkinDays < 1 || *checkinDays > 365 {
		return &data.Error{Code: data.EInvalid, Key: "err.retention_range", Args: []any{1, 365}}
	}
	// The replicas' bounds (sqlite.SetRetention).
	if *violationDays < 30 || *violationDays > 36500 {
		return &data.Error{Code: data.EInvalid, Key: "err.retention_range", Args: []any{30, 36500}}
	}
	if *offlineDays < 1 {
		return errUsage
	}
	h, err := hub.Open(ctx, *dsn, *district)
	if err != nil {
		return err
	}
	defer h.Close()
	h.Retention = hub.Retention{CheckinDays: *checkinDays, ViolationDays: *violationDays, OfflineDays: *offlineDays}
	return fn(h, fs)
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var listen, hosts *string
	var useTLS *bool
	var purgeEvery, wardFileAge *time.Duration
	var wardFiles *string
	return withHub(ctx, args, func(fs *flag.FlagSet) {
		listen = fs.String("listen", ":8443", "address")
		hosts = fs.String("host", "", "extra certificate names, comma-separated")
		useTLS = fs.Bool("tls", true, "serve HTTPS with the hub's own certificate (false: behind a TLS reverse proxy)")
		purgeEvery = fs.Duration("purge-every", 6*time.Hour, "retention purge interval (0: never; run qrward-hub purge instead)")
		wardFiles = fs.String("ward-files", os.Getenv("QRWARD_HUB_WARD_FILES"),
			"cache directory of the ward files new devices take whole (default: the user cache directory; off: none)")
		wardFileAge = fs.Duration("ward-file-age", hub.DefaultWardFileAge, "how long a ward file is served before a rebuild")
	}, func(h *hub.Hub, fs *flag.FlagSet) error {
		if dir := wardFileDir(*wardFiles, h.District); dir != "" {
			h.WardFiles = &hub.WardFiles{Dir: dir, MaxAge: *wardFileAge}
		}
		srv := &http.Server{Addr: *listen, Handler: h.Handler(), ReadHeaderTimeout: 30 * time.Second}
		go h.RunStamper(ctx, time.Second)
		if *purgeEvery > 0 {
			// At start, then on the interval: the cut moves at Vietnamese
			// midnight, so a few runs a day keep the hub within a few hours
			// of the replicas.
			go h.RunPurger(ctx, *purgeEvery, func(res hub.PurgeResult, err error) {
				if err != nil {
					fmt.Fprintln(stderr, i18n.T("cli.error_prefix")+" "+i18n.Error(err))
					return
				}
				printPurge(stdout, res)
			})
		}
		go func() {
			<-ctx.Done()
			shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			srv.Shutdown(shut)
		}()
		var err error
		if *useTLS {
			cfg, fp, terr := h.TLSConfig(ctx, strings.Split(*hosts, ","))
			if terr != nil {
				return terr
			}
			srv.TLSConfig = cfg
			fmt.Fprintln(stdout, i18n.T("cli.hub.serving_tls", *listen, h.District, fp))
			err = srv.ListenAndServeTLS("", "")
		} else {
			fmt.Fprintln(stdout, i18n.T("cli.hub.serving_plain", *listen, h.District))
			err = srv.ListenAndServe()
		}
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	})
}

// wardFileDir is where the ward files are cached: the flag's directory,
// none for "off", else the user cache directory (per district, as one
// machine may serve several).
func wardFileDir(flagValue, district string) string {
	switch flagValue {
	case "off":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(base, "qrward-hub", district, "wardfiles")
	}
	return flagValue
}

func cmdEnrol(ctx context.Context, args []string, stdout io.Writer) error {
	var wards, role, name *string
	var ttl *time.Duration
	return withHub(ctx, args, func(fs *flag.FlagSet) {
		wards = fs.String("ward", "", "ward codes, comma-separated")
		role = fs.String("role", hub.RoleWard, "ward|district")
		name = fs.String("name", "", "device or office name")
		ttl = fs.Duration("ttl", 72*time.Hour, "validity")
	}, func(h *hub.Hub, fs *flag.FlagSet) error {
		var ws []string
		for _, w := range strings.Split(*wards, ",") {
			if w = strings.TrimSpace(w); w != "" {
				ws = append(ws, w)
			}
		}
		code, err := h.IssueCode(ctx, *role, ws, *name, *ttl)
		if err != nil {
			return err
		}
		_, fp, err := h.TLSConfig(ctx, nil)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, i18n.T("cli.hub.enrol_sheet", code, strings.Join(ws, ", "), *role,
			time.Now().Add(*ttl).Format("02/01/2006 15:04"), fp))
		return nil
	})
}

func cmdExport(ctx context.Context, args []string, stdout io.Writer) error {
	var tables, wards, out *string
	return withHub(ctx, args, func(fs *flag.FlagSet) {
		tables = fs.String("tables", strings.Join(hub.UpstreamTables, ","), "tables")
		wards = fs.String("ward", "", "ward codes, comma-separated (default all)")
		out = fs.String("out", "", "file (default stdout)")
	}, func(h *hub.Hub, fs *flag.FlagSet) error {
		w := stdout
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		opt := hub.ExportOptions{Tables: strings.Split(*tables, ",")}
		if *wards != "" {
			opt.Wards = strings.Split(*wards, ",")
		}
		_, err := h.ExportUpstream(ctx, w, opt)
		return err
	})
}

// printPurge writes a purge's counts as one JSON line (for logs and
// scripts): {"purge":{"cutoff":…,"rows":{"checkin":N,…},"people":N,…}}.
func printPurge(w io.Writer, res hub.PurgeResult) error {
	b, err := json.Marshal(map[string]hub.PurgeResult{"purge": res})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

// envInt reads a whole number from the environment, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv(name))); err == nil {
		return n
	}
	return def
}
