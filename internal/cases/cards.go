package cases

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// CardFilter selects the cases of a board. Classification is a code of
// the establishment of UnitID (else of the actor's unit); empty, the
// first active classification of that establishment.
type CardFilter struct {
	Classification string
	UnitID         string // this unit (not its subunits)
	AssigneeID     string // the responsible agent's id
	Lang           string // the language of the statuses' names (the actor's when empty)
	Cards          int    // cards per column (default 20)
	MaxCount       int    // where the counts stop (default 1000)
}

// CaseCard is a case as a board's card shows it.
type CaseCard struct {
	ID        string
	Reference string
	Title     string
	PartyName string
	Assignee  string // the responsible agent's name
	UpdatedAt time.Time
}

// CaseColumn is one status of the board: its first cards, newest updated
// first, and how many cases it holds, up to the filter's MaxCount (More
// when there are more).
type CaseColumn struct {
	Status string
	Name   string
	Closed bool
	Count  int
	More   bool
	Cards  []CaseCard
}

// CaseBoard is the board of one classification's cases, a column per
// status in process order.
type CaseBoard struct {
	Classification     string
	ClassificationName string
	Columns            []CaseColumn
}

// Cards returns the board of the cases in the actor's scope that f
// selects. Requires case.manage.
func (s *Store) Cards(ctx context.Context, actor *core.Actor, f CardFilter) (CaseBoard, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return CaseBoard{}, err
	}
	f.Cards, f.MaxCount = cmp.Or(f.Cards, 20), cmp.Or(f.MaxCount, 1000)
	lang := cmp.Or(f.Lang, actor.Locale)
	if f.UnitID != "" && !actor.Scope.Contains(f.UnitID) {
		return CaseBoard{}, core.Errorf(core.NotFound, "unit %s not found", f.UnitID)
	}
	c, err := s.boardClassification(ctx, actor, f)
	if err != nil {
		return CaseBoard{}, err
	}
	board := CaseBoard{Classification: c.Code, ClassificationName: c.Name(lang)}
	for _, st := range c.Process.Statuses {
		col := CaseColumn{Status: st.Code, Name: st.Name(lang), Closed: st.Closed, Cards: []CaseCard{}}
		page, pageArgs, count, countArgs := CardColumnSQL(actor, c.ID, st.Code, f)
		if err := s.db.QueryRow(ctx, count, countArgs...).Scan(&col.Count); err != nil {
			return board, fmt.Errorf("count cases %s: %w", st.Code, err)
		}
		if col.Count > f.MaxCount {
			col.Count, col.More = f.MaxCount, true
		}
		if col.Count > 0 {
			if col.Cards, err = s.cards(ctx, page, pageArgs); err != nil {
				return board, err
			}
		}
		board.Columns = append(board.Columns, col)
	}
	return board, nil
}

// CardColumnSQL is what Cards runs for one column: the page of cards and
// the capped count, with their arguments. Exported for the bench, which
// times the same SQL without the Go around it.
func CardColumnSQL(actor *core.Actor, classificationID, status string, f CardFilter) (page string, pageArgs []any, count string, countArgs []any) {
	where, args := " WHERE c.classification_id = ? AND c.status = ?", []any{classificationID, status}
	cond, sargs := scopeCond("c.unit_id", actor.Scope)
	where, args = where+cond, append(args, sargs...)
	if f.UnitID != "" {
		where, args = where+" AND c.unit_id = ?", append(args, f.UnitID)
	}
	if f.AssigneeID != "" {
		where += " AND EXISTS (SELECT 1 FROM work_agents w WHERE w.owner_id = c.id AND w.agent_id = ? AND w.role = 'responsible')"
		args = append(args, f.AssigneeID)
	}
	// The page is chosen on cases alone, then joined to its names; an index
	// holds (unit,) classification, status, updated_at: cases_board_unit
	// or cases_classification_status.
	page = `SELECT c.id, c.reference, c.title,
		COALESCE(CASE WHEN p.kind = 'organization' THEN p.name ELSE TRIM(p.first_name || ' ' || p.last_name) END, ''),
		COALESCE((SELECT a.name FROM work_agents w JOIN agents a ON a.id = w.agent_id
			WHERE w.owner_id = c.id AND w.role = 'responsible' ORDER BY w.position LIMIT 1), ''), c.updated_at
		FROM (SELECT c.id, c.reference, c.title, c.party_id, c.updated_at FROM cases c` + where +
		` ORDER BY c.updated_at DESC, c.id DESC LIMIT ?) c LEFT JOIN parties p ON p.id = c.party_id
		ORDER BY c.updated_at DESC, c.id DESC`
	count = "SELECT COUNT(*) FROM (SELECT 1 FROM cases c" + where + " LIMIT ?) x"
	return page, append(append([]any{}, args...), cmp.Or(f.Cards, 20)), count, append(args, cmp.Or(f.MaxCount, 1000)+1)
}

func (s *Store) cards(ctx context.Context, q string, args []any) ([]CaseCard, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("case cards: %w", err)
	}
	defer rows.Close()
	out := []CaseCard{}
	for rows.Next() {
		var c CaseCard
		var updated int64
		if err := rows.Scan(&c.ID, &c.Reference, &c.Title, &c.PartyName, &c.Assignee, &updated); err != nil {
			return nil, err
		}
		c.UpdatedAt = core.FromMillis(updated)
		out = append(out, c)
	}
	return out, rows.Err()
}

// boardClassification is the classification f names, or the first active
// one of the establishment.
func (s *Store) boardClassification(ctx context.Context, actor *core.Actor, f CardFilter) (Classification, error) {
	unit := cmp.Or(f.UnitID, actor.UnitID)
	if unit == "" {
		return Classification{}, core.Errorf(core.NotFound, "no establishment to read classifications of")
	}
	est, err := establishmentOf(ctx, s.db, unit)
	if err != nil {
		return Classification{}, err
	}
	if f.Classification != "" {
		return classificationByCode(ctx, s.db, est, f.Classification)
	}
	c, err := scanClassification(s.db.QueryRow(ctx, "SELECT "+classificationColumns+
		" FROM case_classifications WHERE establishment_id = ? AND active ORDER BY position, code LIMIT 1", est))
	if errors.Is(err, sql.ErrNoRows) {
		return c, core.Errorf(core.NotFound, "no active case classification")
	}
	if err != nil {
		return c, fmt.Errorf("first classification: %w", err)
	}
	return c, nil
}
