package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Template is what a contact type or a case classification predefines:
// the interlocutors, agents and business objects a new contact or case
// starts with, when eligible in the current context.
type Template struct {
	Interlocutors []TemplateParty  `json:"interlocutors"`
	Agents        []TemplateAgent  `json:"agents"`
	Objects       []TemplateObject `json:"objects"`
}

// Where a template's interlocutor comes from.
const (
	FromCurrentParty    = "current_party"    // the party the agent is on
	FromContractHolders = "contract_holders" // every holder of the chosen contract
	FromRelated         = "related"          // the parties related to the current one (directors, household)
	FromParty           = "party"            // a fixed party (party_id)
)

// TemplateParty is an interlocutor a template predefines.
type TemplateParty struct {
	From    string `json:"from"`
	PartyID string `json:"party_id,omitempty"`
	Role    string `json:"role,omitempty"` // a free label: customer, co-holder, guarantor…
}

// Where a template's agent comes from.
const (
	FromSignedIn     = "signed_in"     // the agent tracing the contact
	FromPartyAdvisor = "party_advisor" // the current party's advisor
	FromLogin        = "login"         // a fixed agent (login)
)

// TemplateAgent is an agent a template predefines, with a role.
type TemplateAgent struct {
	From  string `json:"from"`
	Login string `json:"login,omitempty"`
	Role  string `json:"role"`
}

// TemplateObject is a business object a template asks for. For contracts
// the eligible ones are the current party's, of the product when given.
type TemplateObject struct {
	Kind     string `json:"kind"`
	Product  string `json:"product,omitempty"`
	Required bool   `json:"required,omitempty"`
}

// ContactType is a kind of contact (a catalogue per establishment) with
// its template.
type ContactType struct {
	ID              string   `json:"-"`
	EstablishmentID string   `json:"-"`
	Code            string   `json:"code"`
	NameFR          string   `json:"name"`
	NameEN          string   `json:"name_en"`
	Medium          string   `json:"medium"`
	Reason          string   `json:"reason"`
	Classification  string   `json:"classification"` // the classification a case from it is proposed
	Template        Template `json:"template"`
	Position        int      `json:"position"`
	Active          bool     `json:"active"`
}

// Name is the type's name in lang ("fr" or "en").
func (t ContactType) Name(lang string) string { return pick(lang, t.NameFR, t.NameEN) }

// Classification is a kind of case: its process and its template.
type Classification struct {
	ID              string   `json:"-"`
	EstablishmentID string   `json:"-"`
	Code            string   `json:"code"`
	NameFR          string   `json:"name"`
	NameEN          string   `json:"name_en"`
	Process         Process  `json:"process"`
	Template        Template `json:"template"`
	Position        int      `json:"position"`
	Active          bool     `json:"active"`
}

// Name is the classification's name in lang.
func (c Classification) Name(lang string) string { return pick(lang, c.NameFR, c.NameEN) }

// Process is a classification's statuses (the first is where a case
// starts) and the steps that move a case between them.
type Process struct {
	Statuses []Status `json:"statuses"`
	Steps    []Step   `json:"steps"`
}

// Status is one status of a process; a closed status ends the case.
type Status struct {
	Code   string `json:"code"`
	NameFR string `json:"name"`
	NameEN string `json:"name_en"`
	Closed bool   `json:"closed,omitempty"`
}

// Name is the status's name in lang.
func (s Status) Name(lang string) string { return pick(lang, s.NameFR, s.NameEN) }

// Step moves a case from one of the From statuses (any status when
// empty) to To once its fields are filled in; it may generate a letter
// or an email.
type Step struct {
	Code     string            `json:"code"`
	NameFR   string            `json:"name"`
	NameEN   string            `json:"name_en"`
	From     []string          `json:"from"`
	To       string            `json:"to"`
	Fields   []Field           `json:"fields"`
	Document *DocumentTemplate `json:"document_template,omitempty"`
}

// Name is the step's name in lang.
func (s Step) Name(lang string) string { return pick(lang, s.NameFR, s.NameEN) }

// The types of a step's fields.
const (
	FieldText    = "text"
	FieldNumber  = "number"
	FieldDate    = "date"
	FieldChoice  = "choice"
	FieldBoolean = "boolean"
)

// FieldTypes lists them.
var FieldTypes = []string{FieldText, FieldNumber, FieldDate, FieldChoice, FieldBoolean}

// Field is one input of a step.
type Field struct {
	Code     string   `json:"code"`
	LabelFR  string   `json:"label"`
	LabelEN  string   `json:"label_en"`
	Type     string   `json:"type"`
	Required bool     `json:"required,omitempty"`
	Choices  []string `json:"choices,omitempty"` // choice: the allowed values
	Max      int      `json:"max,omitempty"`     // text: at most this many characters (default core.MaxComment)
}

// Label is the field's label in lang.
func (f Field) Label(lang string) string { return pick(lang, f.LabelFR, f.LabelEN) }

// The kinds of documents a step generates.
const (
	DocumentLetter = "letter" // a PDF with the bank's layout and the party's address
	DocumentEmail  = "email"  // an email to the main interlocutor, sent through the desk
)

