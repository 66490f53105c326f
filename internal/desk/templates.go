package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Template is a reply template of an establishment: a body with
// placeholders ({{customer_name}}, …) an agent starts a reply from.
type Template struct {
	ID              string `json:"id"`
	EstablishmentID string `json:"-"`
	Name            string `json:"name"`
	Body            string `json:"body"`
	Position        int    `json:"position"`
	Active          bool   `json:"active"`
}

// Placeholders are the names a template's body may hold as {{name}}, in
// the order the administration page documents them.
var Placeholders = []string{"customer_name", "agent_name", "reference", "subject", "unit"}

// maxTemplatePosition bounds a template's position in the list.
const maxTemplatePosition = 10_000

const templateColumns = "id, establishment_id, name, body, position, active"

func scanTemplate(row interface{ Scan(...any) error }) (Template, error) {
	var t Template
	err := row.Scan(&t.ID, &t.EstablishmentID, &t.Name, &t.Body, &t.Position, &t.Active)
	return t, err
}

func (s *Store) queryTemplates(ctx context.Context, where string, args ...any) ([]Template, error) {
	rows, err := s.db.Query(ctx, "SELECT "+templateColumns+" FROM desk_templates WHERE "+where+" ORDER BY position, name", args...)
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	defer rows.Close()
	out := []Template{}
	for rows.Next() {
		t, err := scanTemplate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Templates lists the active templates of the establishment of unitID
// (the actor's unit when empty), for a reply. Requires request.reply and
// the unit in scope (or the actor's own).
func (s *Store) Templates(ctx context.Context, actor *core.Actor, unitID string) ([]Template, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return nil, err
	}
	if unitID == "" {
		unitID = actor.UnitID
	}
	if unitID != actor.UnitID && !actor.Scope.Contains(unitID) {
		return nil, core.Errorf(core.NotFound, "unit %s not found", unitID)
	}
	return s.queryTemplates(ctx, "establishment_id = ? AND active", establishmentUnit(ctx, s.db, unitID))
}

// EstablishmentTemplates lists every template of an establishment,
// deactivated ones included, for its administration. Requires desk.admin
// and the establishment in scope.
func (s *Store) EstablishmentTemplates(ctx context.Context, actor *core.Actor, establishmentID string) ([]Template, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return nil, err
	}
	if !actor.Scope.Contains(establishmentID) {
		return nil, core.Errorf(core.NotFound, "establishment %s not found", establishmentID)
	}
	return s.queryTemplates(ctx, "establishment_id = ?", establishmentID)
}

// Template returns template id of an establishment in the actor's scope.
// Requires desk.admin.
func (s *Store) Template(ctx context.Context, actor *core.Actor, id string) (Template, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return Template{}, err
	}
	t, err := s.template(ctx, s.db, id)
	if err != nil || !actor.Scope.Contains(t.EstablishmentID) {
		return Template{}, core.Errorf(core.NotFound, "template %s not found", id)
	}
	return t, nil
}

