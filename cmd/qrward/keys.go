package main

import (
	"bufio"
	"flag"
	"os"
	"strings"

	"qrward/assets/i18n"
	"qrward/data"
)

func init() {
	register(command{name: "keys init", summary: "cli.keys_init.summary", run: runKeysInit})
	register(command{name: "keys export", summary: "cli.keys_export.summary", run: runKeysExport})
	register(command{name: "keys import", summary: "cli.keys_import.summary", run: runKeysImport})
	register(command{name: "keys export-data", summary: "cli.keys_export_data.summary", run: runKeysExportData})
	register(command{name: "keys join-district", summary: "cli.keys_join.summary", run: runKeysJoin})
}

// transferPassphrase protects the district data key while it travels.
func transferPassphrase() (string, error) {
	if p := os.Getenv("QRWARD_TRANSFER_PASSPHRASE"); p != "" {
		return p, nil
	}
	return "", data.Errorf(data.EInvalid, "err.transfer_passphrase_missing")
}

func runKeysExportData(e *env, args []string) error {
	fs := e.flags("keys export-data", "cli.keys_export_data.usage", false)
	out := fs.String("out", "", i18n.T("flag.out"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	pass, err := transferPassphrase()
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	b, err := s.ExportDataKey(ctxWithInterrupt(), pass)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o600); err != nil {
		return data.Errorf(data.EInternal, "err.file_create", *out)
	}
	e.say("cli.keys_export_data.done", *out)
	return nil
}

func runKeysJoin(e *env, args []string) error {
	fs := e.flags("keys join-district", "cli.keys_join.usage", false)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return e.usageError(fs, "cli.import.need_file")
	}
	pass, err := transferPassphrase()
	if err != nil {
		return err
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return data.Errorf(data.ENotFound, "err.file_open", fs.Arg(0))
	}
	s, err := e.open()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.JoinDistrictKey(ctxWithInterrupt(), b, pass); err != nil {
		return err
	}
	e.say("cli.keys_join.done")
	return nil
}

// passphraseFlag adds --passphrase-file; the passphrase may also come from
// $QRWARD_KEY_PASSPHRASE (never from a plain flag: it would show in ps).
func passphraseFlag(fs *flag.FlagSet) *string {
	return fs.String("passphrase-file", "", i18n.T("flag.passphrase_file"))
}

func readPassphrase(file string) ([]byte, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, data.Errorf(data.ENotFound, "err.file_open", file)
		}
		defer f.Close()
		line, _ := bufio.NewReader(f).ReadString('\n')
		return []byte(strings.TrimRight(line, "\r\n")), nil
	}
	if p := os.Getenv("QRWARD_KEY_PASSPHRASE"); p != "" {
		return []byte(p), nil
	}
	return nil, data.Errorf(data.EInvalid, "err.passphrase_missing")
}

func runKeysInit(e *env, args []string) error {
	fs := e.flags("keys init", "cli.keys_init.usage", false)
	office := fs.String("office", "", i18n.T("field.office_name"))
	ward := fs.String("ward", "", i18n.T("flag.ward"))
	pf := passphraseFlag(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	pass, err := readPassphrase(*pf)
	if err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	if *office == "" {
		*office, _ = s.Setting(ctxWithInterrupt(), "office.name")
	}
	key, err := s.CreateOfficeKey(ctxWithInterrupt(), *office, *ward, pass)
	if err != nil {
		return err
	}
	e.say("cli.keys_init.done", key.KeyID().String())
	return nil
}

func runKeysExport(e *env, args []string) error {
	fs := e.flags("keys export", "cli.keys_export.usage", false)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	line, err := s.OwnPublicKey(ctxWithInterrupt())
	if err != nil {
		return err
	}
	_, err = e.stdout.Write([]byte(line + "\n"))
	return err
}

func runKeysImport(e *env, args []string) error {
	fs := e.flags("keys import", "cli.keys_import.usage", false)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return e.usageError(fs, "cli.import.need_file")
	}
	text, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return data.Errorf(data.ENotFound, "err.file_open", fs.Arg(0))
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.ImportTrustedKeys(ctxWithInterrupt(), string(text))
	if err != nil {
		return err
	}
	e.say("cli.keys_import.done", n)
	return nil
}
