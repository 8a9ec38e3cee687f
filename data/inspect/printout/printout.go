package printout

import (
	"context"
	"fmt"
	"io"
	"strings"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/inspect"
	"qrward/data/sqlite"
	"qrward/reports"
)

// Find resolves what the user named: a document id, or the id of a
// violation or inspection whose latest document of kind is wanted.
func Find(ctx context.Context, st *sqlite.Store, kind string, id data.ID) (inspect.Document, error) {
	if d, err := st.Document(ctx, id); err == nil {
		if d.Kind != kind {
			return d, data.Errorf(data.EInvalid, "err.document_kind", d.NumberText(), inspect.Term("doc."+d.Kind), inspect.Term("doc."+kind))
		}
		return d, nil
	} else if data.ErrorCode(err) != data.ENotFound {
		return d, err
	}
	docs, err := st.DocumentsFor(ctx, id, kind)
	if err != nil {
		return inspect.Document{}, err
	}
	if len(docs) == 0 {
		return inspect.Document{}, data.Errorf(data.ENotFound, "err.document_none", inspect.Term("doc."+kind))
	}
	return docs[len(docs)-1], nil
}

// Part builds the printable form of an issued document.
func Part(ctx context.Context, st *sqlite.Store, d inspect.Document) (reports.Part, error) {
	f := d.Facts
	header := reports.DocHeader{Issuer: reports.WardIssuer(f.IssuerName), Number: d.Number, Symbol: d.Symbol,
		Place: f.Place, Date: d.IssuedAt}
	venue, err := st.Venue(ctx, f.VenueID)
	if err != nil {
		return nil, err
	}
	violator, err := violatorOf(ctx, st, venue, f.Subject)
	if err != nil {
		return nil, err
	}
	address := venue.Address
	if w, ok := st.Units().Ward(venue.WardCode); ok {
		address += ", " + w.FullName()
	}
	signer := signature(f)
	chairman := "Chủ tịch Ủy ban nhân dân " + lowerFirst(f.IssuerName)
	switch d.Kind {
	case inspect.DocRecord:
		return reports.RecordDoc{Header: header, Field: f.Field, MadeAt: d.IssuedAt, MadePlace: venue.Name + ", " + address,
			Basis: basisOf(ctx, st, f), Makers: parties(f.Officials), Witnesses: parties(f.Witnesses), Violator: violator,
			Act: f.Act, ViolationAt: f.ViolationAt, ViolationPlace: f.ViolationPlace, Description: f.Description,
			Provision: f.Provision, Statement: f.Statement, ExplainTo: chairman, HearingDue: f.HearingDue,
			ExplainDue: f.ExplainDue, Copies: 2}, nil
	case inspect.DocDecision:
		decider := chairman
		if f.Signer.Title != "" {
			decider = f.Signer.Title
		}
		return reports.DecisionDoc{Header: header, Decider: decider, RecordNumber: f.RecordNumber, RecordDate: f.RecordDate,
			Violator: violator, Act: f.Act, Provision: f.Provision, Amount: f.Amount,
			PayPlace: "Kho bạc Nhà nước hoặc tài khoản của Kho bạc Nhà nước ghi trong Quyết định", Signature: signer}, nil
	case inspect.DocReminder:
		recipient := venue.Name
		if venue.OwnerName != "" {
			recipient += " (chủ cơ sở: " + venue.OwnerName + ")"
		}
		return reports.ReminderDoc{Header: header, Recipient: recipient, Address: address, Count: f.Reminders, // counted before the document was issued
			DecisionNumber: f.DecisionNumber, DecisionDate: f.DecisionDate, Act: f.Act,
			Deadline: d.IssuedAt.AddDate(0, 0, 7), Signature: wardSignature(signer),
			Warning: "Quá số lần nhắc nhở theo quy định mà không chấp hành, cơ sở sẽ bị tạm dừng hoạt động."}, nil
	case inspect.DocSuspension:
		return reports.SuspensionDoc{Header: header, Decider: chairman, Venue: venue.Name, Address: address,
			Owner: venue.OwnerName, DecisionNumber: f.DecisionNumber, DecisionDate: f.DecisionDate, Reminders: f.Reminders,
			Reason: fmt.Sprintf("Không chấp hành Quyết định xử phạt số %s sau %d lần nhắc nhở; %s", f.DecisionNumber,
				f.Reminders, lowerFirst(f.Act)), From: d.IssuedAt.AddDate(0, 0, 1), Signature: wardSignature(signer)}, nil
	case inspect.DocInspection:
		return inspectionPart(ctx, st, d, header, venue, address)
	}
	return nil, data.Errorf(data.EInvalid, "err.document_kind", d.NumberText(), d.Kind, "?")
}

