package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"fmt"

	"github.com/rapport-crm/rapport/internal/surveys"
)

type surveyCampaignCreateInput struct{ Body surveyCampaignBody }

type surveyCampaignUpdateInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The campaign's ID"`
	Body surveyCampaignBody
}

type surveyCampaignIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The campaign's ID"`
}

type surveyCampaignOutput struct {
	Status int
	Body   surveyCampaignJSON
}

type surveyCampaignsOutput struct {
	Body struct {
		Campaigns []surveyCampaignJSON `json:"campaigns"`
	}
}

func (h *handlers) registerSurveysAdmin(a huma.API) {
	tags := []string{"Surveys"}
	huma.Register(a, huma.Operation{OperationID: "create-survey-campaign", Method: http.MethodPost,
		Path: "/admin/survey-campaigns", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Create a satisfaction survey campaign of an establishment: which exchanges trigger it, after what delay, " +
			"on which channel, its scale, questions and texts in French and English. Audited. Requires survey.admin",
		Errors: []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *surveyCampaignCreateInput) (*surveyCampaignOutput, error) {
			c, err := h.Surveys.CreateCampaign(ctx, actorOf(ctx), in.Body.input())
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.campaignOut(ctx, http.StatusCreated, c)
		})
	huma.Register(a, huma.Operation{OperationID: "list-survey-campaigns", Method: http.MethodGet,
		Path: "/admin/survey-campaigns", Tags: tags,
		Summary: "The survey campaigns of the establishments in the caller's scope. Requires survey.admin",
		Errors:  []int{http.StatusForbidden}},
		func(ctx context.Context, _ *struct{}) (*surveyCampaignsOutput, error) {
			cs, err := h.Surveys.Campaigns(ctx, actorOf(ctx))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			codes, err := h.unitCodes(ctx)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &surveyCampaignsOutput{}
			out.Body.Campaigns = make([]surveyCampaignJSON, len(cs))
			for i, c := range cs {
				out.Body.Campaigns[i] = campaignJSON(c, codes[c.EstablishmentID])
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-survey-campaign", Method: http.MethodGet,
		Path: "/admin/survey-campaigns/{id}", Tags: tags,
		Summary: "One survey campaign. Requires survey.admin", Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *surveyCampaignIDInput) (*surveyCampaignOutput, error) {
			c, err := h.Surveys.Campaign(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.campaignOut(ctx, http.StatusOK, c)
		})
	huma.Register(a, huma.Operation{OperationID: "update-survey-campaign", Method: http.MethodPut,
		Path: "/admin/survey-campaigns/{id}", Tags: tags,
		Summary: "Replace a survey campaign's settings (its establishment cannot change). Audited. Requires survey.admin",
		Errors:  []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *surveyCampaignUpdateInput) (*surveyCampaignOutput, error) {
			c, err := h.Surveys.UpdateCampaign(ctx, actorOf(ctx), in.ID, in.Body.input())
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.campaignOut(ctx, http.StatusOK, c)
		})
}

// campaignOut shows c with its establishment's code.
func (h *handlers) campaignOut(ctx context.Context, status int, c surveys.Campaign) (*surveyCampaignOutput, error) {
	codes, err := h.unitCodes(ctx)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	return &surveyCampaignOutput{Status: status, Body: campaignJSON(c, codes[c.EstablishmentID])}, nil
}

// unitCodes maps every unit's id to its code.
func (h *handlers) unitCodes(ctx context.Context) (map[string]string, error) {
	units, err := h.Orgs.ListUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		out[u.ID] = u.Code
	}
	return out, nil
}