// DocumentTemplate is what a step generates: its subject and body may
// hold placeholders ({{party.name}}, {{case.reference}}, {{field.CODE}}…).
type DocumentTemplate struct {
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// The assignees of a plan step.
const (
	AssignCaseAgent = "case_agent" // the case's responsible agent (else its emitter, else the launcher)
	AssignQueue     = "queue"      // the queue of unit_code (else of the case's unit)
	AssignLauncher  = "launcher"   // whoever launches the plan
)

// ActionPlan is a timeline of steps that become tasks when launched.
type ActionPlan struct {
	ID              string     `json:"-"`
	EstablishmentID string     `json:"-"`
	Code            string     `json:"code"`
	NameFR          string     `json:"name"`
	NameEN          string     `json:"name_en"`
	Steps           []PlanStep `json:"steps"`
	Active          bool       `json:"active"`
}

// Name is the plan's name in lang.
func (p ActionPlan) Name(lang string) string { return pick(lang, p.NameFR, p.NameEN) }

// PlanStep is one task of a plan: its due date is day business days after
// the launch (0: the same day, or the next business day when the launch
// falls on a closed day).
type PlanStep struct {
	Day         int    `json:"day"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Kind        string `json:"kind,omitempty"` // task (default), call, meeting
	Assignee    string `json:"assignee"`
	UnitCode    string `json:"unit_code,omitempty"`
	MovesCaseTo string `json:"moves_case_to,omitempty"` // the status its case (or request) moves to once done
}

func pick(lang, fr, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return fr
}

// establishmentOf is the establishment (root unit id) of a unit.
func establishmentOf(ctx context.Context, q db.Querier, unitID string) (string, error) {
	var path string
	err := q.QueryRow(ctx, "SELECT path FROM units WHERE id = ?", unitID).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return "", core.Errorf(core.NotFound, "unit %s not found", unitID)
	}
	if err != nil {
		return "", fmt.Errorf("establishment of unit %s: %w", unitID, err)
	}
	return rootOf(path), nil
}

// contactType reads an establishment's contact type by code.
func contactType(ctx context.Context, q db.Querier, establishmentID, code string) (ContactType, error) {
	var t ContactType
	var tmpl string
	err := q.QueryRow(ctx, `SELECT id, establishment_id, code, name_fr, name_en, medium, reason, classification, template,
		position, active FROM contact_types WHERE establishment_id = ? AND code = ?`, establishmentID, code).
		Scan(&t.ID, &t.EstablishmentID, &t.Code, &t.NameFR, &t.NameEN, &t.Medium, &t.Reason, &t.Classification, &tmpl,
			&t.Position, &t.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return t, core.Errorf(core.NotFound, "contact type %q not found", code)
	}
	if err != nil {
		return t, fmt.Errorf("read contact type %s: %w", code, err)
	}
	if err := json.Unmarshal([]byte(tmpl), &t.Template); err != nil {
		return t, fmt.Errorf("contact type %s template: %w", code, err)
	}
	return t, nil
}

const classificationColumns = `id, establishment_id, code, name_fr, name_en, process, template, position, active`

func scanClassification(row interface{ Scan(...any) error }) (Classification, error) {
	var c Classification
	var process, tmpl string
	if err := row.Scan(&c.ID, &c.EstablishmentID, &c.Code, &c.NameFR, &c.NameEN, &process, &tmpl, &c.Position, &c.Active); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(process), &c.Process); err != nil {
		return c, fmt.Errorf("classification %s process: %w", c.Code, err)
	}
	if err := json.Unmarshal([]byte(tmpl), &c.Template); err != nil {
		return c, fmt.Errorf("classification %s template: %w", c.Code, err)
	}
	return c, nil
}

// classificationByCode reads an establishment's classification by code.
func classificationByCode(ctx context.Context, q db.Querier, establishmentID, code string) (Classification, error) {
	c, err := scanClassification(q.QueryRow(ctx, "SELECT "+classificationColumns+
		" FROM case_classifications WHERE establishment_id = ? AND code = ?", establishmentID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return c, core.Errorf(core.NotFound, "case classification %q not found", code)
	}
	if err != nil {
		return c, fmt.Errorf("read classification %s: %w", code, err)
	}
	return c, nil
}

// classificationByID reads a classification by id.
func classificationByID(ctx context.Context, q db.Querier, id string) (Classification, error) {
	c, err := scanClassification(q.QueryRow(ctx, "SELECT "+classificationColumns+" FROM case_classifications WHERE id = ?", id))
	if err != nil {
		return c, fmt.Errorf("read classification %s: %w", id, err)
	}
	return c, nil
}

// actionPlan reads an establishment's action plan by code.
func actionPlan(ctx context.Context, q db.Querier, establishmentID, code string) (ActionPlan, error) {
	var p ActionPlan
	var steps string
	err := q.QueryRow(ctx, `SELECT id, establishment_id, code, name_fr, name_en, steps, active FROM action_plans
		WHERE establishment_id = ? AND code = ?`, establishmentID, code).
		Scan(&p.ID, &p.EstablishmentID, &p.Code, &p.NameFR, &p.NameEN, &steps, &p.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return p, core.Errorf(core.NotFound, "action plan %q not found", code)
	}
	if err != nil {
		return p, fmt.Errorf("read action plan %s: %w", code, err)
	}
	if err := json.Unmarshal([]byte(steps), &p.Steps); err != nil {
		return p, fmt.Errorf("action plan %s steps: %w", code, err)
	}
	return p, nil
}
