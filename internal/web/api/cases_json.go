package api

import (
	"time"

	"github.com/rapport-crm/rapport/internal/cases"
)

// interlocutorJSON is a party a contact or a case names.
type interlocutorJSON struct {
	PartyID string `json:"party_id"`
	Name    string `json:"name"`
	Role    string `json:"role" doc:"A free label: customer (the current party), co-holder, interlocutor…"`
}

// workAgentJSON is an agent a contact or a case names, with their role.
type workAgentJSON struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Role  string `json:"role" enum:"emitter,responsible,contributor"`
}

// objectJSON is a business object linked to a contact or a case.
type objectJSON struct {
	Kind  string `json:"kind" doc:"contract, or a kind the integration names"`
	ID    string `json:"id"`
	Label string `json:"label" doc:"A contract's number and product"`
}

// byAgentJSON is who wrote an element or an event; null when the system did.
type byAgentJSON struct {
	_     struct{} `nullable:"true"`
	Login string   `json:"login"`
	Name  string   `json:"name"`
}

// agentLinkJSON is an agent a caller adds to a contact or a case.
type agentLinkJSON struct {
	Login string `json:"login" maxLength:"100"`
	Role  string `json:"role" enum:"emitter,responsible,contributor"`
}

// objectLinkJSON is a business object a caller adds to a contact or a case.
type objectLinkJSON struct {
	Kind  string `json:"kind" maxLength:"100" doc:"contract (one the party holds), or any kind the integration names"`
	ID    string `json:"id" maxLength:"200"`
	Label string `json:"label,omitempty" maxLength:"200" doc:"The id by default; a contract's number and product"`
}

func interlocutorsJSON(in []cases.PartyRef) []interlocutorJSON {
	out := make([]interlocutorJSON, 0, len(in))
	for _, p := range in {
		out = append(out, interlocutorJSON{PartyID: p.PartyID, Name: p.Name, Role: p.Role})
	}
	return out
}

func workAgentsJSON(in []cases.AgentRef) []workAgentJSON {
	out := make([]workAgentJSON, 0, len(in))
	for _, a := range in {
		out = append(out, workAgentJSON{Login: a.Login, Name: a.Name, Role: a.Role})
	}
	return out
}

func objectsJSON(in []cases.ObjectRef) []objectJSON {
	out := make([]objectJSON, 0, len(in))
	for _, o := range in {
		out = append(out, objectJSON{Kind: o.Kind, ID: o.ID, Label: o.Label})
	}
	return out
}

func byAgent(a *cases.AgentRef) *byAgentJSON {
	if a == nil {
		return nil
	}
	return &byAgentJSON{Login: a.Login, Name: a.Name}
}

func agentLinks(in []agentLinkJSON) []cases.AgentRef {
	out := make([]cases.AgentRef, 0, len(in))
	for _, a := range in {
		out = append(out, cases.AgentRef{Login: a.Login, Role: a.Role})
	}
	return out
}

func objectLinks(in []objectLinkJSON) []cases.ObjectRef {
	out := make([]cases.ObjectRef, 0, len(in))
	for _, o := range in {
		out = append(out, cases.ObjectRef{Kind: o.Kind, ID: o.ID, Label: o.Label})
	}
	return out
}

// contactJSON is a traced contact as the API shows it.
type contactJSON struct {
	ID            string             `json:"id"`
	InteractionID string             `json:"interaction_id" doc:"The interaction it is in the party's timeline"`
	Type          string             `json:"type" doc:"The contact type's code"`
	TypeName      string             `json:"type_name" doc:"In the caller's language"`
	PartyID       string             `json:"party_id"`
	Medium        string             `json:"medium" enum:"phone,face_to_face,email,letter,sms,video,chat"`
	Direction     string             `json:"direction" enum:"inbound,outbound"`
	Reason        string             `json:"reason" doc:"A report reason's code; \"\" when none"`
	Comment       string             `json:"comment"`
	Interlocutors []interlocutorJSON `json:"interlocutors" doc:"The current party first"`
	Agents        []workAgentJSON    `json:"agents" doc:"The caller as emitter, then the template's"`
	Objects       []objectJSON       `json:"objects"`
	CaseIDs       []string           `json:"case_ids" doc:"The cases of the caller's scope it is an element of"`
	CreatedAt     time.Time          `json:"created_at"`
}

func toContactJSON(k cases.Contact) contactJSON {
	return contactJSON{ID: k.ID, InteractionID: k.InteractionID, Type: k.Type, TypeName: k.TypeName, PartyID: k.PartyID,
		Medium: k.Medium, Direction: k.Direction, Reason: k.Reason, Comment: k.Comment,
		Interlocutors: interlocutorsJSON(k.Interlocutors), Agents: workAgentsJSON(k.Agents), Objects: objectsJSON(k.Objects),
		CaseIDs: nonNil(k.CaseIDs), CreatedAt: k.CreatedAt}
}

