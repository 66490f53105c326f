package cases

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// The due-date windows of the task lists, in the reader's time zone.
const (
	DueToday   = "today"   // due today
	DueOverdue = "overdue" // due before today
	DueWeek    = "week"    // due from today to the end of the week (Sunday)
	dueLater   = "later"   // after today, to the end of the week (the activity list's third part)
)

// DueWindows lists the windows a list can ask for.
var DueWindows = []string{DueToday, DueOverdue, DueWeek}

// TaskStatuses lists the statuses of a task.
var TaskStatuses = []string{TaskOpen, TaskDone, TaskCancelled}

// TaskFilter selects tasks. Empty fields select everything; a Due window
// selects open tasks only unless Status says otherwise.
type TaskFilter struct {
	AssigneeID  string // an agent's id
	QueueUnitID string // the unassigned tasks of this unit
	Due         string // today, overdue, week
	Status      string
	PartyID     string
	CaseID      string
	RequestID   string
	UnitID      string
	PlanRunID   string
	Cursor      string
	Limit       int
}

// TaskPage is one page of tasks, soonest due first.
type TaskPage struct {
	Tasks []Task `json:"tasks"`
	Next  string `json:"next_cursor"`
}

// taskColumns are the columns scanTask reads, from tasks t joined as
// taskJoins says.
const taskColumns = `t.id, t.unit_id, u.code, u.name, t.kind, t.title, t.description, t.due_on,
	COALESCE(a.id, ''), COALESCE(a.login, ''), COALESCE(a.name, ''), t.priority, t.status, COALESCE(t.party_id, ''),
	COALESCE(CASE WHEN p.kind = 'organization' THEN p.name ELSE TRIM(p.first_name || ' ' || p.last_name) END, ''),
	COALESCE(t.case_id, ''), COALESCE(c.reference, ''), COALESCE(t.request_id, ''), COALESCE(r.reference, ''),
	COALESCE(t.contact_id, ''), COALESCE(t.plan_run_id, ''), t.moves_to, t.created_at, t.completed_at`

// taskJoins names the assignee, unit, party, case and request of tasks t.
const taskJoins = ` JOIN units u ON u.id = t.unit_id
	LEFT JOIN agents a ON a.id = t.assignee_id
	LEFT JOIN parties p ON p.id = t.party_id
	LEFT JOIN cases c ON c.id = t.case_id
	LEFT JOIN desk_requests r ON r.id = t.request_id`

func scanTask(row interface{ Scan(...any) error }) (Task, error) {
	var t Task
	var aID, aLogin, aName string
	var created int64
	var completed sql.NullInt64
	err := row.Scan(&t.ID, &t.UnitID, &t.UnitCode, &t.UnitName, &t.Kind, &t.Title, &t.Description, &t.DueOn,
		&aID, &aLogin, &aName, &t.Priority, &t.Status, &t.PartyID, &t.PartyName, &t.CaseID, &t.CaseReference,
		&t.RequestID, &t.RequestReference, &t.ContactID, &t.PlanRunID, &t.MovesTo, &created, &completed)
	if err != nil {
		return t, err
	}
	if aID != "" {
		t.Assignee = &AgentRef{ID: aID, Login: aLogin, Name: aName}
	} else {
		t.Queue = t.UnitCode
	}
	t.CreatedAt = core.FromMillis(created)
	if completed.Valid {
		at := core.FromMillis(completed.Int64)
		t.CompletedAt = &at
	}
	return t, nil
}

// Task returns task id when its unit is in the actor's scope; NotFound
// otherwise, as for one that does not exist. Requires case.manage.
func (s *Store) Task(ctx context.Context, actor *core.Actor, id string) (Task, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Task{}, err
	}
	return s.task(ctx, s.db, actor.Scope, id)
}

func (s *Store) task(ctx context.Context, q db.Querier, scope core.Scope, id string) (Task, error) {
	if !core.ValidID(id) {
		return Task{}, core.Errorf(core.NotFound, "task %s not found", id)
	}
	cond, args := scopeCond("t.unit_id", scope)
	t, err := scanTask(q.QueryRow(ctx, "SELECT "+taskColumns+" FROM tasks t"+taskJoins+" WHERE t.id = ?"+cond,
		append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return Task{}, core.Errorf(core.NotFound, "task %s not found", id)
	}
	if err != nil {
		return Task{}, fmt.Errorf("task %s: %w", id, err)
	}
	return t, nil
}

// Tasks returns a page of the tasks in the actor's scope that f selects,
// by due date then id. Due windows are counted from today in the actor's
// time zone. Requires case.manage.
func (s *Store) Tasks(ctx context.Context, actor *core.Actor, f TaskFilter) (TaskPage, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return TaskPage{}, err
	}
	fields := core.Fields{}
	if f.Due != "" && !slices.Contains(DueWindows, f.Due) {
		fields.Add("due", core.OneOf(DueWindows...))
	}
	if f.Status != "" && !slices.Contains(TaskStatuses, f.Status) {
		fields.Add("status", core.OneOf(TaskStatuses...))
	}
	if err := fields.Err(); err != nil {
		return TaskPage{}, err
	}
	limit := core.PageLimit(f.Limit, 50, 200)
	out, err := s.taskList(ctx, s.db, actor, f, limit+1)
	if err != nil {
		return TaskPage{}, err
	}
	page := TaskPage{Tasks: out}
	if len(out) > limit {
		page.Tasks = out[:limit]
		last := out[limit-1]
		page.Next = core.EncodeCursor(last.DueOn, last.ID)
	}
	return page, nil
}

