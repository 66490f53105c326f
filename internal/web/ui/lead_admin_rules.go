package ui

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

// leadRulesIndexPage lists the establishments whose lead rules an
// administrator edits.
type leadRulesIndexPage struct {
	adminBase
	Establishments []org.Unit
}

// leadRulesPage is an establishment's ordered distribution rules in one
// form: rows added, removed and moved before they are saved together.
type leadRulesPage struct {
	adminBase
	Establishment org.Unit
	Units         []org.Unit // the establishment and the units under it
	Rules         []leads.RuleInput
	Unsaved       bool     // the rows were changed and not saved yet
	Others        []string // refusals that name no row's field
}

// RuleError is the reason a row's field was refused, in the page's language.
func (p leadRulesPage) RuleError(i int, field string) string {
	return p.FieldError(fmt.Sprintf("rules[%d].%s", i, field))
}

// adminLeadRulesIndex lists the establishments, or opens the only one.
func (s *server) adminLeadRulesIndex(w http.ResponseWriter, r *http.Request) {
	ests, err := s.Orgs.AdministeredEstablishments(r.Context(), core.ActorFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := leadRulesIndexPage{adminBase: s.adminPage(r, "leadadmin.title", "leads"), Establishments: ests}
	if len(p.Establishments) == 1 {
		http.Redirect(w, r, "/admin/leads/"+p.Establishments[0].Code, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "lead_admin_rules_index", "", p)
}

// adminLeadRules shows the establishment's rules as saved.
func (s *server) adminLeadRules(w http.ResponseWriter, r *http.Request) {
	rules, err := s.Leads.Rules(r.Context(), core.ActorFrom(r.Context()), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := make([]leads.RuleInput, len(rules))
	for i, x := range rules {
		in[i] = leads.RuleInput{Source: x.Source, Product: x.Product, PostalCodePrefix: x.PostalCodePrefix, UnitCode: x.UnitCode}
	}
	s.showLeadRules(w, r, http.StatusOK, in, false, "", nil)
}

func (s *server) showLeadRules(w http.ResponseWriter, r *http.Request, status int, rules []leads.RuleInput, unsaved bool,
	msg string, fields core.Fields) {
	est, err := s.Orgs.AdministeredEstablishment(r.Context(), core.ActorFrom(r.Context()), r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.Orgs.ListUnits(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := leadRulesPage{adminBase: s.adminPage(r, "leadadmin.title", "leads"), Establishment: est, Rules: rules, Unsaved: unsaved}
	for _, u := range units {
		if strings.HasPrefix(u.Path, est.Path) {
			p.Units = append(p.Units, u)
		}
	}
	p.Title = p.T("leadadmin.title") + " · " + est.Name
	p.Error, p.Fields = msg, fields
	for k := range fields {
		if !strings.HasPrefix(k, "rules[") {
			p.Others = append(p.Others, p.FieldError(k))
		}
	}
	sort.Strings(p.Others)
	s.render(w, r, status, "lead_admin_rules", "", p)
}

// adminLeadRulesPost applies the button pressed: add a row, remove or
// move one (shown again, unsaved), or save them all.
func (s *server) adminLeadRulesPost(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, core.Errorf(core.Invalid, "unreadable form"))
		return
	}
	rules := postedRules(r)
	op := r.PostFormValue("op")
	verb, arg, _ := strings.Cut(op, "-")
	i, _ := strconv.Atoi(arg)
	inRange := i >= 0 && i < len(rules)
	switch {
	case verb == "add":
		s.showLeadRules(w, r, http.StatusOK, append(rules, leads.RuleInput{}), true, "", nil)
	case verb == "remove" && inRange:
		s.showLeadRules(w, r, http.StatusOK, append(rules[:i:i], rules[i+1:]...), true, "", nil)
	case verb == "up" && inRange && i > 0:
		rules[i-1], rules[i] = rules[i], rules[i-1]
		s.showLeadRules(w, r, http.StatusOK, rules, true, "", nil)
	case verb == "down" && inRange && i+1 < len(rules):
		rules[i], rules[i+1] = rules[i+1], rules[i]
		s.showLeadRules(w, r, http.StatusOK, rules, true, "", nil)
	default:
		code := r.PathValue("code")
		if _, err := s.Leads.SaveRules(r.Context(), core.ActorFrom(r.Context()), code, rules); err != nil {
			s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
				s.showLeadRules(w, r, status, rules, true, msg, fields)
			})
			return
		}
		p := s.newPage(r, "leadadmin.title")
		s.redirect(w, r, "/admin/leads/"+code, p.T("admin.saved"))
	}
}

// postedRules reads the rows of the rules form, in their order (at most 200).
func postedRules(r *http.Request) []leads.RuleInput {
	f := r.PostForm
	n := len(f["source"])
	if n > 200 {
		n = 200
	}
	at := func(name string, i int) string {
		if v := f[name]; i < len(v) {
			return v[i]
		}
		return ""
	}
	out := make([]leads.RuleInput, 0, n)
	for i := range n {
		out = append(out, leads.RuleInput{Source: at("source", i), Product: at("product", i),
			PostalCodePrefix: at("postal_code_prefix", i), UnitCode: at("unit_code", i)})
	}
	return out
}

// HasUnit reports whether code is one of the units offered, so a unit
// saved before it moved elsewhere is still shown.
func (p leadRulesPage) HasUnit(code string) bool {
	for _, u := range p.Units {
		if u.Code == code {
			return true
		}
	}
	return false
}
