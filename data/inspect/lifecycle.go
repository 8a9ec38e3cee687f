package inspect

import (
	"time"

	"qrward/assets/i18n"
	"qrward/data"
)

// Violation statuses, in lifecycle order.
const (
	StatusFound       = "found"       // failed checklist item, nothing issued yet
	StatusRecorded    = "recorded"    // biên bản (MBB01) made; explanation window open
	StatusExplained   = "explained"   // the violator's explanation received
	StatusReferred    = "referred"    // amount above the signer's cap: sent up
	StatusDecided     = "decided"     // penalty decision (MQĐ02) issued
	StatusReminded    = "reminded"    // fine unpaid or breach not remedied: reminder(s) sent
	StatusPaid        = "paid"        // fine paid and breach remedied
	StatusSuspended   = "suspended"   // venue suspended (dừng hoạt động)
	StatusReinspected = "reinspected" // visited again after payment or suspension
	StatusClosed      = "closed"
)

// Statuses lists every status in lifecycle order.
var Statuses = []string{StatusFound, StatusRecorded, StatusExplained, StatusReferred, StatusDecided,
	StatusReminded, StatusPaid, StatusSuspended, StatusReinspected, StatusClosed}

// Open reports whether a violation in status still needs work.
func Open(status string) bool { return status != StatusClosed }

// Actions move a violation from one status to the next.
const (
	ActRecord    = "record"
	ActExplain   = "explain"
	ActRefer     = "refer"
	ActDecide    = "decide"
	ActRemind    = "remind"
	ActPay       = "pay"
	ActSuspend   = "suspend"
	ActReinspect = "reinspect"
	ActClose     = "close"
)

// Actions lists every action in lifecycle order.
var Actions = []string{ActRecord, ActExplain, ActRefer, ActDecide, ActRemind, ActPay, ActSuspend, ActReinspect, ActClose}

// Document kinds qrward issues and numbers.
const (
	DocRecord     = "record"     // biên bản vi phạm hành chính (MBB01)
	DocDecision   = "decision"   // quyết định xử phạt (MQĐ02)
	DocReminder   = "reminder"   // thông báo nhắc nhở
	DocSuspension = "suspension" // quyết định tạm dừng hoạt động
	DocInspection = "inspection" // biên bản kiểm tra (the visit and its checklist)
	DocSchedule   = "schedule"   // lịch kiểm tra (Phụ lục I, II)
)

// DocKinds lists every document kind.
var DocKinds = []string{DocRecord, DocDecision, DocReminder, DocSuspension, DocInspection, DocSchedule}

// DocSymbol is the symbol of a document kind's number ("Số: 05/BB-VPHC").
// Each (issuer, symbol, year) has its own series.
func DocSymbol(kind string) string {
	switch kind {
	case DocRecord:
		return "BB-VPHC"
	case DocDecision:
		return "QĐ-XPHC"
	case DocReminder:
		return "TB-UBND"
	case DocSuspension:
		return "QĐ-UBND"
	case DocInspection:
		return "BB-KT"
	case DocSchedule:
		return "KH-UBND"
	}
	return ""
}

// Transition is one allowed step.
type Transition struct {
	Action string
	From   []string
	To     string
	// Issues is the document kind the step issues ("" for none).
	Issues string
}

// Transitions is the lifecycle: found → record → (explain) → decide (or
// refer, then decide) → pay, or remind … → suspend → reinspect → close.
var Transitions = []Transition{
	{ActRecord, []string{StatusFound}, StatusRecorded, DocRecord},
	{ActExplain, []string{StatusRecorded}, StatusExplained, ""},
	{ActRefer, []string{StatusRecorded, StatusExplained}, StatusReferred, ""},
	{ActDecide, []string{StatusRecorded, StatusExplained, StatusReferred}, StatusDecided, DocDecision},
	{ActRemind, []string{StatusDecided, StatusReminded}, StatusReminded, DocReminder},
	{ActPay, []string{StatusDecided, StatusReminded}, StatusPaid, ""},
	{ActSuspend, []string{StatusReminded}, StatusSuspended, DocSuspension},
	{ActReinspect, []string{StatusPaid, StatusSuspended}, StatusReinspected, ""},
	{ActClose, []string{StatusReinspected}, StatusClosed, ""},
}

