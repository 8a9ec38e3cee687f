package main

import (
	"encoding/json"
	"os"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/protect"
	"qrward/data/sqlite"
)

func init() {
	register(command{name: "person export", summary: "cli.person_export.summary", run: runPersonExport})
	register(command{name: "person correct", summary: "cli.person_correct.summary", run: runPersonCorrect})
}

// findOnePerson finds exactly one person by exact identifiers.
func findOnePerson(e *env, s *sqlite.Store, q sqlite.PersonQuery) (data.Person, error) {
	people, err := s.FindPeople(ctxWithInterrupt(), q)
	if err != nil {
		return data.Person{}, err
	}
	switch len(people) {
	case 0:
		return data.Person{}, data.Errorf(data.ENotFound, "err.person_not_found")
	case 1:
		return people[0], nil
	}
	return data.Person{}, data.Errorf(data.EConflict, "err.person_ambiguous", len(people))
}

func runPersonExport(e *env, args []string) error {
	fs := e.flags("person export", "cli.person_export.usage", false)
	var q sqlite.PersonQuery
	fs.StringVar(&q.Phone, "phone", "", i18n.T("field.phone"))
	fs.StringVar(&q.IDNumber, "id-number", "", i18n.T("field.id_number"))
	fs.StringVar(&q.QID, "qid", "", i18n.T("field.qid"))
	out := fs.String("out", "", i18n.T("flag.out"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := findOnePerson(e, s, q)
	if err != nil {
		return err
	}
	rec, err := s.ExportPerson(ctxWithInterrupt(), p.ID)
	if err != nil {
		return err
	}
	path := protect.PersonalFileName(*out)
	b, _ := json.MarshalIndent(rec, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return data.Errorf(data.EInternal, "err.file_create", path)
	}
	e.say("cli.person_export.done", path)
	return nil
}

func runPersonCorrect(e *env, args []string) error {
	fs := e.flags("person correct", "cli.person_correct.usage", false)
	var q sqlite.PersonQuery
	fs.StringVar(&q.Phone, "phone", "", i18n.T("field.phone"))
	fs.StringVar(&q.IDNumber, "id-number", "", i18n.T("field.id_number"))
	fs.StringVar(&q.QID, "qid", "", i18n.T("field.qid"))
	name := fs.String("set-name", "", i18n.T("field.full_name"))
	phone := fs.String("set-phone", "", i18n.T("field.phone"))
	idNumber := fs.String("set-id-number", "", i18n.T("field.id_number"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.openExisting()
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := findOnePerson(e, s, q)
	if err != nil {
		return err
	}
	if *name != "" {
		p.FullName = *name
	}
	if *phone != "" {
		p.Phone = *phone
	}
	if *idNumber != "" {
		p.IDNumber = *idNumber
	}
	if err := s.UpdatePerson(ctxWithInterrupt(), &p); err != nil {
		return err
	}
	e.say("cli.person_correct.done")
	return nil
}
