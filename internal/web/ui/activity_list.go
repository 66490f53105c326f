package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
)

// The activity list (/activity) is an agent's "what do I do today": their
// open tasks overdue, due today and later this week, the requests
// assigned to them, and their unit's queue to take tasks from. A manager
// (request.assign) reads another agent's of their scope (?agent=login).

// taskSection is one part of the activity list.
type taskSection struct {
	ID    string // overdue, today, week, queue: the anchor and the title's message
	Tasks []cases.Task
	Count string // how many there are ("999+" past the store's cap)
	Queue bool   // the unit's queue: tasks are taken, not done
}

// activityPage is the activity list of one agent.
type activityPage struct {
	page
	Agent     cases.AgentRef
	Self      bool
	Sections  []taskSection
	Activity  cases.Activity
	Back      string // where the task forms come back to
	FormTask  string // the task whose change form was refused
	FormValue map[string]string
	Unit      string       // the unit whose activity a manager reads, else ""
	Units     []org.Unit   // the units a manager may pick
	today     string       // YYYY-MM-DD in the agent's time zone
	Leads     []leads.Lead // the agent's open leads, for the new task's lead field (lead_assoc.go)
}

// activityCount writes a count of the activity list, "999+" once it
// reaches the store's cap.
func activityCount(n int) string {
	if n >= cases.ActivityMaxCount {
		return strconv.Itoa(cases.ActivityMaxCount-1) + "+"
	}
	return strconv.Itoa(n)
}

// RequestsCount writes the count of the agent's open requests.
func (p activityPage) RequestsCount() string { return activityCount(p.Activity.RequestsCount) }

// Total is the number of the agent's open tasks shown.
func (p activityPage) Total() int {
	n := 0
	for _, s := range p.Sections {
		if !s.Queue {
			n += len(s.Tasks)
		}
	}
	return n
}

// TaskIcon is a task kind's pictogram: a call, a meeting or a task.
func (activityPage) TaskIcon(kind string) template.HTML { return taskIcon(kind) }

// taskIcon is a task kind's pictogram.
func taskIcon(kind string) template.HTML {
	switch kind {
	case cases.TaskCall:
		return icon("phone")
	case cases.TaskMeeting:
		return icon("users")
	}
	return icon("clipboard-list")
}

// LoginOf is the login of a task's assignee, "" in a queue.
func (activityPage) LoginOf(t cases.Task) string {
	if t.Assignee == nil {
		return ""
	}
	return t.Assignee.Login
}

// Kinds are the kinds of a task, for the new task's form.
func (activityPage) Kinds() []string { return cases.TaskKinds }

// Today is today's date for a date field, the new task's default due date.
func (p activityPage) Today() string { return p.DateInput(p.today) }

// Priorities are a task's priorities, for the change form.
func (activityPage) Priorities() []string { return desk.Priorities }

// Value is the posted value of a refused change form's field, else def.
func (p activityPage) Value(taskID, field, def string) string {
	if taskID == p.FormTask {
		if v, ok := p.FormValue[field]; ok {
			return v
		}
	}
	return def
}

// activity shows the activity list of the signed-in agent, or of the
// agent a manager picked.
func (s *server) activity(w http.ResponseWriter, r *http.Request) {
	s.showActivity(w, r, http.StatusOK, nil)
}

// showActivity renders the activity list; edit, when set, marks the
// task change form that was refused.
func (s *server) showActivity(w http.ResponseWriter, r *http.Request, status int, edit func(*activityPage)) {
	actor := core.ActorFrom(r.Context())
	p := activityPage{page: s.newPage(r, "activity.title"), Back: "/activity"}
	p.Current = "activity"
	p.today = s.Clock.Now().In(p.loc).Format("2006-01-02")
	p.Leads = s.myOpenLeads(r)
	agentID := ""
	if login := strings.TrimSpace(r.URL.Query().Get("agent")); login != "" && login != actor.Login {
		a, err := s.Orgs.AgentByLogin(r.Context(), login)
		switch {
		case core.ErrorCode(err) == core.NotFound:
			p.Fields = core.Fields{"agent": core.Because("unknown_agent")}
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			agentID = a.ID
			p.Back = "/activity?" + "agent=" + a.Login
		}
	}
	unitID := strings.TrimSpace(r.URL.Query().Get("unit"))
	if actor.Can(core.PermRequestAssign) {
		units, err := s.scopeUnits(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Units = units
	}
	var act cases.Activity
	var err error
	if unitID != "" {
		act, err = s.Cases.UnitActivity(r.Context(), actor, unitID)
		p.Back = "/activity?unit=" + url.QueryEscape(unitID)
	} else {
		act, err = s.Cases.Activity(r.Context(), actor, agentID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Activity, p.Agent, p.Unit = act, act.Agent, unitID
	p.Self = unitID == "" && act.Agent.ID == actor.AgentID
	switch {
	case p.Self:
		p.Title = p.T("activity.title")
	case unitID != "":
		for _, u := range p.Units {
			if u.ID == unitID {
				p.Title = p.T("activity.title_of", "Name", u.Name)
			}
		}
	default:
		p.Title = p.T("activity.title_of", "Name", act.Agent.Name)
	}
	p.Sections = []taskSection{
		{ID: "overdue", Tasks: act.Overdue, Count: activityCount(act.OverdueCount)},
		{ID: "today", Tasks: act.Today, Count: activityCount(act.TodayCount)},
		{ID: "week", Tasks: act.Week, Count: activityCount(act.WeekCount)},
	}
	if p.Self && actor.UnitID != "" {
		queue, err := s.Cases.Tasks(r.Context(), actor, cases.TaskFilter{QueueUnitID: actor.UnitID, Status: cases.TaskOpen,
			Limit: cases.ActivityCap})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		n := strconv.Itoa(len(queue.Tasks))
		if queue.Next != "" {
			n += "+" // more wait than the list shows
		}
		p.Sections = append(p.Sections, taskSection{ID: "queue", Tasks: queue.Tasks, Count: n, Queue: true})
	}
	if edit != nil {
		edit(&p)
	}
	s.render(w, r, status, "activity", "", p)
}
