package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// The optional fields a web form may show besides name, email, subject
// and message.
const (
	FieldPhone       = "phone"
	FieldAttachments = "attachments"
)

// FormFields lists them in display order.
var FormFields = []string{FieldPhone, FieldAttachments}

// Form is a public web form whose submissions become requests of its unit.
type Form struct {
	ID           string   `json:"id"`
	Code         string   `json:"code"`
	UnitID       string   `json:"-"`
	UnitCode     string   `json:"unit_code"`
	UnitName     string   `json:"unit_name"`
	Name         string   `json:"name"`
	Confirmation string   `json:"confirmation"` // shown after a submission and sent in the acknowledgement
	Fields       []string `json:"fields"`       // optional fields shown: phone, attachments
	Active       bool     `json:"active"`
	// Mailbox is the address acknowledgements leave from, "" when the
	// unit has none (submissions are then not acknowledged).
	Mailbox string `json:"mailbox"`
}

// Has reports whether the form shows an optional field.
func (f Form) Has(field string) bool { return slices.Contains(f.Fields, field) }

// MaxFormMessage is the longest message a web form accepts, in characters.
const MaxFormMessage = 20_000

var formCode = regexp.MustCompile(`^[a-z0-9-]{2,40}$`)

const formColumns = "f.id, f.code, f.unit_id, u.code, u.name, f.name, f.confirmation, f.fields, f.active"

func scanForm(row interface{ Scan(...any) error }) (Form, error) {
	var f Form
	var fields string
	err := row.Scan(&f.ID, &f.Code, &f.UnitID, &f.UnitCode, &f.UnitName, &f.Name, &f.Confirmation, &fields, &f.Active)
	f.Fields = strings.Fields(fields)
	if f.Fields == nil {
		f.Fields = []string{}
	}
	return f, err
}

