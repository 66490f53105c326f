package api

import (
	"github.com/rapport-crm/rapport/internal/cases"
)

// templatePartyJSON is an interlocutor a definition predefines.
type templatePartyJSON struct {
	From    string `json:"from" enum:"current_party,contract_holders,related,party" doc:"current_party: the party on screen; contract_holders: every holder of the chosen contract; related: the parties related to the current one; party: party_id"`
	PartyID string `json:"party_id,omitempty" maxLength:"100" doc:"With from party"`
	Role    string `json:"role,omitempty" maxLength:"200" doc:"A free label: customer, co-holder, guarantor…"`
}

// templateAgentJSON is an agent a definition predefines.
type templateAgentJSON struct {
	From  string `json:"from" enum:"signed_in,party_advisor,login" doc:"signed_in: the agent tracing the contact; party_advisor: the current party's advisor; login: a fixed agent"`
	Login string `json:"login,omitempty" maxLength:"100" doc:"With from login"`
	Role  string `json:"role" enum:"emitter,responsible,contributor"`
}

// templateObjectJSON is a business object a definition asks for.
type templateObjectJSON struct {
	Kind     string `json:"kind" maxLength:"100" doc:"contract: one of the current party's, of product when given"`
	Product  string `json:"product,omitempty" maxLength:"100"`
	Required bool   `json:"required,omitempty" doc:"A contract without an eligible one is refused (contract_required)"`
}

// templateJSON are the three lists of a template, flat in a definition.
type templateJSON struct {
	Interlocutors []templatePartyJSON  `json:"interlocutors" required:"false" maxItems:"20"`
	Agents        []templateAgentJSON  `json:"agents" required:"false" maxItems:"20"`
	Objects       []templateObjectJSON `json:"objects" required:"false" maxItems:"20"`
}

// TemplateFields is templateJSON under an exported name: huma describes
// the fields of an embedded struct only when the embedded field is exported.
type TemplateFields = templateJSON

func (t templateJSON) template() cases.Template {
	out := cases.Template{Interlocutors: []cases.TemplateParty{}, Agents: []cases.TemplateAgent{}, Objects: []cases.TemplateObject{}}
	for _, p := range t.Interlocutors {
		out.Interlocutors = append(out.Interlocutors, cases.TemplateParty{From: p.From, PartyID: p.PartyID, Role: p.Role})
	}
	for _, a := range t.Agents {
		out.Agents = append(out.Agents, cases.TemplateAgent{From: a.From, Login: a.Login, Role: a.Role})
	}
	for _, o := range t.Objects {
		out.Objects = append(out.Objects, cases.TemplateObject{Kind: o.Kind, Product: o.Product, Required: o.Required})
	}
	return out
}

func toTemplateJSON(t cases.Template) templateJSON {
	out := templateJSON{Interlocutors: []templatePartyJSON{}, Agents: []templateAgentJSON{}, Objects: []templateObjectJSON{}}
	for _, p := range t.Interlocutors {
		out.Interlocutors = append(out.Interlocutors, templatePartyJSON{From: p.From, PartyID: p.PartyID, Role: p.Role})
	}
	for _, a := range t.Agents {
		out.Agents = append(out.Agents, templateAgentJSON{From: a.From, Login: a.Login, Role: a.Role})
	}
	for _, o := range t.Objects {
		out.Objects = append(out.Objects, templateObjectJSON{Kind: o.Kind, Product: o.Product, Required: o.Required})
	}
	return out
}

// contactTypeJSON is a contact type as the API shows it.
type contactTypeJSON struct {
	Code           string `json:"code"`
	Name           string `json:"name" doc:"In French"`
	NameEN         string `json:"name_en"`
	Medium         string `json:"medium"`
	Reason         string `json:"reason"`
	Classification string `json:"classification" doc:"The classification a case from such a contact is proposed"`
	Position       int    `json:"position"`
	Active         bool   `json:"active"`
	TemplateFields
}

func toContactTypeJSON(t cases.ContactType) contactTypeJSON {
	return contactTypeJSON{Code: t.Code, Name: t.NameFR, NameEN: t.NameEN, Medium: t.Medium, Reason: t.Reason,
		Classification: t.Classification, Position: t.Position, Active: t.Active, TemplateFields: toTemplateJSON(t.Template)}
}

// statusJSON is a status of a process.
type statusJSON struct {
	Code   string `json:"code" maxLength:"100"`
	Name   string `json:"name" maxLength:"200"`
	NameEN string `json:"name_en,omitempty" maxLength:"200"`
	Closed bool   `json:"closed,omitempty" doc:"The status ends the case"`
}

// fieldDefJSON is an input of a step.
type fieldDefJSON struct {
	Code     string   `json:"code" maxLength:"100"`
	Label    string   `json:"label" maxLength:"200"`
	LabelEN  string   `json:"label_en,omitempty" maxLength:"200"`
	Type     string   `json:"type" enum:"text,number,date,choice,boolean"`
	Required bool     `json:"required,omitempty"`
	Choices  []string `json:"choices,omitempty" maxItems:"100" doc:"choice: the allowed values"`
	Max      int      `json:"max,omitempty" minimum:"0" maximum:"10000" doc:"text: at most this many characters (5,000 by default)"`
}

