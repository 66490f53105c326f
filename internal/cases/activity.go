package cases

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
)

// ActivityCap is how many items each part of the activity list shows;
// ActivityMaxCount is where its counts stop ("999+").
const (
	ActivityCap      = 100
	ActivityMaxCount = 1000
	activityRequests = 50
)

// Activity is an agent's "what do I do today": their open tasks overdue,
// due today and due later this week, and the requests assigned to them
// that are not closed. Each list holds at most ActivityCap items; the
// counts say how many there are, up to ActivityMaxCount.
type Activity struct {
	Agent         AgentRef       `json:"agent"`
	Overdue       []Task         `json:"overdue"`
	Today         []Task         `json:"today"`
	Week          []Task         `json:"week"`
	Requests      []desk.Request `json:"requests"`
	OverdueCount  int            `json:"overdue_count"`
	TodayCount    int            `json:"today_count"`
	WeekCount     int            `json:"week_count"`
	RequestsCount int            `json:"requests_count"`
}

// Activity returns the activity list of agent agentID ("" for the actor).
// An agent reads their own; a manager (request.assign) also reads that of
// an agent whose unit is in their scope. Tasks and requests are those of
// the reader's scope. Requires case.manage; the requests need
// request.read and are left empty without it.
func (s *Store) Activity(ctx context.Context, actor *core.Actor, agentID string) (Activity, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Activity{}, err
	}
	if agentID == "" {
		agentID = actor.AgentID
	}
	if !core.ValidID(agentID) {
		return Activity{}, core.Errorf(core.NotFound, "agent %s not found", agentID)
	}
	a, err := s.orgs.AgentByID(ctx, agentID)
	if core.ErrorCode(err) == core.NotFound || (err == nil && agentID != actor.AgentID && !actor.Scope.Contains(a.UnitID)) {
		return Activity{}, core.Errorf(core.NotFound, "agent %s not found", agentID)
	}
	if err != nil {
		return Activity{}, err
	}
	if agentID != actor.AgentID {
		if err := actor.Require(core.PermRequestAssign); err != nil {
			return Activity{}, err
		}
	}
	out, err := s.activity(ctx, actor, TaskFilter{AssigneeID: agentID}, desk.Filter{View: desk.ViewOpen, AssigneeID: agentID})
	out.Agent = AgentRef{ID: a.ID, Login: a.Login, Name: a.Name}
	return out, err
}

// UnitActivity is the activity list of a whole unit (its agents' tasks and
// its queue, its requests not closed), for its manager: request.assign
// and the unit in scope.
func (s *Store) UnitActivity(ctx context.Context, actor *core.Actor, unitID string) (Activity, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Activity{}, err
	}
	if err := actor.Require(core.PermRequestAssign); err != nil {
		return Activity{}, err
	}
	if !actor.Scope.Contains(unitID) {
		return Activity{}, core.Errorf(core.NotFound, "unit %s not found", unitID)
	}
	return s.activity(ctx, actor, TaskFilter{UnitID: unitID}, desk.Filter{View: desk.ViewOpen, UnitID: unitID})
}

func (s *Store) activity(ctx context.Context, actor *core.Actor, base TaskFilter, requests desk.Filter) (Activity, error) {
	var out Activity
	for _, part := range []struct {
		due   string
		list  *[]Task
		count *int
	}{{DueOverdue, &out.Overdue, &out.OverdueCount}, {DueToday, &out.Today, &out.TodayCount},
		{dueLater, &out.Week, &out.WeekCount}} {
		f := base
		f.Due = part.due
		list, err := s.taskList(ctx, s.db, actor, f, ActivityCap)
		if err != nil {
			return out, err
		}
		*part.list, *part.count = list, len(list)
		if len(list) == ActivityCap {
			if *part.count, err = s.countTasks(ctx, actor, f); err != nil {
				return out, err
			}
		}
	}
	out.Requests = []desk.Request{}
	if !actor.Can(core.PermRequestRead) {
		return out, nil
	}
	requests.Limit = activityRequests
	page, err := s.desk.List(ctx, actor, requests)
	if err != nil {
		return out, err
	}
	out.Requests, out.RequestsCount = page.Requests, len(page.Requests)
	if page.Next != "" {
		counts, err := s.desk.Counts(ctx, actor, requests)
		if err != nil {
			return out, err
		}
		out.RequestsCount = counts[desk.ViewOpen]
	}
	return out, nil
}

// countTasks counts the tasks f selects, up to ActivityMaxCount.
func (s *Store) countTasks(ctx context.Context, actor *core.Actor, f TaskFilter) (int, error) {
	q, err := s.taskCountQuery(actor, f)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRow(ctx, q.SQL, q.Args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count tasks: %w", err)
	}
	return n, nil
}

func (s *Store) taskCountQuery(actor *core.Actor, f TaskFilter) (Query, error) {
	where, args, err := taskWhere(actor, f, s.clock.Now())
	if err != nil {
		return Query{}, err
	}
	return Query{"SELECT COUNT(*) FROM (SELECT 1 FROM tasks t" + where + " LIMIT ?) x", append(args, ActivityMaxCount)}, nil
}

// Query is an SQL statement and its arguments.
type Query struct {
	SQL  string
	Args []any
}

// ActivityQueries are the task queries Activity runs for agentID: for each
// part (overdue, today, later this week) its page of at most ActivityCap
// tasks, and its capped count, which Activity runs only when the page is
// full. Exported for the bench, which times the same SQL bare.
func (s *Store) ActivityQueries(actor *core.Actor, agentID string) (pages, counts []Query, err error) {
	for _, due := range []string{DueOverdue, DueToday, dueLater} {
		f := TaskFilter{AssigneeID: agentID, Due: due}
		q, args, err := s.TaskListQuery(actor, f, ActivityCap)
		if err != nil {
			return nil, nil, err
		}
		c, err := s.taskCountQuery(actor, f)
		if err != nil {
			return nil, nil, err
		}
		pages, counts = append(pages, Query{q, args}), append(counts, c)
	}
	return pages, counts, nil
}