// Forms lists the forms of the units in the actor's scope, each with the
// mailbox its acknowledgements leave from. Requires desk.admin.
func (s *Store) Forms(ctx context.Context, actor *core.Actor) ([]Form, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return nil, err
	}
	cond, args := scopeCond("f.unit_id", actor.Scope)
	rows, err := s.db.Query(ctx, "SELECT "+formColumns+" FROM desk_forms f JOIN units u ON u.id = f.unit_id WHERE 1 = 1"+cond+
		" ORDER BY u.name, f.name", args...)
	if err != nil {
		return nil, fmt.Errorf("list forms: %w", err)
	}
	out := []Form{}
	for rows.Next() {
		f, err := scanForm(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.withMailbox(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// withMailbox sets the address f's acknowledgements leave from.
func (s *Store) withMailbox(ctx context.Context, f *Form) error {
	mb, err := s.mailboxForUnit(ctx, s.db, "", f.UnitID)
	if core.ErrorCode(err) == core.Invalid {
		return nil // no mailbox
	}
	f.Mailbox = mb.Address
	return err
}

// Form returns form id of a unit in the actor's scope. Requires desk.admin.
func (s *Store) Form(ctx context.Context, actor *core.Actor, id string) (Form, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return Form{}, err
	}
	f, err := s.formWhere(ctx, s.db, "f.id = ?", id)
	if err != nil || !actor.Scope.Contains(f.UnitID) {
		return Form{}, core.Errorf(core.NotFound, "form %s not found", id)
	}
	return f, s.withMailbox(ctx, &f)
}

// FormByCode returns the active form of a code, for its public page; an
// unknown or deactivated code is NotFound.
func (s *Store) FormByCode(ctx context.Context, code string) (Form, error) {
	if !formCode.MatchString(code) {
		return Form{}, core.Errorf(core.NotFound, "form %s not found", code)
	}
	f, err := s.formWhere(ctx, s.db, "f.code = ? AND f.active", code)
	if err != nil {
		return Form{}, err
	}
	return f, nil
}

func (s *Store) formWhere(ctx context.Context, q db.Querier, where string, arg any) (Form, error) {
	f, err := scanForm(q.QueryRow(ctx, "SELECT "+formColumns+" FROM desk_forms f JOIN units u ON u.id = f.unit_id WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Form{}, core.Errorf(core.NotFound, "form %v not found", arg)
	}
	if err != nil {
		return Form{}, fmt.Errorf("form %v: %w", arg, err)
	}
	return f, nil
}

// SaveForm creates (ID empty) or changes a form; the unit is UnitID, or
// the unit of UnitCode. Requires desk.admin and the unit in scope. Codes
// are 2 to 40 lower-case letters, digits or dashes, unique.
func (s *Store) SaveForm(ctx context.Context, actor *core.Actor, in Form) (Form, error) {
	if err := actor.Require(core.PermDeskAdmin); err != nil {
		return Form{}, err
	}
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	f := core.Fields{}
	if !core.CheckText(f, "code", in.Code, 40) || !formCode.MatchString(in.Code) {
		f.Add("code", core.Because("form_code"))
	}
	if in.Name == "" {
		f.Add("name", core.RequiredUpTo(core.MaxName))
	}
	core.CheckText(f, "name", in.Name, core.MaxName)
	if strings.TrimSpace(in.Confirmation) == "" {
		f.Add("confirmation", core.RequiredUpTo(core.MaxLongText))
	}
	core.CheckText(f, "confirmation", in.Confirmation, core.MaxLongText)
	fields := []string{}
	for i, x := range in.Fields {
		if !slices.Contains(FormFields, x) {
			f.Add(fmt.Sprintf("fields[%d]", i), core.OneOf(FormFields...))
		} else if !slices.Contains(fields, x) {
			fields = append(fields, x)
		}
	}
	in.Fields = fields
	if in.UnitID == "" && in.UnitCode != "" && core.CheckText(f, "unit_code", in.UnitCode, core.MaxCode) {
		if u, err := s.orgs.UnitByCode(ctx, in.UnitCode); err == nil {
			in.UnitID = u.ID
		} else {
			f.Add("unit_code", core.Because("unknown_unit"))
		}
	}
	if in.UnitID == "" || !actor.Scope.Contains(in.UnitID) {
		f.Add("unit_code", core.Because("outside_scope"))
	}
	if err := f.Err(); err != nil {
		return Form{}, err
	}
	now := core.Millis(s.clock.Now())
	creating := in.ID == ""
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if creating {
			in.ID = core.NewID()
			_, err = tx.Exec(ctx, `INSERT INTO desk_forms (id, code, unit_id, name, confirmation, fields, active, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, in.ID, in.Code, in.UnitID, in.Name, in.Confirmation,
				strings.Join(in.Fields, " "), in.Active, now, now)
		} else {
			old, gerr := s.formWhere(ctx, tx, "f.id = ?", in.ID)
			if gerr != nil || !actor.Scope.Contains(old.UnitID) {
				return core.Errorf(core.NotFound, "form %s not found", in.ID)
			}
			_, err = tx.Exec(ctx, `UPDATE desk_forms SET code = ?, unit_id = ?, name = ?, confirmation = ?, fields = ?, active = ?,
				updated_at = ? WHERE id = ?`, in.Code, in.UnitID, in.Name, in.Confirmation, strings.Join(in.Fields, " "),
				in.Active, now, in.ID)
		}
		if db.IsUniqueViolation(err) {
			return core.Fields{"code": core.Because("taken")}.Err()
		}
		if err != nil {
			return fmt.Errorf("save form: %w", err)
		}
		action := "form.update"
		if creating {
			action = "form.create"
		}
		return s.log.Record(ctx, tx, actor, action, "form", in.ID, "", map[string]any{"code": in.Code, "name": in.Name,
			"active": in.Active})
	})
	if err != nil {
		return Form{}, err
	}
	return s.Form(ctx, actor, in.ID)
}
