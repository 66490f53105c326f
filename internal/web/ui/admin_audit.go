package ui

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
)

// auditActions are the actions the audit log records, offered as a filter.
var auditActions = []string{"party.create", "party.update", "party.convert", "party.relate", "contract.create",
	"report.create", "report.fix", "report.attach", "auth.login", "agent.create", "agent.update", "agent.deactivate",
	"agent.reactivate", "unit.create", "unit.update", "unit.holiday_add", "unit.holiday_remove", "role.create",
	"role.update", "role.delete", "token.create", "token.revoke", "history_settings.update", "history_source.create",
	"catalogue.report_reason.save", "job.retry", "party.view", "history.timeline", "history.interaction",
	"history.attachment"}

type auditPage struct {
	adminBase
	Agent     string // login, from the agent picker
	Action    string
	Party     string // the customer filtered on, as typed: a client number, or an id from a 360 page's link
	PartyName string // the customer filtered on, once found
	Actions   []string
	Entries   []audit.Entry
	NextQuery string
}

// The locale keys naming actions and the kinds of object, by code.
const (
	actionKeys = "audit.action."
	objectKeys = "audit.object."
)

// auditChange is one line of an entry's detail, readable: what, before, after.
type auditChange struct{ Field, Old, New string }

// ActionLabel names an action in the page's language.
func (p auditPage) ActionLabel(action string) string {
	if l := p.T(actionKeys + action); l != actionKeys+action {
		return l
	}
	return action
}

// Object names what an entry is about: the customer, else the agent,
// unit or role by its name, else its kind.
func (p auditPage) Object(e audit.Entry) string {
	kind := p.T(objectKeys + e.ObjectType)
	if kind == objectKeys+e.ObjectType {
		kind = e.ObjectType
	}
	switch {
	case e.ObjectName != "":
		return kind + " · " + e.ObjectName
	case e.PartyName != "" && e.ObjectType != "party":
		return kind + " · " + e.PartyName
	case e.PartyName != "":
		return e.PartyName
	}
	return kind
}

// Changes reads an entry's detail as lines: a field's old and new value,
// a "before → after" pair, or a value.
func (p auditPage) Changes(e audit.Entry) []auditChange {
	var fields map[string]any
	if len(e.Detail) == 0 || json.Unmarshal(e.Detail, &fields) != nil {
		if len(e.Detail) > 0 && string(e.Detail) != "null" {
			return []auditChange{{New: string(e.Detail)}}
		}
		return nil
	}
	var out []auditChange
	for _, k := range sortedKeys(fields) {
		c := auditChange{Field: p.fieldLabel(k)}
		switch v := fields[k].(type) {
		case map[string]any:
			if _, ok := v["new"]; ok {
				c.Old, c.New = readable(v["old"]), readable(v["new"])
			} else {
				c.New = readable(v)
			}
		case string:
			if before, after, ok := strings.Cut(v, " → "); ok {
				c.Old, c.New = before, after
			} else {
				c.New = v
			}
		default:
			c.New = readable(v)
		}
		c.Old, c.New = p.valueLabel(k, c.Old), p.valueLabel(k, c.New)
		if c.Old == c.New && c.Old != "" {
			continue
		}
		out = append(out, c)
	}
	return out
}

// valueLabel names a code an entry's detail holds (a medium, an
// initiative, a reason, a report's status) in the page's language.
func (p auditPage) valueLabel(key, v string) string {
	if v == "" || v == "—" {
		return v
	}
	var id string
	switch key {
	case "medium":
		id = "medium." + v
	case "initiative":
		id = "initiative." + v
	case "status":
		id = "audit.status." + v
	case "reason":
		return p.Label("report_reason", v)
	default:
		return v
	}
	if l := p.T(id); l != id {
		return l
	}
	return v
}

func (p auditPage) fieldLabel(key string) string {
	for _, id := range []string{"field." + key, "audit.field." + key} {
		if l := p.T(id); l != id {
			return l
		}
	}
	return strings.ReplaceAll(key, "_", " ")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// readable writes a detail value for a person (valueText), nothing as a dash.
func readable(v any) string {
	if s := valueText(v); s != "" {
		return s
	}
	return "—"
}

// adminAudit lists the audit log newest first, filtered by agent, action
// or customer (client number, or the id a 360 page links with).
func (s *server) adminAudit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := core.ActorFrom(ctx)
	p := auditPage{adminBase: s.adminPage(r, "admin.audit", "audit"), Agent: strings.TrimSpace(r.FormValue("agent")),
		Action: strings.TrimSpace(r.FormValue("action")), Party: strings.TrimSpace(r.FormValue("party")), Actions: auditActions}
	p.Current = "audit"
	f := audit.Filter{Action: p.Action, Cursor: r.FormValue("cursor")}
	if p.Agent != "" {
		a, err := s.Orgs.AgentByLogin(ctx, p.Agent)
		if err != nil && core.ErrorCode(err) != core.NotFound {
			s.fail(w, r, err)
			return
		}
		if err != nil {
			p.Error = p.T("admin.unknown_agent")
			s.render(w, r, http.StatusOK, "admin_audit", "", p)
			return
		}
		f.AgentID = a.ID
	}
	if p.Party != "" {
		id := p.Party
		if !core.ValidID(id) { // a client number, from the picker
			id = ""
			if hits, err := s.Parties.QuickSearch(ctx, actor, p.Party, 5); err == nil {
				for _, h := range hits {
					if h.ClientNumber == p.Party {
						id = h.ID
					}
				}
			}
		}
		pt, err := s.Parties.Get(ctx, actor, id)
		if err != nil && core.ErrorCode(err) != core.NotFound {
			s.fail(w, r, err)
			return
		}
		if err != nil {
			p.Error = p.T("admin.unknown_party")
			s.render(w, r, http.StatusOK, "admin_audit", "", p)
			return
		}
		f.PartyID, p.PartyName = pt.ID, pt.DisplayName
		if pt.ClientNumber != "" {
			p.Party = pt.ClientNumber
		}
	}
	page, err := s.Audit.List(ctx, actor, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Entries = page.Items
	p.NextQuery = nextQuery(r, page.NextCursor)
	s.render(w, r, http.StatusOK, "admin_audit", "", p)
}
