package main

import (
	"fmt"
	"os"
	"strings"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/protect"
	"qrward/data/sqlite"
	"qrward/reports"
	"qrward/scan"
)

func init() {
	register(command{name: "print cards", summary: "cli.print_cards.summary", run: runPrintCards})
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// cardPayload writes a person's code in the national personal-QR layout
// (QRQG: ID number | name without diacritics, upper case | birth date |
// 0 | QID), so the scan station and any PC-Covid-era reader read it.
func cardPayload(p data.Person) string {
	name := strings.ToUpper(scan.FoldName(p.FullName))
	return strings.Join([]string{p.IDNumber, name, p.BirthDate, "0", p.QID, ""}, "|")
}

// runPrintCards prints personal-code cards (≥ 5×5 cm QR, six per A4
// sheet) for people without a phone, found by phone or ID number.
func runPrintCards(e *env, args []string) error {
	fs := e.flags("print cards", "cli.print_cards.usage", false)
	var phones, ids listFlag
	fs.Var(&phones, "phone", i18n.T("field.phone"))
	fs.Var(&ids, "id-number", i18n.T("field.id_number"))
	out := fs.String("out", "", i18n.T("flag.out"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" || len(phones)+len(ids) == 0 {
		fs.Usage()
		return errUsage
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Require(data.PermPrint); err != nil {
		return err
	}
	ctx := ctxWithInterrupt()
	office, _ := s.Setting(ctx, "office.name")
	var cards []reports.PersonalCard
	add := func(q sqlite.PersonQuery) error {
		p, err := findOnePerson(e, s, q)
		if err != nil {
			return err
		}
		if _, err := scan.Parse(cardPayload(p)); err != nil {
			return data.Errorf(data.EInvalid, "err.card_incomplete", p.FullName)
		}
		year := p.BirthDate
		if len(year) >= 4 {
			year = year[:4]
		}
		cards = append(cards, reports.PersonalCard{FullName: p.FullName, BirthYear: year, Code: p.ID.Short(),
			Payload: cardPayload(p), OfficeName: office, IssuedOn: s.Now()})
		return nil
	}
	for _, ph := range phones {
		if err := add(sqlite.PersonQuery{Phone: ph}); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if err := add(sqlite.PersonQuery{IDNumber: id}); err != nil {
			return err
		}
	}
	path := protect.PersonalFileName(*out)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return data.Errorf(data.EInternal, "err.file_create", path)
	}
	if err := reports.WriteCards(ctx, f, cards, reports.CardOptions{}, nil); err != nil {
		f.Close()
		return &data.Error{Code: data.EInternal, Key: "err.pdf_write", Err: err}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := s.Audit(ctx, "print_cards", "person", "", fmt.Sprintf(`{"cards":%d}`, len(cards))); err != nil {
		return err
	}
	e.say("cli.print_cards.done", len(cards), path)
	return nil
}
