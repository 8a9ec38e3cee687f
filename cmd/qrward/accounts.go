package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
)

func init() {
	register(command{name: "setup", summary: "cli.setup.summary", run: runSetup})
	register(command{name: "users add", summary: "cli.users_add.summary", run: runUsersAdd})
	register(command{name: "users list", summary: "cli.users_list.summary", run: runUsersList})
	register(command{name: "users reset", summary: "cli.users_reset.summary", run: runUsersReset})
	register(command{name: "users token", summary: "cli.users_token.summary", run: runUsersToken})
	register(command{name: "recover", summary: "cli.recover.summary", run: runRecover})
}

// newPassphrase reads a passphrase being set from $QRWARD_NEW_PASSPHRASE
// (never from a flag, which other users could read in the process list).
func newPassphrase() (string, error) {
	p := os.Getenv("QRWARD_NEW_PASSPHRASE")
	if p == "" {
		return "", data.Errorf(data.EInvalid, "err.new_passphrase_missing")
	}
	return p, nil
}

func runSetup(e *env, args []string) error {
	fs := e.flags("setup", "cli.setup.usage", false)
	code := fs.String("office-code", "", i18n.T("field.office_code"))
	name := fs.String("office-name", "", i18n.T("field.office_name"))
	admin := fs.String("admin", "admin", i18n.T("field.username"))
	adminName := fs.String("admin-name", "", i18n.T("field.display_name"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	pass, err := newPassphrase()
	if err != nil {
		return err
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	defer s.Close()
	rec, err := s.SetupOffice(ctxWithInterrupt(), *name, *code, data.User{Username: *admin, DisplayName: *adminName}, pass)
	if err != nil {
		return err
	}
	e.say("cli.setup.done", *admin)
	fmt.Fprintln(e.stdout, rec)
	e.say("cli.setup.recovery_note")
	return nil
}

func runUsersAdd(e *env, args []string) error {
	fs := e.flags("users add", "cli.users_add.usage", false)
	username := fs.String("username", "", i18n.T("field.username"))
	name := fs.String("name", "", i18n.T("field.display_name"))
	role := fs.String("role", "", i18n.T("field.role"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	pass, err := newPassphrase()
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	u := data.User{Username: *username, DisplayName: *name, Role: data.Role(*role)}
	if err := s.CreateUser(ctxWithInterrupt(), &u, pass); err != nil {
		return err
	}
	e.say("cli.users_add.done", u.Username, i18n.T("role."+string(u.Role)))
	return nil
}

func runUsersList(e *env, args []string) error {
	fs := e.flags("users list", "cli.users_list.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	users, err := s.Users(ctxWithInterrupt())
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(users)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Username, u.DisplayName, i18n.T("role."+string(u.Role)))
	}
	return tw.Flush()
}

func runUsersReset(e *env, args []string) error {
	fs := e.flags("users reset", "cli.users_reset.usage", false)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	pass, err := newPassphrase()
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.ResetPassphrase(ctxWithInterrupt(), fs.Arg(0), pass); err != nil {
		return err
	}
	e.say("cli.users_reset.done", fs.Arg(0))
	return nil
}

func runUsersToken(e *env, args []string) error {
	fs := e.flags("users token", "cli.users_token.usage", false)
	role := fs.String("role", string(data.RoleViewer), i18n.T("field.role"))
	label := fs.String("label", "", "label")
	days := fs.Int("days", 30, "days")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	token, err := s.CreateToken(ctxWithInterrupt(), data.Role(*role), *label, time.Duration(*days)*24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, token)
	return nil
}

func runRecover(e *env, args []string) error {
	fs := e.flags("recover", "cli.recover.usage", false)
	secretFile := fs.String("secret-file", "", "file")
	admin := fs.String("admin", "admin", i18n.T("field.username"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	secret, err := os.ReadFile(*secretFile)
	if err != nil {
		return data.Errorf(data.ENotFound, "err.file_open", *secretFile)
	}
	pass, err := newPassphrase()
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.RecoverWithSecret(ctxWithInterrupt(), strings.TrimSpace(string(secret)), *admin, pass); err != nil {
		return err
	}
	e.say("cli.users_reset.done", *admin)
	return nil
}
