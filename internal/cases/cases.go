package cases

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// The roles of an agent on a contact or a case.
const (
	RoleEmitter     = "emitter"     // who traced the contact or opened the case
	RoleResponsible = "responsible" // who answers for it
	RoleContributor = "contributor" // who takes part
)

// AgentRoles lists them in display order.
var AgentRoles = []string{RoleEmitter, RoleResponsible, RoleContributor}

// The origins of a case.
const (
	OriginContact = "contact" // created from a contact
	OriginManual  = "manual"  // opened by an agent from the 360° page
	OriginAPI     = "api"     // opened by an external event through the API
)

// The kinds of a case's elements, in the order a case shows them. Tasks
// are elements too but live in their own table.
const (
	ElementContact  = "contact"
	ElementLetter   = "letter"
	ElementNote     = "note"
	ElementDocument = "document"
	ElementEmail    = "email"
)

// ElementKinds lists the kinds of case_elements rows.
var ElementKinds = []string{ElementContact, ElementLetter, ElementNote, ElementDocument, ElementEmail}

// ObjectContract is the kind of business object a contract is; the only
// kind whose eligibility Rapport can check (it knows contracts' holders).
const ObjectContract = "contract"

// PartyRef is a party as a contact or a case names it.
type PartyRef struct {
	PartyID string `json:"party_id"`
	Name    string `json:"name"`
	Role    string `json:"role"`
}

// AgentRef is an agent as a contact, a case or a task names them.
type AgentRef struct {
	ID    string `json:"-"`
	Login string `json:"login"`
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
}

// ObjectRef is a business object linked to a contact or a case.
type ObjectRef struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Contact is one traced exchange with a customer.
type Contact struct {
	ID            string      `json:"id"`
	InteractionID string      `json:"interaction_id"`
	UnitID        string      `json:"-"`
	Type          string      `json:"type"`
	TypeName      string      `json:"type_name"`
	PartyID       string      `json:"party_id"`
	Medium        string      `json:"medium"`
	Direction     string      `json:"direction"`
	Reason        string      `json:"reason"`
	Comment       string      `json:"comment"`
	Interlocutors []PartyRef  `json:"interlocutors"`
	Agents        []AgentRef  `json:"agents"`
	Objects       []ObjectRef `json:"objects"`
	CaseIDs       []string    `json:"case_ids"` // the cases it is an element of
	CreatedAt     time.Time   `json:"created_at"`
}

// Case is an administrative file: its people, agents, objects, elements
// and the process of its classification.
type Case struct {
	ID                 string                       `json:"id"`
	Reference          string                       `json:"reference"`
	UnitID             string                       `json:"-"`
	UnitCode           string                       `json:"unit_code"`
	UnitName           string                       `json:"-"`
	ClassificationID   string                       `json:"-"`
	Classification     string                       `json:"classification"`
	ClassificationName string                       `json:"-"` // in the reader's language
	Status             string                       `json:"status"`
	Closed             bool                         `json:"closed"`
	Process            Process                      `json:"-"` // its classification's, read with it
	Title              string                       `json:"title"`
	PartyID            string                       `json:"party_id"`
	PartyName          string                       `json:"-"`
	Origin             string                       `json:"origin"`
	Interlocutors      []PartyRef                   `json:"interlocutors"`
	Agents             []AgentRef                   `json:"agents"`
	Objects            []ObjectRef                  `json:"objects"`
	Elements           *Elements                    `json:"elements,omitempty"`
	StepData           map[string]map[string]string `json:"step_data"`
	CreatedAt          time.Time                    `json:"created_at"`
	UpdatedAt          time.Time                    `json:"updated_at"`
	ClosedAt           *time.Time                   `json:"closed_at"`
}

// Elements are what a case holds, grouped by kind rather than mixed.
type Elements struct {
	Contacts  []Element `json:"contacts"`
	Letters   []Element `json:"letters"`
	Notes     []Element `json:"notes"`
	Documents []Element `json:"documents"`
	Emails    []Element `json:"emails"`
	Tasks     []Task    `json:"tasks"`
}