// Facts are what the guards of a step look at.
type Facts struct {
	Status    string
	Reminders int // reminders already sent
	// SuspendAfter is the office's threshold: suspension is allowed once
	// more than SuspendAfter reminders went unheeded (Hà Nội: 3).
	SuspendAfter int
	// ExplainDue ends the written-explanation window opened by the record.
	ExplainDue time.Time
	// At is when the step happens.
	At time.Time
}

// Step checks that action may happen now and returns its transition, or
// an error whose message says why not.
func Step(f Facts, action string) (Transition, error) {
	var tr *Transition
	for i := range Transitions {
		if Transitions[i].Action == action {
			tr = &Transitions[i]
		}
	}
	if tr == nil {
		return Transition{}, data.Errorf(data.EInvalid, "err.violation_action_unknown", action)
	}
	allowed := false
	for _, s := range tr.From {
		allowed = allowed || s == f.Status
	}
	if !allowed {
		return Transition{}, data.Errorf(data.EConflict, "err.violation_step_refused", Term("action."+action), Term("vstatus."+f.Status))
	}
	switch action {
	case ActExplain:
		if !f.ExplainDue.IsZero() && f.At.After(f.ExplainDue) {
			return Transition{}, data.Errorf(data.EConflict, "err.violation_explain_late", f.ExplainDue.Format("02/01/2006"))
		}
	case ActDecide:
		// Without an explanation, the decision waits for the window to close.
		if f.Status == StatusRecorded && !f.ExplainDue.IsZero() && !f.At.After(f.ExplainDue) {
			return Transition{}, data.Errorf(data.EConflict, "err.violation_explain_pending", f.ExplainDue.Format("02/01/2006"))
		}
	case ActSuspend:
		if f.Reminders <= f.SuspendAfter {
			return Transition{}, data.Errorf(data.EConflict, "err.violation_suspend_early", f.Reminders, f.SuspendAfter)
		}
	}
	return *tr, nil
}

// Allowed lists the actions possible from a status (guards aside), for
// the buttons of a screen.
func Allowed(status string) []string {
	var out []string
	for _, tr := range Transitions {
		for _, s := range tr.From {
			if s == status {
				out = append(out, tr.Action)
			}
		}
	}
	return out
}

// Explanation deadlines of a record (Law on Handling Administrative
// Violations Art. 61; MBB01): a hearing may be requested within 2 working
// days, a written explanation given within 5.
const (
	HearingWorkingDays     = 2
	ExplanationWorkingDays = 5
	// PaymentDays is the time to pay after receiving the decision
	// (calendar days).
	PaymentDays = 10
	// DefaultSuspendAfter is Hà Nội's practice: suspension after more
	// than 3 unheeded reminders.
	DefaultSuspendAfter = 3
)

// Deadlines are the dates a record opens.
type Deadlines struct {
	Hearing     time.Time
	Explanation time.Time
}

// RecordDeadlines computes the deadlines of a record made at recordedAt.
func (c *Calendar) RecordDeadlines(recordedAt time.Time) (Deadlines, error) {
	h, err := c.AddWorkingDays(recordedAt, HearingWorkingDays)
	if err != nil {
		return Deadlines{}, err
	}
	e, err := c.AddWorkingDays(recordedAt, ExplanationWorkingDays)
	return Deadlines{Hearing: h, Explanation: e}, err
}

// Term is a message key used as an argument of another message; it is
// translated when the message is printed, in the language of that moment.
type Term string

func (t Term) String() string { return i18n.T(string(t)) }
