package core

import (
	"context"
	"slices"
)

// Permission is a functional right granted by roles.
type Permission string

// The permissions roles grant.
const (
	PermPartyRead     Permission = "party.read"     // see parties, contracts, the 360° page
	PermPartyEdit     Permission = "party.edit"     // create prospects, edit parties and contracts
	PermHistoryRead   Permission = "history.read"   // read interaction histories
	PermHistoryWrite  Permission = "history.write"  // push interactions (integrations)
	PermReportWrite   Permission = "report.write"   // write meeting reports (CRE)
	PermReportReview  Permission = "report.review"  // see and fix the orphan reports of the agents in scope
	PermRequestRead   Permission = "request.read"   // read desk requests
	PermRequestReply  Permission = "request.reply"  // work desk requests: reply, notes, solicitations, qualify, take
	PermRequestAssign Permission = "request.assign" // assign desk requests to other agents
	PermDeskAdmin     Permission = "desk.admin"     // administer mailboxes, forms, templates and targets
	PermCaseManage    Permission = "case.manage"    // open and run cases
	PermLeadWork      Permission = "lead.work"      // receive leads, answer them, see the response-time report of the scope
	PermLeadAssign    Permission = "lead.assign"    // reassign leads to other agents
	PermSurveyAdmin   Permission = "survey.admin"   // set up the satisfaction survey campaigns of the establishment
	PermSurveyResults Permission = "survey.results" // see the satisfaction results of the scope
	PermAdmin         Permission = "admin"          // administer units, agents, roles, tokens
	PermAuditRead     Permission = "audit.read"     // read the audit log
)

// OfferedPermissions are those the roles page offers: every permission
// whose feature exists.
var OfferedPermissions = []Permission{PermPartyRead, PermPartyEdit, PermHistoryRead, PermHistoryWrite,
	PermReportWrite, PermReportReview, PermRequestRead, PermRequestReply, PermRequestAssign, PermDeskAdmin,
	PermCaseManage, PermLeadWork, PermLeadAssign, PermSurveyAdmin, PermSurveyResults, PermAdmin, PermAuditRead}

// AllPermissions lists every permission, in display order.
var AllPermissions = []Permission{PermPartyRead, PermPartyEdit, PermHistoryRead, PermHistoryWrite,
	PermReportWrite, PermReportReview, PermRequestRead, PermRequestReply, PermRequestAssign, PermDeskAdmin,
	PermCaseManage, PermLeadWork, PermLeadAssign, PermSurveyAdmin, PermSurveyResults, PermAdmin, PermAuditRead}

// Scope is the geographic part of access: the units whose parties an actor
// sees. All means the whole organisation; otherwise UnitIDs lists every unit
// in scope, descendants included, already expanded.
type Scope struct {
	All     bool
	UnitIDs []string
}

// Contains reports whether unitID is in the scope.
func (s Scope) Contains(unitID string) bool {
	return s.All || slices.Contains(s.UnitIDs, unitID)
}

// Actor is who acts: an agent signed in through the UI or an API token.
type Actor struct {
	AgentID     string
	Login       string
	Name        string
	UnitID      string
	Locale      string
	TimeZone    string // the IANA time zone of the agent's unit, in which pages show times
	Permissions []Permission
	Scope       Scope
	TokenID     string // set when acting through an API token
}

// Can reports whether the actor holds permission p.
func (a *Actor) Can(p Permission) bool {
	return a != nil && slices.Contains(a.Permissions, p)
}

// Require returns a Forbidden error unless the actor holds p.
func (a *Actor) Require(p Permission) error {
	if a.Can(p) {
		return nil
	}
	return Errorf(Forbidden, "permission %q required", p)
}

// System is the actor of internal jobs and command-line tools: every
// permission, the whole organisation.
func System() *Actor {
	return &Actor{Login: "system", Name: "System", Permissions: AllPermissions, Scope: Scope{All: true}}
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
