package dashboard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// stored is a widget as its row holds it.
type stored struct {
	Widget
	createdAt int64
	alias     string // a default widget stored by this change: its kind, the id it had
}

// Widgets returns the actor's dashboard: their widgets in order, or the
// default set for their permissions while they have not changed it.
// Widgets their permissions no longer offer are left out.
func (s *Store) Widgets(ctx context.Context, actor *core.Actor) (Layout, error) {
	if err := agentOnly(actor); err != nil {
		return Layout{}, err
	}
	ws, custom, err := s.load(ctx, s.db, actor)
	if err != nil {
		return Layout{}, err
	}
	out := Layout{Widgets: []Widget{}, Default: !custom}
	for _, w := range ws {
		out.Widgets = append(out.Widgets, w.Widget)
	}
	out.Addable = addable(actor, out.Widgets)
	return out, nil
}

// Add puts a widget of kind at the end of the actor's dashboard. A kind
// the actor's permissions do not offer, one already present (unless
// repeatable), a thirteenth widget and invalid settings are refused.
func (s *Store) Add(ctx context.Context, actor *core.Actor, kind string, settings Settings) (Widget, error) {
	var added Widget
	err := s.change(ctx, actor, func(ws []stored) ([]stored, error) {
		fields := core.Fields{}
		offered := OfferedKinds(actor)
		switch present := slices.ContainsFunc(ws, func(w stored) bool { return w.Kind == kind }); {
		case !slices.Contains(offered, kind):
			fields.Add("kind", core.OneOf(offered...))
		case present && !slices.Contains(Repeatable, kind):
			fields.Add("kind", core.Because("widget_present"))
		case len(ws) >= MaxWidgets:
			fields.Add("kind", core.TooMany(MaxWidgets))
		}
		if err := fields.Err(); err != nil {
			return nil, err
		}
		clean, err := s.checkSettings(ctx, actor, kind, settings)
		if err != nil {
			return nil, err
		}
		added = Widget{ID: core.NewID(), Kind: kind, Settings: clean}
		return append(ws, stored{Widget: added}), nil
	})
	if err != nil {
		return Widget{}, err
	}
	return s.find(ctx, actor, added.ID)
}

// Remove takes widget id off the actor's dashboard.
func (s *Store) Remove(ctx context.Context, actor *core.Actor, id string) error {
	return s.change(ctx, actor, func(ws []stored) ([]stored, error) {
		i, err := indexOf(ws, id)
		if err != nil {
			return nil, err
		}
		return slices.Delete(ws, i, i+1), nil
	})
}

// Move puts widget id at position (1 for the first) on the actor's
// dashboard, the others keeping their order.
func (s *Store) Move(ctx context.Context, actor *core.Actor, id string, position int) (Widget, error) {
	var moved string
	err := s.change(ctx, actor, func(ws []stored) ([]stored, error) {
		i, err := indexOf(ws, id)
		if err != nil {
			return nil, err
		}
		fields := core.Fields{}
		if !core.CheckRange(fields, "position", int64(position), 1, int64(len(ws))) {
			return nil, fields.Err()
		}
		w := ws[i]
		moved = w.ID
		ws = slices.Delete(ws, i, i+1)
		return slices.Insert(ws, position-1, w), nil
	})
	if err != nil {
		return Widget{}, err
	}
	return s.find(ctx, actor, moved)
}

// Configure replaces the settings of widget id, checked for its kind.
func (s *Store) Configure(ctx context.Context, actor *core.Actor, id string, settings Settings) (Widget, error) {
	var changed string
	err := s.change(ctx, actor, func(ws []stored) ([]stored, error) {
		i, err := indexOf(ws, id)
		if err != nil {
			return nil, err
		}
		clean, err := s.checkSettings(ctx, actor, ws[i].Kind, settings)
		if err != nil {
			return nil, err
		}
		ws[i].Settings, changed = clean, ws[i].ID
		return ws, nil
	})
	if err != nil {
		return Widget{}, err
	}
	return s.find(ctx, actor, changed)
}

// find returns widget id of the actor's dashboard.
func (s *Store) find(ctx context.Context, actor *core.Actor, id string) (Widget, error) {
	ws, _, err := s.load(ctx, s.db, actor)
	if err != nil {
		return Widget{}, err
	}
	i, err := indexOf(ws, id)
	if err != nil {
		return Widget{}, err
	}
	return ws[i].Widget, nil
}

