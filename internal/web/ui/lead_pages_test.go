package ui

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

// leadTestPage is a page of an agent holding every lead permission, in lang.
func leadTestPage(t *testing.T, lang string) (*server, page) {
	t.Helper()
	s := &server{Deps: Deps{Logger: slog.Default()}, i18n: newTranslator(), pages: parsePages()}
	r := httptest.NewRequest("GET", "/leads", nil)
	actor := &core.Actor{Login: "adv1", Name: "Hugo Conseiller", Locale: lang, TimeZone: "Europe/Paris",
		Permissions: []core.Permission{core.PermLeadWork, core.PermLeadAssign, core.PermAdmin}}
	r = r.WithContext(core.WithActor(r.Context(), actor))
	p := s.newPage(r, "lead.title")
	p.cat = nil
	return s, p
}

func renderPage(t *testing.T, s *server, name string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	tmpl, err := s.pages[name].template()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := tmpl.ExecuteTemplate(&buf, "layout", data); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return buf.String()
}

// sampleLead is a lead received on a Friday evening, counted from Monday
// 9:00 and answered 1 h 05 min of business time later.
func sampleLead() leads.Lead {
	paris := mustLoad("Europe/Paris")
	received := time.Date(2026, 11, 27, 20, 15, 0, 0, paris)
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, paris)
	answered := start.Add(65 * time.Minute)
	minutes := int64(65)
	return leads.Lead{ID: "l1", PartyID: "p1", PartyName: "Hélène Dupré", Channel: leads.ChannelForm,
		Source: "Simulateur crédit immobilier", SourceGroup: "Internet", ReceivedAt: received, ClockStartAt: start,
		FirstName: "Hélène", LastName: "Dupré", Email: "helene@example.fr", Phone: "+33612345678", Product: "home_loan", Message: "Projet d'achat",
		Status: leads.StatusAnswered, Route: leads.RouteRule, RouteRule: 2, RouteLabel: "source = Simulateur crédit immobilier",
		UnitName: "Agence Opéra", Assignee: &leads.AgentRef{Login: "adv1", Name: "Hugo Conseiller"},
		AssignedAt: &start, AssignedBy: leads.AssignedRoundRobin, FirstResponseAt: &answered, ResponseMinutes: &minutes}
}

// The lead page tells, in French, which rule routed the lead, from when
// its response time counts (the next opening, a Monday) and the response time.
func TestTheLeadPageTellsTheRuleTheClockStartAndTheResponseTime(t *testing.T) {
	s, pg := leadTestPage(t, "fr")
	l := sampleLead()
	p := leadPage{page: pg, Lead: l, Kinds: leads.ActivityKinds,
		Activities: []leads.Activity{{Kind: leads.KindCall, Origin: leads.OriginManual, CompletedAt: *l.FirstResponseAt,
			Agent: l.Assignee}}}
	p.leadFormat = leadFormat{page: &p.page, now: l.FirstResponseAt.Add(time.Hour)}
	out := renderPage(t, s, "lead", p)
	for _, want := range []string{"Règle 2 : source = Simulateur crédit immobilier", "prochaine ouverture : lundi 30/11/2026 09:00",
		"1 h 05 min", "à tour de rôle", "06 12 34 56 78", "Appel", "/pick/agents?field=agent", `href="/parties/p1"`, "Noter une activité réalisée"} {
		if !strings.Contains(out, want) {
			t.Errorf("the lead page lacks %q", want)
		}
	}
}

// The list shows the response time of an answered lead and how long an
// unanswered one has waited, in English.
func TestTheLeadListShowsResponseTimesAndWaitingTimes(t *testing.T) {
	s, pg := leadTestPage(t, "en")
	answered := sampleLead()
	waiting := sampleLead()
	waiting.ID, waiting.Status, waiting.FirstResponseAt, waiting.ResponseMinutes, waiting.Assignee = "l2", leads.StatusNew, nil, nil, nil
	p := leadListPage{page: pg, Filters: leadFilters{Tab: leadTabAll}, Tabs: leadTabs, Statuses: leads.Statuses,
		Leads: []leads.Lead{answered, waiting}, Next: "abc"}
	p.leadFormat = leadFormat{page: &p.page, now: waiting.ClockStartAt.Add(26*time.Hour + 10*time.Minute),
		waits: map[string]int64{"l2": 9*60 + 10}}
	out := renderPage(t, s, "lead_list", p)
	for _, want := range []string{"Answered in 1 h 05 min", "Waiting for 9 h 10 min", "Nobody yet", `href="/leads/l2"`,
		"/leads?cursor=abc&amp;tab=all", `aria-current="page">All in my scope`} {
		if !strings.Contains(out, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
}

// Refused rules show their reason on their own row; rows move and are
// removed by buttons that need no script.
func TestRefusedRulesShowTheirReasonOnTheirRow(t *testing.T) {
	s, pg := leadTestPage(t, "en")
	pg.Fields = core.Fields{"rules[1].unit_code": core.Required()}
	p := leadRulesPage{adminBase: adminBase{page: pg, Tab: "leads"}, Establishment: org.Unit{Code: "BR", Name: "Banque Rapport"},
		Units: []org.Unit{{Code: "A1", Name: "Agence Opéra"}},
		Rules: []leads.RuleInput{{Source: "Comparateur", UnitCode: "A1"}, {PostalCodePrefix: "75"}}, Unsaved: true}
	out := renderPage(t, s, "lead_admin_rules", p)
	second := out[strings.Index(out, "Rule 2"):]
	if !strings.Contains(second, `<em class="err">required</em>`) || strings.Contains(out[:strings.Index(out, "Rule 2")], `class="err"`) {
		t.Errorf("the reason is not on the second row alone")
	}
	for _, want := range []string{`value="up-1"`, `value="down-0"`, `value="remove-1"`, "Changes not saved yet."} {
		if !strings.Contains(out, want) {
			t.Errorf("the rules form lacks %q", want)
		}
	}
}

// A date and time is read as French and English agents type it, in their
// time zone; anything else is refused.
func TestDatesAndTimesAreReadAsAgentsTypeThem(t *testing.T) {
	paris := mustLoad("Europe/Paris")
	want := time.Date(2026, 11, 23, 9, 30, 0, 0, paris)
	for _, typed := range []string{"23/11/2026 09:30", " 23/11/2026   9:30 ", "2026-11-23 09:30", "2026-11-23T09:30", "23/11/2026 09h30"} {
		if got, ok := parseDateTime(typed, paris); !ok || !got.Equal(want) {
			t.Errorf("%q: %v %v", typed, got, ok)
		}
	}
	for _, typed := range []string{"", "23/11/2026", "demain", "32/11/2026 09:30"} {
		if _, ok := parseDateTime(typed, paris); ok {
			t.Errorf("%q was read", typed)
		}
	}
}
