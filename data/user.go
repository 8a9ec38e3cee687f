package data

import (
	"regexp"
	"strings"
	"time"
)

// Role is what a user may do. Offices map their staff onto these.
type Role string

// Roles, from the most to the least powerful.
const (
	RoleAdmin        Role = "admin"         // users, keys, datasets, audit log
	RoleChairman     Role = "chairman"      // signs decisions within the fine caps
	RoleViceChairman Role = "vice_chairman" // signs decisions "KT. CHỦ TỊCH"
	RoleInspector    Role = "inspector"     // site visits, records
	RoleClerk        Role = "clerk"         // numbering, printing, dispatch, data requests
	RoleViewer       Role = "viewer"        // steering committee: aggregates only
)

// Roles lists every role, in display order.
var Roles = []Role{RoleAdmin, RoleChairman, RoleViceChairman, RoleInspector, RoleClerk, RoleViewer}

// Permission is one kind of action a role may be granted.
type Permission string

// Permissions checked by the store and the screens.
const (
	PermManageUsers   Permission = "manage_users"
	PermViewPersonal  Permission = "view_personal" // names, phones, ID numbers
	PermEditVenues    Permission = "edit_venues"
	PermImportExport  Permission = "import_export"
	PermPrint         Permission = "print"
	PermInspect       Permission = "inspect"
	PermSignDecisions Permission = "sign_decisions"
	PermNumberDocs    Permission = "number_documents"
	PermTrace         Permission = "trace"
	PermCheckin       Permission = "checkin"
	PermSync          Permission = "sync"
	PermViewStats     Permission = "view_stats"
	PermAudit         Permission = "audit"
	PermDataRequests  Permission = "data_requests" // export/correct one person's data (NĐ 13)
	PermManageKeys    Permission = "manage_keys"
)

var rolePermissions = map[Role][]Permission{
	RoleAdmin: {PermManageUsers, PermViewPersonal, PermEditVenues, PermImportExport, PermPrint, PermInspect,
		PermNumberDocs, PermTrace, PermCheckin, PermSync, PermViewStats, PermAudit, PermDataRequests, PermManageKeys},
	RoleChairman: {PermViewPersonal, PermEditVenues, PermPrint, PermInspect, PermSignDecisions, PermTrace,
		PermCheckin, PermSync, PermViewStats},
	RoleViceChairman: {PermViewPersonal, PermEditVenues, PermPrint, PermInspect, PermSignDecisions, PermTrace,
		PermCheckin, PermSync, PermViewStats},
	RoleInspector: {PermViewPersonal, PermEditVenues, PermPrint, PermInspect, PermTrace, PermCheckin, PermSync, PermViewStats},
	RoleClerk: {PermViewPersonal, PermEditVenues, PermImportExport, PermPrint, PermNumberDocs, PermCheckin,
		PermSync, PermViewStats, PermDataRequests},
	RoleViewer: {PermViewStats},
}

// Can reports whether the role holds the permission.
func (r Role) Can(p Permission) bool {
	for _, x := range rolePermissions[r] {
		if x == p {
			return true
		}
	}
	return false
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	_, ok := rolePermissions[r]
	return ok
}

// User is someone who signs in to this replica.
type User struct {
	ID          ID
	Username    string
	DisplayName string
	Role        Role
	Disabled    bool
	CreatedAt   time.Time
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// MinPassphrase is the shortest passphrase accepted.
const MinPassphrase = 10

// Normalize cleans and validates a new user; passphrase is checked too
// (it is never stored, only used to wrap the office key).
func (u *User) Normalize(passphrase string) error {
	var val Validation
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName = Clean(u.DisplayName)
	if !usernameRe.MatchString(u.Username) {
		val.Add("username", "err.username_format")
	}
	if u.DisplayName == "" {
		val.Add("display_name", "err.required")
	}
	if !u.Role.Valid() {
		val.Add("role", "err.value_unknown", string(u.Role))
	}
	if len([]rune(passphrase)) < MinPassphrase {
		val.Add("passphrase", "err.passphrase_short", MinPassphrase)
	}
	return val.Err()
}
