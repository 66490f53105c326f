package dashboard

import (
	"context"
	"errors"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// Where the counts of the list widgets stop ("100+"): a widget reads at
// most this many rows of its list.
const (
	maxLeadsRead    = 1000
	maxRequestsRead = 100
	maxTasksRead    = 100
	maxOrphansRead  = 20
)

// Dashboard is the actor's layout with each widget's figures.
type Dashboard struct {
	Layout
	Cards []Card `json:"cards"`
}

// Card is a widget with its figures: the field of its kind is set, or
// Failed when they could not be read (the other cards still show).
type Card struct {
	Widget
	Failed   bool           `json:"failed,omitempty"`
	Response *leads.Summary `json:"response,omitempty"`
	Leads    *LeadList      `json:"leads,omitempty"`
	Requests *RequestList   `json:"requests,omitempty"`
	Tasks    *TaskList      `json:"tasks,omitempty"`
	Orphans  *ReportList    `json:"orphans,omitempty"`
	Recent   []Visit        `json:"recent,omitempty"`
	// Satisfaction is the surveys' figures of the scope over SatisfactionWindow.
	Satisfaction *surveys.Summary `json:"satisfaction,omitempty"`
}

// LeadList is the agent's leads waiting for their response: how many, and
// the oldest first.
type LeadList struct {
	Count  int          `json:"count"`
	More   bool         `json:"more"` // more than Count
	Oldest []leads.Lead `json:"oldest"`
}

// RequestList is the agent's open requests on the desk: how many, how many
// hold unread messages, and the newest.
type RequestList struct {
	Count  int            `json:"count"`
	Unread int            `json:"unread"`
	More   bool           `json:"more"`
	Newest []desk.Request `json:"newest"`
}

// TaskList is the agent's open tasks overdue and due today, overdue first.
type TaskList struct {
	Overdue     int          `json:"overdue"`
	OverdueMore bool         `json:"overdue_more"`
	Today       int          `json:"today"`
	TodayMore   bool         `json:"today_more"`
	Items       []cases.Task `json:"items"`
}

// ReportList is the orphan meeting reports the agent should fix.
type ReportList struct {
	Count int              `json:"count"`
	More  bool             `json:"more"`
	Items []history.Report `json:"items"`
}

// View returns the actor's dashboard with the figures of each widget,
// each counted in the actor's scope by the store of its list. A widget
// whose figures cannot be read is marked Failed; a database outage fails
// the whole view.
func (s *Store) View(ctx context.Context, actor *core.Actor) (Dashboard, error) {
	layout, err := s.Widgets(ctx, actor)
	if err != nil {
		return Dashboard{}, err
	}
	out := Dashboard{Layout: layout, Cards: make([]Card, len(layout.Widgets))}
	for i, w := range layout.Widgets {
		c := Card{Widget: w}
		if err := s.fill(ctx, actor, &c); err != nil {
			if db.IsUnavailable(err) {
				return Dashboard{}, err
			}
			s.logger.Warn("dashboard widget", "kind", w.Kind, "agent", actor.Login, "err", err)
			c = Card{Widget: w, Failed: true}
		}
		out.Cards[i] = c
	}
	return out, nil
}

// fill reads the figures of card c.
func (s *Store) fill(ctx context.Context, actor *core.Actor, c *Card) error {
	var err error
	switch c.Kind {
	case KindLeadResponse:
		_, window := c.Settings.Window()
		var sum leads.Summary
		sum, err = s.leads.Summary(ctx, actor, leads.SummaryCriteria{Window: window, SourceGroup: c.Settings["source_group"],
			Product: c.Settings["product"], UnitCode: c.Settings["unit"]})
		c.Response = &sum
	case KindMyLeads:
		c.Leads, err = s.myLeads(ctx, actor)
	case KindMyRequests:
		c.Requests, err = s.myRequests(ctx, actor)
	case KindMyTasks:
		c.Tasks, err = s.myTasks(ctx, actor)
	case KindOrphanReports:
		var page history.ReportPage
		page, err = s.history.Orphans(ctx, actor, "", maxOrphansRead)
		c.Orphans = &ReportList{Count: len(page.Items), More: page.NextCursor != "", Items: first(page.Items, ItemsPerWidget)}
	case KindRecentCustomers:
		c.Recent, err = s.Recent(ctx, actor, c.Settings.Count())
	case KindSatisfaction:
		if s.surveys == nil {
			return errors.New("dashboard: no surveys store")
		}
		var sum surveys.Summary
		sum, err = s.surveys.Summary(ctx, actor, SatisfactionWindow)
		c.Satisfaction = &sum
	}
	return err
}

// myLeads reads the actor's assigned leads not answered yet, newest first,
// page by page, to count them and show the oldest.
func (s *Store) myLeads(ctx context.Context, actor *core.Actor) (*LeadList, error) {
	out := &LeadList{Oldest: []leads.Lead{}}
	var all []leads.Lead
	f := leads.Filter{AssigneeLogin: actor.Login, Status: leads.StatusAssigned, Limit: 200}
	for {
		page, err := s.leads.List(ctx, actor, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Leads...)
		if page.Next == "" {
			break
		}
		if len(all) >= maxLeadsRead {
			out.More = true
			break
		}
		f.Cursor = page.Next
	}
	out.Count = len(all)
	for i := len(all) - 1; i >= 0 && len(out.Oldest) < ItemsPerWidget; i-- {
		out.Oldest = append(out.Oldest, all[i])
	}
	return out, nil
}

// myRequests reads the actor's open requests on the desk.
func (s *Store) myRequests(ctx context.Context, actor *core.Actor) (*RequestList, error) {
	page, err := s.desk.List(ctx, actor, desk.Filter{View: desk.ViewMine, Limit: maxRequestsRead})
	if err != nil {
		return nil, err
	}
	out := &RequestList{Count: len(page.Requests), More: page.Next != "", Newest: first(page.Requests, ItemsPerWidget)}
	for _, r := range page.Requests {
		if r.Unread > 0 {
			out.Unread++
		}
	}
	return out, nil
}

// myTasks reads the actor's open tasks overdue and due today.
func (s *Store) myTasks(ctx context.Context, actor *core.Actor) (*TaskList, error) {
	overdue, err := s.cases.Tasks(ctx, actor, cases.TaskFilter{AssigneeID: actor.AgentID, Due: cases.DueOverdue, Limit: maxTasksRead})
	if err != nil {
		return nil, err
	}
	today, err := s.cases.Tasks(ctx, actor, cases.TaskFilter{AssigneeID: actor.AgentID, Due: cases.DueToday, Limit: maxTasksRead})
	if err != nil {
		return nil, err
	}
	return &TaskList{Overdue: len(overdue.Tasks), OverdueMore: overdue.Next != "", Today: len(today.Tasks),
		TodayMore: today.Next != "", Items: first(append(overdue.Tasks, today.Tasks...), ItemsPerWidget)}, nil
}

// first returns the first n items of list (all of a shorter one).
func first[T any](list []T, n int) []T {
	out := make([]T, 0, min(n, len(list)))
	return append(out, list[:min(n, len(list))]...)
}