// documentTemplateJSON is what a step generates.
type documentTemplateJSON struct {
	Kind    string `json:"kind" enum:"letter,email" doc:"letter: a PDF with the bank's layout and the party's address; email: to the main interlocutor, through the desk"`
	Subject string `json:"subject" maxLength:"1000" doc:"Placeholders: {{party.name}}, {{case.reference}}, {{field.CODE}}, {{agent.name}}…"`
	Body    string `json:"body" maxLength:"10000"`
}

// stepDefJSON is a step of a process.
type stepDefJSON struct {
	Code     string                `json:"code" maxLength:"100"`
	Name     string                `json:"name" maxLength:"200"`
	NameEN   string                `json:"name_en,omitempty" maxLength:"200"`
	From     []string              `json:"from,omitempty" maxItems:"50" doc:"The statuses it may be taken from; any when empty"`
	To       string                `json:"to" maxLength:"100"`
	Fields   []fieldDefJSON        `json:"fields,omitempty" maxItems:"50"`
	Document *documentTemplateJSON `json:"document_template,omitempty"`
}

// classificationJSON is a case classification as the API shows it.
type classificationJSON struct {
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	NameEN   string        `json:"name_en"`
	Statuses []statusJSON  `json:"statuses" doc:"The first is where a case starts"`
	Steps    []stepDefJSON `json:"steps"`
	Position int           `json:"position"`
	Active   bool          `json:"active"`
	TemplateFields
}

// processOf is the process a classification's statuses and steps make.
func processOf(statuses []statusJSON, steps []stepDefJSON) cases.Process {
	p := cases.Process{Statuses: []cases.Status{}, Steps: []cases.Step{}}
	for _, s := range statuses {
		p.Statuses = append(p.Statuses, cases.Status{Code: s.Code, NameFR: s.Name, NameEN: s.NameEN, Closed: s.Closed})
	}
	for _, s := range steps {
		st := cases.Step{Code: s.Code, NameFR: s.Name, NameEN: s.NameEN, From: nonNil(s.From), To: s.To, Fields: []cases.Field{}}
		for _, f := range s.Fields {
			st.Fields = append(st.Fields, cases.Field{Code: f.Code, LabelFR: f.Label, LabelEN: f.LabelEN, Type: f.Type,
				Required: f.Required, Choices: f.Choices, Max: f.Max})
		}
		if d := s.Document; d != nil {
			st.Document = &cases.DocumentTemplate{Kind: d.Kind, Subject: d.Subject, Body: d.Body}
		}
		p.Steps = append(p.Steps, st)
	}
	return p
}

func toClassificationJSON(c cases.Classification) classificationJSON {
	out := classificationJSON{Code: c.Code, Name: c.NameFR, NameEN: c.NameEN, Statuses: []statusJSON{}, Steps: []stepDefJSON{},
		Position: c.Position, Active: c.Active, TemplateFields: toTemplateJSON(c.Template)}
	for _, s := range c.Process.Statuses {
		out.Statuses = append(out.Statuses, statusJSON{Code: s.Code, Name: s.NameFR, NameEN: s.NameEN, Closed: s.Closed})
	}
	for _, s := range c.Process.Steps {
		st := stepDefJSON{Code: s.Code, Name: s.NameFR, NameEN: s.NameEN, From: nonNil(s.From), To: s.To, Fields: []fieldDefJSON{}}
		for _, f := range s.Fields {
			st.Fields = append(st.Fields, fieldDefJSON{Code: f.Code, Label: f.LabelFR, LabelEN: f.LabelEN, Type: f.Type,
				Required: f.Required, Choices: f.Choices, Max: f.Max})
		}
		if d := s.Document; d != nil {
			st.Document = &documentTemplateJSON{Kind: d.Kind, Subject: d.Subject, Body: d.Body}
		}
		out.Steps = append(out.Steps, st)
	}
	return out
}

// planStepJSON is a step of an action plan: a task once launched.
type planStepJSON struct {
	Day         int    `json:"day" minimum:"0" maximum:"365" doc:"Business days after the launch (0: the same day, or the next business day)"`
	Title       string `json:"title" maxLength:"200"`
	Description string `json:"description,omitempty" maxLength:"10000"`
	Kind        string `json:"kind,omitempty" enum:"task,call,meeting," doc:"task by default"`
	Assignee    string `json:"assignee" enum:"case_agent,queue,launcher" doc:"case_agent: the case's responsible (else emitter, else the launcher); queue: the queue of unit_code (else of the target's unit); launcher: whoever launches it"`
	UnitCode    string `json:"unit_code,omitempty" maxLength:"100" doc:"A unit of the establishment"`
	MovesCaseTo string `json:"moves_case_to,omitempty" maxLength:"100" doc:"The status its case (or request) moves to once the task is done"`
}

// actionPlanJSON is an action plan as the API shows it.
type actionPlanJSON struct {
	Code   string         `json:"code"`
	Name   string         `json:"name"`
	NameEN string         `json:"name_en"`
	Steps  []planStepJSON `json:"steps"`
	Active bool           `json:"active"`
}

func toActionPlanJSON(p cases.ActionPlan) actionPlanJSON {
	out := actionPlanJSON{Code: p.Code, Name: p.NameFR, NameEN: p.NameEN, Active: p.Active, Steps: []planStepJSON{}}
	for _, s := range p.Steps {
		out.Steps = append(out.Steps, planStepJSON{Day: s.Day, Title: s.Title, Description: s.Description, Kind: s.Kind,
			Assignee: s.Assignee, UnitCode: s.UnitCode, MovesCaseTo: s.MovesCaseTo})
	}
	return out
}