func (s *Store) template(ctx context.Context, q db.Querier, id string) (Template, error) {
	if !core.ValidID(id) {
		return Template{}, core.Errorf(core.NotFound, "template %s not found", id)
	}
	t, err := scanTemplate(q.QueryRow(ctx, "SELECT "+templateColumns+" FROM desk_templates WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Template{}, core.Errorf(core.NotFound, "template %s not found", id)
	}
	if err != nil {
		return Template{}, fmt.Errorf("template %s: %w", id, err)
	}
	return t, nil
}

// SaveTemplate creates (ID empty) or changes a template. Requires
// desk.admin and the establishment in scope; names are unique in an
// establishment.
func (s *Store) SaveTemplate(ctx context.Context, actor *core.Actor, t Template) (Template, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return Template{}, err
	}
	t.Name = strings.TrimSpace(t.Name)
	f := core.Fields{}
	if t.Name == "" {
		f.Add("name", core.RequiredUpTo(core.MaxName))
	}
	core.CheckText(f, "name", t.Name, core.MaxName)
	if strings.TrimSpace(t.Body) == "" {
		f.Add("body", core.RequiredUpTo(core.MaxLongText))
	}
	core.CheckText(f, "body", t.Body, core.MaxLongText)
	core.CheckRange(f, "position", int64(t.Position), 0, maxTemplatePosition)
	if t.EstablishmentID == "" || !actor.Scope.Contains(t.EstablishmentID) ||
		establishmentUnit(ctx, s.db, t.EstablishmentID) != t.EstablishmentID {
		f.Add("establishment_code", core.Because("outside_scope"))
	}
	if err := f.Err(); err != nil {
		return Template{}, err
	}
	now := core.Millis(s.clock.Now())
	creating := t.ID == ""
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if creating {
			t.ID = core.NewID()
			_, err = tx.Exec(ctx, `INSERT INTO desk_templates (id, establishment_id, name, body, position, active, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.EstablishmentID, t.Name, t.Body, t.Position, t.Active, now, now)
		} else {
			old, gerr := s.template(ctx, tx, t.ID)
			if gerr != nil || !actor.Scope.Contains(old.EstablishmentID) {
				return core.Errorf(core.NotFound, "template %s not found", t.ID)
			}
			_, err = tx.Exec(ctx, `UPDATE desk_templates SET establishment_id = ?, name = ?, body = ?, position = ?, active = ?,
				updated_at = ? WHERE id = ?`, t.EstablishmentID, t.Name, t.Body, t.Position, t.Active, now, t.ID)
		}
		if db.IsUniqueViolation(err) {
			return core.Fields{"name": core.Because("taken")}.Err()
		}
		if err != nil {
			return fmt.Errorf("save template: %w", err)
		}
		action := "template.update"
		if creating {
			action = "template.create"
		}
		return s.log.Record(ctx, tx, actor, action, "template", t.ID, "", map[string]any{"name": t.Name, "active": t.Active})
	})
	if err != nil {
		return Template{}, err
	}
	return t, nil
}

// DeleteTemplate removes a template. Requires desk.admin and its
// establishment in scope.
func (s *Store) DeleteTemplate(ctx context.Context, actor *core.Actor, id string) error {
	t, err := s.Template(ctx, actor, id)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM desk_templates WHERE id = ?", id); err != nil {
			return fmt.Errorf("delete template: %w", err)
		}
		return s.log.Record(ctx, tx, actor, "template.delete", "template", id, "", map[string]any{"name": t.Name})
	})
}

// RenderTemplate returns the body of an active template of the request's
// establishment with its placeholders filled for that request and the
// actor (HTML-escaped). Requires request.reply and the request in scope.
func (s *Store) RenderTemplate(ctx context.Context, actor *core.Actor, requestID, templateID string) (string, error) {
	if err := actor.Require(core.PermRequestReply); err != nil {
		return "", err
	}
	r, err := s.Get(ctx, actor, requestID)
	if err != nil {
		return "", err
	}
	t, err := s.template(ctx, s.db, templateID)
	if err != nil || !t.Active || t.EstablishmentID != establishmentUnit(ctx, s.db, r.UnitID) {
		return "", core.Errorf(core.NotFound, "template %s not found", templateID)
	}
	return fillPlaceholders(t.Body, placeholderValues(r, actor)), nil
}

// placeholderValues are what a template's placeholders stand for in a
// reply to r written by actor.
func placeholderValues(r Request, actor *core.Actor) map[string]string {
	customer := r.PartyName
	if customer == "" {
		customer = r.CustomerName
	}
	return map[string]string{"customer_name": customer, "agent_name": actor.Name, "reference": r.Reference,
		"subject": r.Subject, "unit": r.UnitName}
}

var placeholder = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)

// fillPlaceholders replaces each {{name}} of body whose name has a value
// with that value, HTML-escaped; other placeholders stay as written.
func fillPlaceholders(body string, values map[string]string) string {
	return placeholder.ReplaceAllStringFunc(body, func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		v, ok := values[name]
		if !ok {
			return m
		}
		return html.EscapeString(v)
	})
}