// proposalJSON is what a contact type fills in for a party before saving.
type proposalJSON struct {
	Interlocutors []interlocutorJSON `json:"interlocutors"`
	Agents        []workAgentJSON    `json:"agents"`
	Objects       []objectJSON       `json:"objects" doc:"The chosen contract, or the only eligible one"`
	Contracts     []objectJSON       `json:"contracts" doc:"The party's contracts the template accepts, to choose from"`
}

// caseJSON is a case as a list shows it.
type caseJSON struct {
	ID                 string              `json:"id"`
	Reference          string              `json:"reference" doc:"C-000123"`
	Classification     string              `json:"classification" doc:"The classification's code"`
	ClassificationName string              `json:"classification_name" doc:"In the caller's language"`
	Status             string              `json:"status" doc:"A status code of the classification's process"`
	Closed             bool                `json:"closed" doc:"The status ends the case"`
	UnitCode           string              `json:"unit_code"`
	UnitName           string              `json:"unit_name"`
	Title              string              `json:"title"`
	PartyID            *string             `json:"party_id" doc:"The main party; null when none"`
	PartyName          string              `json:"party_name"`
	Origin             string              `json:"origin" enum:"contact,manual,api"`
	Interlocutors      []interlocutorJSON  `json:"interlocutors"`
	Agents             []workAgentJSON     `json:"agents"`
	Objects            []objectJSON        `json:"objects"`
	StepData           map[string]stepData `json:"step_data" doc:"The fields filled in, by step code"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
	ClosedAt           *time.Time          `json:"closed_at" doc:"null while open"`
}

// stepData are the values of a step's fields, by field code.
type stepData map[string]string

func toCaseJSON(c cases.Case) caseJSON {
	out := caseJSON{ID: c.ID, Reference: c.Reference, Classification: c.Classification, ClassificationName: c.ClassificationName,
		Status: c.Status, Closed: c.Closed, UnitCode: c.UnitCode, UnitName: c.UnitName, Title: c.Title, PartyName: c.PartyName,
		Origin: c.Origin, Interlocutors: interlocutorsJSON(c.Interlocutors), Agents: workAgentsJSON(c.Agents),
		Objects: objectsJSON(c.Objects), StepData: map[string]stepData{}, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		ClosedAt: c.ClosedAt}
	if c.PartyID != "" {
		out.PartyID = &c.PartyID
	}
	for k, v := range c.StepData {
		out.StepData[k] = v
	}
	return out
}

// elementJSON is one item of a case.
type elementJSON struct {
	ID          string       `json:"id"`
	Kind        string       `json:"kind" enum:"contact,letter,note,document,email"`
	RefID       string       `json:"ref_id" doc:"The contact, or the desk request of an email; \"\" for others"`
	Title       string       `json:"title"`
	Body        string       `json:"body"`
	FileName    string       `json:"file_name" doc:"Letters and documents"`
	ContentType string       `json:"content_type"`
	Size        int64        `json:"size"`
	URL         string       `json:"url" doc:"/api/v1/cases/{id}/files/{element_id} for letters and documents; \"\" for others"`
	Step        string       `json:"step" doc:"The step that generated it"`
	Agent       *byAgentJSON `json:"agent"`
	CreatedAt   time.Time    `json:"created_at"`
}

func toElementJSON(caseID string, e cases.Element) elementJSON {
	out := elementJSON{ID: e.ID, Kind: e.Kind, RefID: e.RefID, Title: e.Title, Body: e.Body, FileName: e.FileName,
		ContentType: e.ContentType, Size: e.Size, Step: e.Step, Agent: byAgent(e.Agent), CreatedAt: e.CreatedAt}
	if e.FileName != "" && (e.Kind == cases.ElementLetter || e.Kind == cases.ElementDocument) {
		out.URL = "/api/v1/cases/" + caseID + "/files/" + e.ID
	}
	return out
}

func elementsJSON(caseID string, in []cases.Element) []elementJSON {
	out := make([]elementJSON, 0, len(in))
	for _, e := range in {
		out = append(out, toElementJSON(caseID, e))
	}
	return out
}

// caseElementsJSON are a case's elements grouped by kind, oldest first.
type caseElementsJSON struct {
	Contacts  []elementJSON `json:"contacts"`
	Letters   []elementJSON `json:"letters"`
	Notes     []elementJSON `json:"notes"`
	Documents []elementJSON `json:"documents"`
	Emails    []elementJSON `json:"emails"`
	Tasks     []taskJSON    `json:"tasks"`
}

// stepFieldJSON is one input of a process step.
type stepFieldJSON struct {
	Code     string   `json:"code"`
	Label    string   `json:"label" doc:"In the caller's language"`
	Type     string   `json:"type" enum:"text,number,date,choice,boolean"`
	Required bool     `json:"required"`
	Choices  []string `json:"choices" doc:"choice: the allowed values"`
	Max      int      `json:"max" doc:"text: at most this many characters; 0 for the default"`
}

// nextStepJSON is a step a case may take from its status.
type nextStepJSON struct {
	Code     string          `json:"code"`
	Name     string          `json:"name" doc:"In the caller's language"`
	To       string          `json:"to" doc:"The status it leads to"`
	Fields   []stepFieldJSON `json:"fields"`
	Document string          `json:"document" enum:"letter,email," doc:"What it generates; \"\" for nothing"`
}

func nextStepsJSON(steps []cases.Step, lang string) []nextStepJSON {
	out := make([]nextStepJSON, 0, len(steps))
	for _, s := range steps {
		n := nextStepJSON{Code: s.Code, Name: s.Name(lang), To: s.To, Fields: make([]stepFieldJSON, 0, len(s.Fields))}
		if s.Document != nil {
			n.Document = s.Document.Kind
		}
		for _, f := range s.Fields {
			n.Fields = append(n.Fields, stepFieldJSON{Code: f.Code, Label: f.Label(lang), Type: f.Type, Required: f.Required,
				Choices: nonNil(f.Choices), Max: f.Max})
		}
		out = append(out, n)
	}
	return out
}

// CaseFields is caseJSON under an exported name: huma describes the
// fields of an embedded struct only when the embedded field is exported.
type CaseFields = caseJSON

// caseDetailJSON is a case with its elements and the steps it may take.
type caseDetailJSON struct {
	CaseFields
	Elements  caseElementsJSON `json:"elements"`
	NextSteps []nextStepJSON   `json:"next_steps" doc:"The steps of its process it may take from its status"`
}

// eventJSON is one line of a case's history.
type eventJSON struct {
	ID         string         `json:"id"`
	Action     string         `json:"action" enum:"opened,step,status,element,contact_moved,plan_launched,plan_cancelled"`
	FromStatus string         `json:"from_status"`
	ToStatus   string         `json:"to_status"`
	Step       string         `json:"step"`
	Detail     map[string]any `json:"detail" doc:"What changed: the step's fields, the element's kind and title…"`
	Agent      *byAgentJSON   `json:"agent"`
	At         time.Time      `json:"at"`
}

func toEventJSON(e cases.Event) eventJSON {
	d := e.Detail
	if d == nil {
		d = map[string]any{}
	}
	return eventJSON{ID: e.ID, Action: e.Action, FromStatus: e.FromStatus, ToStatus: e.ToStatus, Step: e.Step, Detail: d,
		Agent: byAgent(e.Agent), At: e.At}
}

// taskJSON is a task as the API shows it.
type taskJSON struct {
	ID          string       `json:"id"`
	Kind        string       `json:"kind" enum:"task,call,meeting"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	DueOn       string       `json:"due_on" doc:"YYYY-MM-DD"`
	Assignee    *byAgentJSON `json:"assignee" doc:"null while it waits in a queue"`
	Queue       string       `json:"queue" doc:"The unit code of the queue it waits in; \"\" when assigned"`
	UnitCode    string       `json:"unit_code"`
	Priority    string       `json:"priority"`
	Status      string       `json:"status" enum:"open,done,cancelled"`
	PartyID     string       `json:"party_id"`
	CaseID      string       `json:"case_id"`
	RequestID   string       `json:"request_id"`
	ContactID   string       `json:"contact_id"`
	PlanRunID   string       `json:"plan_run_id" doc:"The launch of the action plan that generated it; \"\" for a manual task"`
	MovesTo     string       `json:"moves_to" doc:"The status its case or request moves to once done"`
	CreatedAt   time.Time    `json:"created_at"`
	CompletedAt *time.Time   `json:"completed_at"`
}

