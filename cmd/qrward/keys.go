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
