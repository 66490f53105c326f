package ui

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// Pickers are the UI's convention where an agent or a customer is meant:
// a text field with a list of suggestions (a datalist) that htmx fills as
// the agent types, from /pick/agents or /pick/parties. Each suggestion
// shows a name and carries the identifier the form sends (a login, a
// client number); without JavaScript the field still takes the
// identifier typed. The request names the field it comes from (field=),
// whose value is the text typed.

// pickOption is one suggestion of a picker.
type pickOption struct{ Value, Label string }

// pickTemplate renders the options of a datalist.
var pickTemplate = template.Must(template.New("pick").Parse(
	`{{range .}}<option value="{{.Value}}" label="{{.Label}}">{{.Label}}</option>{{end}}`))

// typed is the text of the field the picker request comes from.
func typed(r *http.Request) string {
	field := r.URL.Query().Get("field")
	if field == "" {
		field = "q"
	}
	return strings.TrimSpace(r.URL.Query().Get(field))
}

// pickAgents suggests agents by name, login or initials.
func (s *server) pickAgents(w http.ResponseWriter, r *http.Request) {
	var out []pickOption
	if q := typed(r); len([]rune(q)) >= 2 {
		agents, _, err := s.Orgs.ListAgents(r.Context(), core.ActorFrom(r.Context()), org.AgentFilter{Query: q, Limit: 15})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, a := range agents {
			out = append(out, pickOption{a.Login, a.Name + " · " + a.UnitName})
		}
	}
	writePicks(w, out)
}

// pickParties suggests customers with a client number, in the agent's scope.
func (s *server) pickParties(w http.ResponseWriter, r *http.Request) {
	var out []pickOption
	if q := typed(r); len([]rune(q)) >= 2 {
		res, err := s.Parties.QuickSearch(r.Context(), core.ActorFrom(r.Context()), q, 15)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, p := range res {
			if p.ClientNumber != "" {
				out = append(out, pickOption{p.ClientNumber, p.DisplayName + " · " + p.AgencyName})
			}
		}
	}
	writePicks(w, out)
}

func writePicks(w http.ResponseWriter, opts []pickOption) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := pickTemplate.Execute(w, opts); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}
