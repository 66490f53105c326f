package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/cases"
)

type contactCreateInput struct {
	Body struct {
		Type          string           `json:"type" maxLength:"100" doc:"A contact type's code of the caller's establishment"`
		PartyID       string           `json:"party_id" maxLength:"100" doc:"The current party, in the caller's scope: the first interlocutor"`
		ContractID    string           `json:"contract_id,omitempty" maxLength:"100" doc:"The current contract, one the party holds: the first object"`
		Medium        string           `json:"medium,omitempty" enum:"phone,face_to_face,email,letter,sms,video,chat," doc:"The type's medium by default, else phone"`
		Direction     string           `json:"direction,omitempty" enum:"inbound,outbound," doc:"inbound by default"`
		Reason        string           `json:"reason,omitempty" maxLength:"100" doc:"A report reason's code; the type's by default"`
		Comment       string           `json:"comment,omitempty" maxLength:"5000"`
		UnitCode      string           `json:"unit_code,omitempty" maxLength:"100" doc:"The caller's unit by default; in the caller's scope"`
		Interlocutors []string         `json:"interlocutors,omitempty" maxItems:"50" doc:"Parties added beyond the template's, by id, in the caller's scope"`
		Agents        []agentLinkJSON  `json:"agents,omitempty" maxItems:"50" doc:"Agents added beyond the template's"`
		Objects       []objectLinkJSON `json:"objects,omitempty" maxItems:"50" doc:"Objects added beyond the template's"`
	}
}

type contactOutput struct{ Body contactJSON }

type contactIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The contact's ID"`
}

type proposalInput struct {
	Code       string `path:"code" maxLength:"100" doc:"The contact type's code"`
	PartyID    string `query:"party_id" maxLength:"100" doc:"The current party, in the caller's scope"`
	ContractID string `query:"contract_id" maxLength:"100" doc:"The current contract, one the party holds"`
}

type proposalOutput struct{ Body proposalJSON }

type caseFromContactInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The contact's ID"`
	Body struct {
		Classification string `json:"classification" maxLength:"100" doc:"A case classification's code of the contact's establishment"`
	}
}

type moveContactInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The contact's ID"`
	Body struct {
		CaseID string `json:"case_id" maxLength:"100" doc:"A case of the caller's scope"`
	}
}

type caseOutput struct{ Body caseDetailJSON }

func (h *handlers) registerContacts(a huma.API) {
	tags := []string{"Contacts"}
	writeErrors := []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(a, huma.Operation{OperationID: "create-contact", Method: http.MethodPost, Path: "/contacts", Tags: tags,
		Summary: "Trace a contact with a customer: its type's template fills in the interlocutors, agents and objects " +
			"that are eligible, and it is written to the party's timeline. Audited. Requires case.manage",
		Description: "The current party is the first interlocutor, the caller the emitter, the current contract the first " +
			"object; a template needing a contract takes the only eligible one, and is refused (contract_required) when " +
			"the party holds none. Parties outside the caller's scope are left out.",
		DefaultStatus: http.StatusCreated, Errors: writeErrors},
		func(ctx context.Context, in *contactCreateInput) (*contactOutput, error) {
			b := in.Body
			unitID, err := h.unitID(ctx, "unit_code", b.UnitCode)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			k, err := h.Cases.CreateContact(ctx, actorOf(ctx), cases.NewContact{Type: b.Type, PartyID: b.PartyID,
				ContractID: b.ContractID, Medium: b.Medium, Direction: b.Direction, Reason: b.Reason, Comment: b.Comment,
				UnitID: unitID, Interlocutors: b.Interlocutors, Agents: agentLinks(b.Agents), Objects: objectLinks(b.Objects)})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &contactOutput{Body: toContactJSON(k)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-contact", Method: http.MethodGet, Path: "/contacts/{id}", Tags: tags,
		Summary: "A contact with its links and the cases it is in. Requires case.manage; 404 out of scope",
		Errors:  []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *contactIDInput) (*contactOutput, error) {
			k, err := h.Cases.Contact(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &contactOutput{Body: toContactJSON(k)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "propose-contact", Method: http.MethodGet, Path: "/contact-types/{code}/proposal",
		Tags: tags, Summary: "What a contact type of the caller's establishment fills in for a party (and contract) before " +
			"the contact is saved, with the party's contracts it accepts. Requires case.manage",
		Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *proposalInput) (*proposalOutput, error) {
			p, err := h.Cases.Propose(ctx, actorOf(ctx), in.Code, cases.Context{PartyID: in.PartyID, ContractID: in.ContractID})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &proposalOutput{Body: proposalJSON{Interlocutors: interlocutorsJSON(p.Interlocutors),
				Agents: workAgentsJSON(p.Agents), Objects: objectsJSON(p.Objects), Contracts: objectsJSON(p.Contracts)}}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "case-from-contact", Method: http.MethodPost, Path: "/contacts/{id}/case",
		Tags: tags, Summary: "Open a case from a contact: its interlocutors, agents and objects move into the case with " +
			"what the classification's template adds, and the contact is its first element. Audited. Requires case.manage",
		DefaultStatus: http.StatusCreated, Errors: writeErrors},
		func(ctx context.Context, in *caseFromContactInput) (*caseOutput, error) {
			c, err := h.Cases.CaseFromContact(ctx, actorOf(ctx), in.ID, in.Body.Classification)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.caseOut(ctx, c)
		})
	huma.Register(a, huma.Operation{OperationID: "move-contact", Method: http.MethodPost, Path: "/contacts/{id}/move",
		Tags: tags, Summary: "Put a contact into an existing case: what the case lacks of its interlocutors, agents and " +
			"objects is added, nothing twice; moving it again changes nothing. Audited. Requires case.manage",
		Errors: writeErrors},
		func(ctx context.Context, in *moveContactInput) (*caseOutput, error) {
			c, err := h.Cases.MoveContact(ctx, actorOf(ctx), in.ID, in.Body.CaseID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.caseOut(ctx, c)
		})
}

// caseOut is a case read by the store with the steps it may take.
func (h *handlers) caseOut(ctx context.Context, c cases.Case) (*caseOutput, error) {
	return &caseOutput{Body: toCaseDetailJSON(c, c.NextSteps(), actorOf(ctx).Locale)}, nil
}
