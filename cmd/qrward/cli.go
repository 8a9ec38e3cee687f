package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
)

// Exit codes: 0 only on success.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// command is one subcommand; each lives in its own file.
type command struct {
	name    string // may hold a space: "import venues"
	summary string // i18n key
	run     func(env *env, args []string) error
}

var commands []command

func register(c command) { commands = append(commands, c) }

// env carries what every subcommand shares: output streams and the
// common flags.
type env struct {
	stdout, stderr io.Writer
	dbPath         string
	json           bool
	user           string // --user, or $QRWARD_USER
}

// errUsage marks a usage mistake (exit 2); the message is already printed.
var errUsage = errors.New("usage")

// defaultReplica is where the replica lives when --db is not given.
func defaultReplica() string { return sqlite.DefaultPath() }

// language picks the CLI language: --lang, then QRWARD_LANG, then vi.
func language(args []string) []string {
	lang := os.Getenv("QRWARD_LANG")
	out := args[:0:0]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--lang" && i+1 < len(args):
			lang = args[i+1]
			i++
		case strings.HasPrefix(a, "--lang="):
			lang = strings.TrimPrefix(a, "--lang=")
		default:
			out = append(out, a)
		}
	}
	i18n.SetLanguage(lang)
	return out
}

func run(args []string, stdout, stderr io.Writer) int {
	args = language(args)
	if len(args) == 0 {
		return runGUI("", stderr) // the window reopens the last replica
	}
	if args[0] == "--db" && len(args) == 2 {
		return runGUI(args[1], stderr)
	}
	if strings.HasPrefix(args[0], "--db=") && len(args) == 1 {
		return runGUI(strings.TrimPrefix(args[0], "--db="), stderr)
	}
	if args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		printUsage(stdout)
		return exitOK
	}
	// Longest match first, so "import venues" wins over a plain "import".
	sort.SliceStable(commands, func(i, j int) bool { return len(commands[i].name) > len(commands[j].name) })
	for _, c := range commands {
		words := strings.Fields(c.name)
		if len(args) < len(words) || strings.Join(args[:len(words)], " ") != c.name {
			continue
		}
		e := &env{stdout: stdout, stderr: stderr}
		err := c.run(e, args[len(words):])
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, errUsage):
			return exitUsage
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		default:
			fmt.Fprintln(stderr, i18n.T("cli.error_prefix")+" "+i18n.Error(err))
			return exitError
		}
	}
	fmt.Fprintln(stderr, i18n.T("cli.unknown_command", strings.Join(args, " ")))
	printUsage(stderr)
	return exitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, i18n.T("cli.usage"))
	sort.Slice(commands, func(i, j int) bool { return commands[i].name < commands[j].name })
	for _, c := range commands {
		fmt.Fprintf(w, "  qrward %-18s %s\n", c.name, i18n.T(c.summary))
	}
	fmt.Fprintln(w, i18n.T("cli.usage_common"))
}

// flags builds a flag set with the common flags; usage text is translated.
func (e *env) flags(name, usageKey string, withJSON bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&e.dbPath, "db", defaultReplica(), i18n.T("flag.db"))
	fs.StringVar(&e.user, "user", os.Getenv("QRWARD_USER"), i18n.T("flag.user"))
	if withJSON {
		fs.BoolVar(&e.json, "json", false, i18n.T("flag.json"))
	}
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "%s\n\n%s\n", i18n.T(usageKey), i18n.T("cli.options"))
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, turning mistakes into errUsage (exit 2) and --help
// into a clean exit.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// usageError prints a translated usage problem and returns errUsage.
func (e *env) usageError(fs *flag.FlagSet, key string, args ...any) error {
	fmt.Fprintln(e.stderr, i18n.T(key, args...))
	fs.Usage()
	return errUsage
}

// open opens the replica named by --db and signs in: with $QRWARD_TOKEN
// (unattended jobs, narrow roles), or as --user with $QRWARD_PASSPHRASE.
// A replica still in set-up mode needs no sign-in. Each command's store
// calls then check the signed-in role.
func (e *env) open() (*sqlite.Store, error) {
	s, err := sqlite.Open(e.dbPath)
	if err != nil {
		return nil, err
	}
	if !s.Locked() {
		return s, nil
	}
	ctx := ctxWithInterrupt()
	switch {
	case os.Getenv("QRWARD_TOKEN") != "":
		err = s.UnlockToken(ctx, os.Getenv("QRWARD_TOKEN"))
	case e.user != "" && os.Getenv("QRWARD_PASSPHRASE") != "":
		_, err = s.Unlock(ctx, e.user, os.Getenv("QRWARD_PASSPHRASE"))
	default:
		err = data.Errorf(data.EUnauthorized, "err.cli_signin")
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openExisting opens a replica that must already exist (read commands must
// not silently create an empty one in the wrong place).
func (e *env) openExisting() (*sqlite.Store, error) {
	if _, err := os.Stat(e.dbPath); err != nil {
		return nil, data.Errorf(data.ENotFound, "err.db_missing", e.dbPath)
	}
	return e.open()
}

// printJSON writes v as indented JSON.
func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// say prints a translated line to stdout.
func (e *env) say(key string, args ...any) { fmt.Fprintln(e.stdout, i18n.T(key, args...)) }

// progress prints a translated progress line to stderr, overwriting itself.
func (e *env) progress(key string, args ...any) {
	fmt.Fprintf(e.stderr, "\r%s   ", i18n.T(key, args...))
}

// parseIDOut parses the flags of a "one record to one file" command, which
// all take a required --id and --out; other flags are registered on fs
// before the call.
func (e *env) parseIDOut(fs *flag.FlagSet, args []string) (data.ID, string, error) {
	id := fs.String("id", "", i18n.T("flag.doc_id"))
	out := fs.String("out", "", i18n.T("flag.out"))
	if err := e.parse(fs, args); err != nil {
		return data.NilID, "", err
	}
	if *id == "" || *out == "" {
		fs.Usage()
		return data.NilID, "", errUsage
	}
	parsed, err := data.ParseID(*id)
	return parsed, *out, err
}