func toTaskJSON(t cases.Task) taskJSON {
	return taskJSON{ID: t.ID, Kind: t.Kind, Title: t.Title, Description: t.Description, DueOn: t.DueOn,
		Assignee: byAgent(t.Assignee), Queue: t.Queue, UnitCode: t.UnitCode, Priority: t.Priority, Status: t.Status,
		PartyID: t.PartyID, CaseID: t.CaseID, RequestID: t.RequestID, ContactID: t.ContactID, PlanRunID: t.PlanRunID,
		MovesTo: t.MovesTo, CreatedAt: t.CreatedAt, CompletedAt: t.CompletedAt}
}

func toCaseDetailJSON(c cases.Case, next []cases.Step, lang string) caseDetailJSON {
	out := caseDetailJSON{CaseFields: toCaseJSON(c), NextSteps: nextStepsJSON(next, lang),
		Elements: caseElementsJSON{Contacts: []elementJSON{}, Letters: []elementJSON{}, Notes: []elementJSON{},
			Documents: []elementJSON{}, Emails: []elementJSON{}, Tasks: []taskJSON{}}}
	if e := c.Elements; e != nil {
		out.Elements.Contacts, out.Elements.Letters = elementsJSON(c.ID, e.Contacts), elementsJSON(c.ID, e.Letters)
		out.Elements.Notes, out.Elements.Documents = elementsJSON(c.ID, e.Notes), elementsJSON(c.ID, e.Documents)
		out.Elements.Emails = elementsJSON(c.ID, e.Emails)
		for _, t := range e.Tasks {
			out.Elements.Tasks = append(out.Elements.Tasks, toTaskJSON(t))
		}
	}
	return out
}