// Element is one item of a case: a contact, a letter (a generated PDF), a
// note, a document (an uploaded or generated file) or an email.
type Element struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	RefID       string    `json:"ref_id,omitempty"` // the contact, or the desk request of an email
	Title       string    `json:"title"`
	Body        string    `json:"body,omitempty"`
	FileName    string    `json:"file_name,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	FileHash    string    `json:"-"`
	Step        string    `json:"step,omitempty"`
	Agent       *AgentRef `json:"agent"`
	CreatedAt   time.Time `json:"created_at"`
}

// Event is one line of a case's history.
type Event struct {
	ID         string         `json:"id"`
	Action     string         `json:"action"`
	FromStatus string         `json:"from_status,omitempty"`
	ToStatus   string         `json:"to_status,omitempty"`
	Step       string         `json:"step,omitempty"`
	Detail     map[string]any `json:"detail,omitempty"`
	Agent      *AgentRef      `json:"agent"`
	At         time.Time      `json:"at"`
}

// The case history's actions.
const (
	EventOpened        = "opened"
	EventStep          = "step"
	EventStatus        = "status" // moved without a step's fields: board, task completion
	EventElement       = "element"
	EventContactMoved  = "contact_moved"
	EventPlanLaunched  = "plan_launched"
	EventPlanCancelled = "plan_cancelled"
)

// The kinds of tasks.
const (
	TaskTask    = "task"
	TaskCall    = "call"
	TaskMeeting = "meeting"
)

// TaskKinds lists them.
var TaskKinds = []string{TaskTask, TaskCall, TaskMeeting}

// The statuses of a task.
const (
	TaskOpen      = "open"
	TaskDone      = "done"
	TaskCancelled = "cancelled"
)

// Task is an action to carry out, by an agent or by whoever takes it from
// a unit's queue.
type Task struct {
	ID               string     `json:"id"`
	UnitID           string     `json:"-"`
	UnitCode         string     `json:"unit_code"`
	UnitName         string     `json:"-"`
	Kind             string     `json:"kind"`
	Title            string     `json:"title"`
	Description      string     `json:"description"`
	DueOn            string     `json:"due_on"` // YYYY-MM-DD
	Assignee         *AgentRef  `json:"assignee"`
	Queue            string     `json:"queue"` // the unit code of the queue it waits in, when unassigned
	Priority         string     `json:"priority"`
	Status           string     `json:"status"`
	PartyID          string     `json:"party_id"`
	PartyName        string     `json:"-"`
	CaseID           string     `json:"case_id"`
	CaseReference    string     `json:"-"`
	RequestID        string     `json:"request_id"`
	RequestReference string     `json:"-"`
	ContactID        string     `json:"contact_id"`
	PlanRunID        string     `json:"plan_run_id"`
	MovesTo          string     `json:"moves_to"`
	CreatedAt        time.Time  `json:"created_at"`
	CompletedAt      *time.Time `json:"completed_at"`
}

// Recorder writes an interaction within a transaction: the history's
// Record.
type Recorder interface {
	Record(ctx context.Context, tx *db.Tx, actor *core.Actor, it history.Item) (history.Result, error)
}

// Store keeps contacts, cases, plans and tasks.
type Store struct {
	db      *db.DB
	clock   core.Clock
	log     *audit.Log
	orgs    *org.Store
	parties *party.Store
	history Recorder
	desk    *desk.Store
	files   blob.Store
	books   *catalogue.Books
	bus     *events.Bus
	logger  *slog.Logger

	// OnTaskCompleted is told of each task completed, inside its transaction
	// (the leads record the task as an activity when it is associated
	// with one; lead_hooks.go).
	OnTaskCompleted core.Subscribers[TaskHook]
}

// Deps are what the store needs from the rest of the application.
type Deps struct {
	DB      *db.DB
	Clock   core.Clock
	Audit   *audit.Log
	Orgs    *org.Store
	Parties *party.Store
	History Recorder
	Desk    *desk.Store // moves requests when their tasks are done; sends case emails
	Files   blob.Store  // letters and documents
	Books   *catalogue.Books
	Events  *events.Bus
	Logger  *slog.Logger
}

// NewStore returns the store.
func NewStore(d Deps) *Store {
	s := &Store{db: d.DB, clock: d.Clock, log: d.Audit, orgs: d.Orgs, parties: d.Parties, history: d.History,
		desk: d.Desk, files: d.Files, books: d.Books, bus: d.Events, logger: d.Logger}
	if s.books == nil {
		s.books = &catalogue.Books{}
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	return s
}
