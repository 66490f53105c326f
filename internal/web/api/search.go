package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/party"
)

type quickSearchInput struct {
	Q     string `query:"q" doc:"A name (accents and case ignored, prefixes), client number, contract number, email or phone in any format" maxLength:"200"`
	Limit int    `query:"limit" minimum:"0" maximum:"50" doc:"10 by default"`
}

type advancedSearchInput struct {
	Name         string `query:"name" doc:"Name prefixes, accents and case ignored" maxLength:"200"`
	BirthDate    string `query:"birth_date" doc:"YYYY-MM-DD" maxLength:"200"`
	PostalCode   string `query:"postal_code" maxLength:"200"`
	City         string `query:"city" maxLength:"200"`
	AgencyCode   string `query:"agency_code" maxLength:"200"`
	AdvisorLogin string `query:"advisor_login" maxLength:"200"`
	Status       string `query:"status" enum:"prospect,client,"`
	Kind         string `query:"kind" enum:"person,organization,"`
	Product      string `query:"product" doc:"Holds an active contract of this product" maxLength:"200"`
	Cursor       string `query:"cursor" maxLength:"200"`
	Limit        int    `query:"limit" minimum:"0" maximum:"200" doc:"25 by default"`
}

type searchOutput struct {
	Body struct {
		Items      []party.Summary `json:"items"`
		NextCursor string          `json:"next_cursor,omitempty"`
	}
}

func (h *handlers) registerSearch(a huma.API) {
	tags := []string{"Search"}
	huma.Register(a, huma.Operation{OperationID: "quick-search", Method: http.MethodGet, Path: "/search",
		Summary: "Quick search: one box for names, numbers, emails and phones", Tags: tags},
		func(ctx context.Context, in *quickSearchInput) (*searchOutput, error) {
			items, err := h.Parties.QuickSearch(ctx, actorOf(ctx), in.Q, in.Limit)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &searchOutput{}
			out.Body.Items = nonNil(items)
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "search-parties", Method: http.MethodGet, Path: "/parties",
		Summary: "Advanced search: criteria combined, paginated with a cursor", Tags: tags},
		func(ctx context.Context, in *advancedSearchInput) (*searchOutput, error) {
			page, err := h.Parties.Search(ctx, actorOf(ctx), party.Criteria{Name: in.Name, BirthDate: in.BirthDate,
				PostalCode: in.PostalCode, City: in.City, AgencyCode: in.AgencyCode, AdvisorLogin: in.AdvisorLogin,
				Status: in.Status, Kind: in.Kind, Product: in.Product, Cursor: in.Cursor, Limit: in.Limit})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &searchOutput{}
			out.Body.Items = nonNil(page.Items)
			out.Body.NextCursor = page.NextCursor
			return out, nil
		})
}
