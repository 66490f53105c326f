package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/party"
)

type contractCreateInput struct {
	Body struct {
		Number     string   `json:"number" maxLength:"100"`
		Product    string   `json:"product" doc:"current_account, savings, card, home_loan, insurance, consumer_loan, life_insurance" maxLength:"100"`
		Status     string   `json:"status,omitempty" enum:"pending,active,closed"`
		OpenedOn   string   `json:"opened_on,omitempty" doc:"YYYY-MM-DD" maxLength:"100"`
		ClosedOn   string   `json:"closed_on,omitempty" doc:"YYYY-MM-DD" maxLength:"100"`
		HolderIDs  []string `json:"holder_ids"`
		AgencyCode string   `json:"agency_code,omitempty" maxLength:"100"`
	}
}

type contractOutput struct{ Body party.Contract }

type contractListOutput struct {
	Body struct {
		Items []party.Contract `json:"items"`
	}
}

func (h *handlers) registerContracts(a huma.API) {
	tags := []string{"Contracts"}
	huma.Register(a, huma.Operation{OperationID: "create-contract", Method: http.MethodPost, Path: "/contracts",
		Summary: "Create a contract held by one or more parties", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *contractCreateInput) (*contractOutput, error) {
			b := in.Body
			c, err := h.Parties.CreateContract(ctx, actorOf(ctx), party.ContractInput{Number: b.Number, Product: b.Product,
				Status: b.Status, OpenedOn: b.OpenedOn, ClosedOn: b.ClosedOn, AgencyCode: b.AgencyCode, HolderIDs: b.HolderIDs})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &contractOutput{Body: c}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-contract", Method: http.MethodGet, Path: "/contracts/{id}",
		Summary: "Get a contract", Tags: tags},
		func(ctx context.Context, in *partyIDInput) (*contractOutput, error) {
			c, err := h.Parties.Contract(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &contractOutput{Body: c}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-party-contracts", Method: http.MethodGet, Path: "/parties/{id}/contracts",
		Summary: "List the contracts a party holds", Tags: tags},
		func(ctx context.Context, in *partyIDInput) (*contractListOutput, error) {
			cs, err := h.Parties.Contracts(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &contractListOutput{}
			out.Body.Items = nonNil(cs)
			return out, nil
		})
}
