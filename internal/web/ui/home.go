package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/dashboard"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

// homePage is the home page: the greeting and the agent's dashboard of
// widgets (dashboard_actions.go changes it).
type homePage struct {
	page
	Dash    dashboard.Dashboard
	Windows []string
	Units   []org.Unit // the units of the scope, for the lead response widget's setting
	Open    string     // the widget whose settings form was refused ("add": the add form)
	Typed   map[string]string
	Today   string // the agent's date, YYYY-MM-DD
}

// home shows the dashboard.
func (s *server) home(w http.ResponseWriter, r *http.Request) {
	s.showHome(w, r, http.StatusOK, nil)
}

// showHome renders the home page with status; edit changes its data (a
// refused form shown again).
func (s *server) showHome(w http.ResponseWriter, r *http.Request, status int, edit func(*homePage)) {
	p := &homePage{page: s.newPage(r, "home.title"), Windows: dashboard.Windows}
	p.Current = "home"
	dash, err := s.Dashboard.View(r.Context(), p.Actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Dash, p.Today = dash, p.isoDay(s.Clock.Now())
	for _, c := range dash.Cards {
		if c.Kind == dashboard.KindLeadResponse {
			if p.Units, err = s.scopeUnits(r); err != nil {
				s.fail(w, r, err)
				return
			}
			break
		}
	}
	if edit != nil {
		edit(p)
	}
	s.render(w, r, status, "home", "", p)
}

// The message ids of the widget kinds' names and of the windows.
const (
	widgetKindKeys = "dash.kind."
	windowKeys     = "dash.window."
)

// KindTitle is a widget kind's name.
func (p homePage) KindTitle(kind string) string { return p.T(widgetKindKeys + kind) }

// KindIcon is the icon of a widget kind.
func (p homePage) KindIcon(kind string) string {
	return map[string]string{dashboard.KindMyTasks: "list-checks", dashboard.KindMyRequests: "inbox",
		dashboard.KindMyLeads: "target", dashboard.KindLeadResponse: "timer", dashboard.KindOrphanReports: "notebook-pen",
		dashboard.KindRecentCustomers: "history", dashboard.KindSatisfaction: "smile"}[kind]
}

// Configurable reports whether a widget kind has settings.
func (p homePage) Configurable(kind string) bool { return len(dashboard.SettingNames[kind]) > 0 }

// Setting is the value a settings form shows for name: what was typed when
// it was refused, else the widget's setting.
func (p homePage) Setting(c dashboard.Card, name string) string {
	if p.Open == c.ID {
		return p.Typed[name]
	}
	switch name {
	case "window":
		w, _ := c.Settings.Window()
		return w
	case "count":
		return fmt.Sprint(c.Settings.Count())
	}
	return c.Settings[name]
}

// Count writes a count that stopped at its ceiling as "100+".
func (p homePage) Count(n int, more bool) string {
	if more {
		return fmt.Sprintf("%d+", n)
	}
	return fmt.Sprint(n)
}

// ResponseTime writes business minutes as "45 min" or "2 h 05 min".
func (p homePage) ResponseTime(minutes *int64) string {
	if minutes == nil {
		return "—"
	}
	m := *minutes
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// Criteria writes a lead response widget's settings: its window, then the
// source group, product and unit it is limited to.
func (p homePage) Criteria(c dashboard.Card) string {
	w, _ := c.Settings.Window()
	parts := []string{p.T(windowKeys + w)}
	if g := c.Settings["source_group"]; g != "" {
		parts = append(parts, g)
	}
	if pr := c.Settings["product"]; pr != "" {
		parts = append(parts, p.Label("product", pr))
	}
	if u := c.Settings["unit"]; u != "" {
		parts = append(parts, p.unitName(u))
	}
	return strings.Join(parts, " · ")
}

func (p homePage) unitName(code string) string {
	for _, u := range p.Units {
		if u.Code == code {
			return u.Name
		}
	}
	return code
}

// ReportLink is the response-time report with a lead response widget's
// criteria: the days of its window, its source group, product and unit.
func (p homePage) ReportLink(c dashboard.Card) string {
	v := url.Values{}
	if r := c.Response; r != nil {
		v.Set("from", p.isoDay(r.From))
		v.Set("to", p.isoDay(r.To))
	}
	for _, name := range []string{"source_group", "product", "unit"} {
		if c.Settings[name] != "" {
			v.Set(name, c.Settings[name])
		}
	}
	return "/leads/report?" + v.Encode()
}

// isoDay is t's date in the agent's time zone, YYYY-MM-DD.
func (p homePage) isoDay(t time.Time) string {
	loc := p.loc
	if loc == nil {
		loc = paris
	}
	return t.In(loc).Format(time.DateOnly)
}

// LeadName is the customer a lead is from.
func (p homePage) LeadName(l leads.Lead) string {
	if l.PartyName != "" {
		return l.PartyName
	}
	if n := strings.TrimSpace(l.FirstName + " " + l.LastName); n != "" {
		return n
	}
	return l.Email
}

// Overdue reports whether a task due on dueOn (YYYY-MM-DD) is late.
func (p homePage) Overdue(dueOn string) bool { return dueOn < p.Today }

// cardView is a widget's card with the page it is drawn on.
type cardView struct {
	P homePage
	C dashboard.Card
}

// View pairs a card with the page, for the widget templates.
func (p homePage) View(c dashboard.Card) cardView { return cardView{P: p, C: c} }

// Max is how many widgets a dashboard holds.
func (p homePage) Max() int { return dashboard.MaxWidgets }