// TaskListQuery is the SQL of a task list and its arguments: what Tasks
// and the activity list run, exposed for the bench to time it bare.
func (s *Store) TaskListQuery(actor *core.Actor, f TaskFilter, limit int) (string, []any, error) {
	where, args, err := taskWhere(actor, f, s.clock.Now())
	if err != nil {
		return "", nil, err
	}
	return "SELECT " + taskColumns + " FROM (SELECT * FROM tasks t" + where +
		" ORDER BY t.due_on, t.id LIMIT ?) t" + taskJoins + " ORDER BY t.due_on, t.id", append(args, limit), nil
}

// taskList reads up to limit tasks f selects.
func (s *Store) taskList(ctx context.Context, q db.Querier, actor *core.Actor, f TaskFilter, limit int) ([]Task, error) {
	// The page is chosen on tasks alone (an index holds assignee or unit,
	// status, due date), then joined to the names it shows.
	query, args, err := s.TaskListQuery(actor, f, limit)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	defer rows.Close()
	out := []Task{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// taskWhere builds the WHERE clause of f for the actor, with today in the
// actor's time zone at now.
func taskWhere(actor *core.Actor, f TaskFilter, now time.Time) (string, []any, error) {
	q, args := " WHERE 1 = 1", []any{}
	col := "t.unit_id"
	if f.AssigneeID != "" {
		// An agent's tasks are read through tasks_assignee; the scope is
		// then checked on each of them. Written as an expression, it is
		// no index's term: SQLite without statistics would otherwise go
		// through tasks_queue, reading every task of the unit's agents.
		col = "(t.unit_id || '')"
	}
	cond, sargs := scopeCond(col, actor.Scope)
	q, args = q+cond, append(args, sargs...)
	if f.QueueUnitID != "" {
		q += " AND t.unit_id = ? AND t.assignee_id IS NULL"
		args = append(args, f.QueueUnitID)
	}
	status := f.Status
	if status == "" && f.Due != "" {
		status = TaskOpen
	}
	for _, c := range []struct{ col, v string }{{"t.assignee_id", f.AssigneeID}, {"t.status", status},
		{"t.party_id", f.PartyID}, {"t.case_id", f.CaseID}, {"t.request_id", f.RequestID}, {"t.unit_id", f.UnitID},
		{"t.plan_run_id", f.PlanRunID}} {
		if c.v != "" {
			q += " AND " + c.col + " = ?"
			args = append(args, c.v)
		}
	}
	today, sunday := weekOf(now, actor.TimeZone)
	switch f.Due {
	case DueToday:
		q, args = q+" AND t.due_on = ?", append(args, today)
	case DueOverdue:
		q, args = q+" AND t.due_on < ?", append(args, today)
	case DueWeek:
		q, args = q+" AND t.due_on >= ? AND t.due_on <= ?", append(args, today, sunday)
	case dueLater:
		q, args = q+" AND t.due_on > ? AND t.due_on <= ?", append(args, today, sunday)
	}
	if f.Cursor != "" {
		var due, id string
		if err := core.DecodeCursor(f.Cursor, &due, &id); err != nil {
			return "", nil, err
		}
		q += " AND (t.due_on > ? OR (t.due_on = ? AND t.id > ?))"
		args = append(args, due, due, id)
	}
	return q, args, nil
}

// weekOf returns today's date and the date of the week's Sunday, at now in
// the time zone zone (UTC when unknown).
func weekOf(now time.Time, zone string) (today, sunday string) {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		loc = time.UTC
	}
	lt := now.In(loc)
	y, m, d := lt.Date()
	left := (7 - int(lt.Weekday())) % 7 // Sunday is 0
	return lt.Format(time.DateOnly), time.Date(y, m, d+left, 12, 0, 0, 0, loc).Format(time.DateOnly)
}