func indexOf(ws []stored, id string) (int, error) {
	i := slices.IndexFunc(ws, func(w stored) bool { return w.ID == id || (w.alias != "" && w.alias == id) })
	if i < 0 {
		return 0, core.Errorf(core.NotFound, "widget %s not found", id)
	}
	return i, nil
}

func agentOnly(actor *core.Actor) error {
	if actor == nil || actor.AgentID == "" {
		return core.Errorf(core.Forbidden, "a dashboard belongs to an agent")
	}
	return nil
}

// change applies fn to the actor's widgets in one transaction and stores
// the result in its order. The layout's row is written first: it marks the
// dashboard as the agent's own from now on, and serialises two changes of
// the same agent. The default set is stored on the first change (a default
// widget's id is its kind until then); widgets no longer offered are
// dropped.
func (s *Store) change(ctx context.Context, actor *core.Actor, fn func([]stored) ([]stored, error)) error {
	if err := agentOnly(actor); err != nil {
		return err
	}
	now := core.Millis(s.clock.Now())
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		custom, err := hasLayout(ctx, tx, actor)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO dashboard_layouts (agent_id, updated_at) VALUES (?, ?)
			ON CONFLICT (agent_id) DO UPDATE SET updated_at = excluded.updated_at`, actor.AgentID, now); err != nil {
			return fmt.Errorf("dashboard layout: %w", err)
		}
		// Read once the layout's row is held: a change made meanwhile is seen.
		ws, err := s.widgetsOf(ctx, tx, actor, custom)
		if err != nil {
			return err
		}
		for i := range ws {
			if !core.ValidID(ws[i].ID) { // a default widget, stored now
				ws[i].alias, ws[i].ID = ws[i].ID, core.NewID()
			}
		}
		if ws, err = fn(ws); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM dashboard_widgets WHERE agent_id = ?", actor.AgentID); err != nil {
			return fmt.Errorf("dashboard widgets: %w", err)
		}
		rows := make([][]any, len(ws))
		for i, w := range ws {
			if w.createdAt == 0 {
				w.createdAt = now
			}
			rows[i] = []any{w.ID, actor.AgentID, i + 1, w.Kind, w.Settings.encode(), w.createdAt, now}
		}
		if len(rows) == 0 {
			return nil
		}
		return db.InsertMany(ctx, tx, "INSERT INTO dashboard_widgets (id, agent_id, position, kind, settings, created_at, updated_at) VALUES ",
			"(?, ?, ?, ?, ?, ?, ?)", rows)
	})
}

// load reads the actor's widgets in order (the default set when the agent
// has no layout of their own, custom false), those offered only.
func (s *Store) load(ctx context.Context, q db.Querier, actor *core.Actor) (ws []stored, custom bool, err error) {
	if custom, err = hasLayout(ctx, q, actor); err != nil {
		return nil, false, err
	}
	ws, err = s.widgetsOf(ctx, q, actor, custom)
	return ws, custom, err
}

// hasLayout reports whether the actor has changed their dashboard.
func hasLayout(ctx context.Context, q db.Querier, actor *core.Actor) (bool, error) {
	var one int
	err := q.QueryRow(ctx, "SELECT 1 FROM dashboard_layouts WHERE agent_id = ?", actor.AgentID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("dashboard layout: %w", err)
	}
	return true, nil
}

// widgetsOf reads the actor's stored widgets (custom) or returns the
// default set, those offered only.
func (s *Store) widgetsOf(ctx context.Context, q db.Querier, actor *core.Actor, custom bool) ([]stored, error) {
	var ws []stored
	if !custom {
		for _, k := range DefaultKinds {
			if Offered(actor, k) {
				ws = append(ws, stored{Widget: Widget{ID: k, Kind: k, Position: len(ws) + 1, Settings: Settings{}}})
			}
		}
		return ws, nil
	}
	rows, err := q.Query(ctx, `SELECT id, kind, settings, created_at FROM dashboard_widgets WHERE agent_id = ?
		ORDER BY position, created_at, id`, actor.AgentID)
	if err != nil {
		return nil, fmt.Errorf("dashboard widgets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var w stored
		var raw string
		if err := rows.Scan(&w.ID, &w.Kind, &raw, &w.createdAt); err != nil {
			return nil, fmt.Errorf("dashboard widgets: %w", err)
		}
		if !Offered(actor, w.Kind) {
			continue
		}
		w.Settings = decodeSettings(raw)
		w.Position = len(ws) + 1
		ws = append(ws, w)
	}
	return ws, rows.Err()
}
