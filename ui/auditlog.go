package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/data/sqlite"
)

// auditView is the administrators' view of the audit log: the newest
// entries and a check of the hash chain.
type auditView struct {
	store   *sqlite.Store
	status  *widget.Label
	list    *fyne.Container
	content fyne.CanvasObject
}

// newAuditView returns nil for roles that may not read the log.
func newAuditView(store *sqlite.Store) *auditView {
	if store.Session() == nil || store.Require(data.PermAudit) != nil {
		return nil
	}
	a := &auditView{store: store, status: widget.NewLabel(""), list: container.NewVBox()}
	verify := widget.NewButton(i18n.T("audit.verify"), a.verify)
	a.content = container.NewVBox(heading("audit.title"), container.NewHBox(verify, a.status), a.list)
	a.load()
	return a
}

func (a *auditView) verify() {
	n, problem, err := a.store.VerifyAudit(context.Background())
	switch {
	case err != nil:
		a.status.SetText(i18n.Error(err))
		a.status.Importance = widget.DangerImportance
	case problem != nil:
		a.status.SetText(i18n.T("err.audit_broken", problem.Seq, problem.Reason))
		a.status.Importance = widget.DangerImportance
	default:
		a.status.SetText(i18n.T("cli.audit_verify.ok", n))
		a.status.Importance = widget.SuccessImportance
	}
	a.status.Refresh()
}

func (a *auditView) load() {
	entries, err := a.store.AuditLog(context.Background(), 30)
	a.list.Objects = nil
	if err != nil {
		a.list.Add(widget.NewLabel(i18n.Error(err)))
	}
	for _, e := range entries {
		l := widget.NewLabel(fmt.Sprintf("%s · %s · %s %s %s", e.Time.Format("02/01 15:04:05"), e.Actor, e.Action, e.Entity, e.Detail))
		l.Truncation = fyne.TextTruncateEllipsis
		a.list.Add(l)
	}
	a.list.Refresh()
}