func inspectionPart(ctx context.Context, st *sqlite.Store, d inspect.Document, header reports.DocHeader,
	venue data.Venue, address string) (reports.Part, error) {
	v, err := st.Visit(ctx, d.Facts.InspectionID)
	if err != nil {
		return nil, err
	}
	lib, err := st.InspectLibrary(ctx)
	if err != nil {
		return nil, err
	}
	tpl, err := lib.Templates.ByID(v.Template, v.TemplateVersion)
	if err != nil {
		return nil, err
	}
	photos, err := st.Photos(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	doc := reports.InspectionDoc{Header: header, At: v.StartedAt, Place: venue.Name + ", " + address, GPS: v.GPS,
		Team: parties(d.Facts.Officials), Venue: venue.Name, Address: address, Owner: venue.OwnerName,
		Category: i18n.TIn("vi", "category."+venue.Category), Checklist: tpl.Title}
	if v.PosterVerdict != "" {
		doc.Poster = i18n.TIn("vi", "poster."+v.PosterVerdict)
	}
	failed := 0
	caption := map[data.ID]string{}
	for i, it := range tpl.Items {
		a := v.Answers[it.Key]
		if a.Value == inspect.AnswerNo {
			failed++
		}
		doc.Rows = append(doc.Rows, reports.ChecklistRow{Text: it.Text, Answer: i18n.TIn("vi", "answer."+orDash(a.Value)), Note: a.Note})
		for _, p := range a.Photos {
			caption[p] = fmt.Sprintf("Mục %d: %s", i+1, it.Text)
		}
	}
	for i, p := range photos {
		doc.Photos = append(doc.Photos, reports.Photo{Caption: fmt.Sprintf("Ảnh %d. %s (%s)", i+1, caption[p.ID],
			p.TakenAt.Format("15:04 02/01/2006")), Image: p.Bytes})
	}
	if failed == 0 {
		doc.Conclusion = "Cơ sở thực hiện đúng các nội dung kiểm tra."
	} else {
		doc.Conclusion = fmt.Sprintf("Cơ sở không đạt %d/%d nội dung kiểm tra; đề nghị xử lý theo quy định.", failed, len(tpl.Items))
	}
	if v.Notes != "" {
		doc.Conclusion += " " + v.Notes
	}
	return doc, nil
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// SchedulePart builds the appendix of an inspection schedule: Phụ lục I
// (its round, one line per team) and Phụ lục II (focal contacts).
func SchedulePart(ctx context.Context, st *sqlite.Store, id data.ID) (reports.Part, error) {
	sc, err := st.Schedule(ctx, id)
	if err != nil {
		return nil, err
	}
	when := fmt.Sprintf("Từ %02dh%02d ngày %s", sc.StartsAt.Hour(), sc.StartsAt.Minute(), sc.StartsAt.Format("02/01/2006"))
	doc := reports.ScheduleDoc{Title: "Lịch kiểm tra thực tế việc triển khai quét mã QR khai báo y tế",
		Ref: "(Kèm theo Kế hoạch kiểm tra ngày " + sc.CreatedAt.Format("02/01/2006") + ")"}
	round, err := st.RoundVenues(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, team := range sc.Teams() {
		var members []string
		for _, m := range sc.Team {
			if m.Team == team {
				members = append(members, strings.TrimSpace(m.Name+" ("+m.Role+", "+m.Agency+")"))
			}
		}
		n := 0
		for _, r := range round {
			if r.Team == team {
				n++
			}
		}
		area := sc.Area
		if team != "" {
			area += " — " + team
		}
		note := ""
		if n > 0 {
			note = fmt.Sprintf("%d cơ sở", n)
		}
		doc.Rows = append(doc.Rows, reports.ScheduleRow{Area: area, When: when, Team: strings.Join(members, "; "), Note: note})
	}
	if len(doc.Rows) == 0 {
		doc.Rows = []reports.ScheduleRow{{Area: sc.Area, When: when}}
	}
	for _, c := range sc.Contacts {
		doc.Contacts = append(doc.Contacts, reports.ContactRow{Agency: c.Agency, Name: c.Name, Position: c.Position, Phone: c.Phone})
	}
	return doc, nil
}

// Write renders documents into one PDF (one document, or a day's batch)
// and records each print in the audit log.
func Write(ctx context.Context, st *sqlite.Store, w io.Writer, docs ...inspect.Document) error {
	if len(docs) == 0 {
		return data.Errorf(data.ENotFound, "err.documents_none")
	}
	parts := make([]reports.Part, 0, len(docs))
	for _, d := range docs {
		p, err := Part(ctx, st, d)
		if err != nil {
			return err
		}
		parts = append(parts, p)
	}
	if err := reports.WriteBatch(w, parts...); err != nil {
		return &data.Error{Code: data.EInternal, Key: "err.pdf_write", Err: err}
	}
	for _, d := range docs {
		if err := st.Audit(ctx, "document.print", "document", d.ID.String(), d.Kind+" "+d.NumberText()); err != nil {
			return err
		}
	}
	return nil
}

// WriteSchedule renders a schedule's appendix.
func WriteSchedule(ctx context.Context, st *sqlite.Store, w io.Writer, id data.ID) error {
	p, err := SchedulePart(ctx, st, id)
	if err != nil {
		return err
	}
	if err := reports.WriteBatch(w, p); err != nil {
		return &data.Error{Code: data.EInternal, Key: "err.pdf_write", Err: err}
	}
	return st.Audit(ctx, "schedule.print", "inspection_schedule", id.String(), "")
}

// violatorOf reads the violator: the venue's owner (an individual), or
// the venue as an organisation with its owner as representative. The
// person row is read through the store, which blanks it for roles that
// may not see personal data.
func violatorOf(ctx context.Context, st *sqlite.Store, v data.Venue, subject string) (reports.Violator, error) {
	if subject == inspect.SubjectOrganisation {
		return reports.Violator{Organisation: &reports.OrganisationViolator{Name: v.Name, Address: v.Address,
			Representative: v.OwnerName, RepresentativeTitle: "Chủ cơ sở"}}, nil
	}
	ind := &reports.IndividualViolator{Name: v.OwnerName, Nationality: "Việt Nam"}
	if !v.OwnerID.IsZero() {
		p, err := st.Person(ctx, v.OwnerID)
		switch {
		case err == nil:
			ind.Name = firstNonEmpty(p.FullName, v.OwnerName)
			ind.BirthDate, ind.IDNumber, ind.Residence = birth(p.BirthDate), p.IDNumber, p.Address
			ind.Sex = map[string]string{"male": "Nam", "female": "Nữ", "M": "Nam", "F": "Nữ", "Nam": "Nam", "Nữ": "Nữ"}[p.Sex]
		case data.ErrorCode(err) == data.EUnauthorized, data.ErrorCode(err) == data.ENotFound:
		default:
			return reports.Violator{}, err
		}
	}
	return reports.Violator{Individual: ind}, nil
}

func birth(s string) string {
	if len(s) == 10 && s[4] == '-' {
		return s[8:] + "/" + s[5:7] + "/" + s[:4]
	}
	return s
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func parties(os []inspect.Official) []reports.Party {
	out := make([]reports.Party, len(os))
	for i, o := range os {
		out[i] = reports.Party{Name: o.Name, Title: o.Title, Agency: o.Agency}
	}
	return out
}

// signature is the signing block of a decision: the chairman, or a vice
// chairman signing "KT. CHỦ TỊCH".
func signature(f inspect.DocFacts) reports.Signature {
	if f.SignerFor != "" {
		return reports.Signature{Deputy: f.SignerFor, Title: "PHÓ CHỦ TỊCH", Name: f.Signer.Name}
	}
	return reports.Signature{Title: "CHỦ TỊCH", Name: f.Signer.Name}
}

// wardSignature signs a notice on behalf of the committee.
func wardSignature(s reports.Signature) reports.Signature {
	if s.Deputy == "" {
		s.OnBehalf = "TM. ỦY BAN NHÂN DÂN"
	}
	return s
}

func basisOf(ctx context.Context, st *sqlite.Store, f inspect.DocFacts) string {
	if f.InspectionID.IsZero() {
		return ""
	}
	docs, err := st.DocumentsFor(ctx, f.InspectionID, inspect.DocInspection)
	if err != nil || len(docs) == 0 {
		return ""
	}
	d := docs[len(docs)-1]
	return "Biên bản kiểm tra số " + d.NumberText() + " lập ngày " + d.IssuedAt.Format("02/01/2006")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToLower(string(r[0])) + string(r[1:])
}
