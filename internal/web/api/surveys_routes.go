package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/surveys"
)

type partySurveysInput struct {
	PartyID string `query:"party_id" required:"true" maxLength:"100" doc:"The party's ID"`
}

type partySurveysOutput struct {
	Body struct {
		Surveys []surveyJSON `json:"surveys" doc:"Newest first, at most 200"`
	}
}

type surveyAskInput struct {
	Body struct {
		InteractionID string `json:"interaction_id" maxLength:"100" doc:"An interaction the caller pushed, of its establishment"`
		Campaign      string `json:"campaign" maxLength:"100" doc:"The code of an active campaign of that establishment"`
	}
}

// surveyScheduledJSON is what asking for a survey gives.
type surveyScheduledJSON struct {
	ID     string  `json:"id"`
	Status string  `json:"status" enum:"scheduled,sent,skipped,expired" doc:"scheduled or skipped; a later state when asked again"`
	Reason *string `json:"reason" doc:"Why it was skipped: recent_survey (one in the last three months), no_consent, no_address, erased, no_gateway"`
}

type surveyAskOutput struct {
	Status int
	Body   surveyScheduledJSON
}

func (h *handlers) registerSurveys(a huma.API) {
	tags := []string{"Surveys"}
	huma.Register(a, huma.Operation{OperationID: "list-party-surveys", Method: http.MethodGet, Path: "/surveys", Tags: tags,
		Summary: "The satisfaction surveys of a party: scheduled, sent, skipped with their reason, and the answers the " +
			"customer chose to sign; an anonymous answer reads as sent, without score. Requires party.read and the party in scope",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *partySurveysInput) (*partySurveysOutput, error) {
			list, err := h.Surveys.PartySurveys(ctx, actorOf(ctx), in.PartyID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &partySurveysOutput{}
			out.Body.Surveys = make([]surveyJSON, len(list))
			for i, v := range list {
				out.Body.Surveys[i] = toSurveyJSON(v)
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "ask-survey", Method: http.MethodPost, Path: "/surveys", Tags: tags,
		Summary: "Ask for a satisfaction survey after an interaction the caller pushed: 201 with the survey scheduled (sent " +
			"after the campaign's delay) or skipped with its reason (recent_survey: one was sent in the last three months; " +
			"no_consent, no_address, erased, no_gateway); the same interaction again answers 200 with the same survey. " +
			"Requires history.write",
		DefaultStatus: http.StatusCreated,
		Errors:        []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *surveyAskInput) (*surveyAskOutput, error) {
			sc, err := h.Surveys.Ask(ctx, actorOf(ctx), surveys.Request{InteractionID: in.Body.InteractionID,
				Campaign: in.Body.Campaign})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			status := http.StatusOK
			if sc.Created {
				status = http.StatusCreated
			}
			return &surveyAskOutput{Status: status, Body: surveyScheduledJSON{ID: sc.ID, Status: sc.Status, Reason: sc.Reason}}, nil
		})
	ask := a.OpenAPI().Paths["/surveys"].Post
	ask.Responses["200"] = &huma.Response{Description: "The survey already asked for this interaction",
		Content: ask.Responses["201"].Content}
}
