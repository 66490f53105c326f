package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/org"
)

// unitJSON is a unit of the organisation tree as the API shows it.
type unitJSON struct {
	ID         string          `json:"id"`
	Code       string          `json:"code"`
	Name       string          `json:"name"`
	Kind       string          `json:"kind" enum:"establishment,region,agency,service"`
	ParentCode string          `json:"parent_code,omitempty"`
	TimeZone   string          `json:"time_zone"`
	Support    bool            `json:"support"`
	Hours      org.WeeklyHours `json:"hours" doc:"Weekly business hours, indexed by weekday from Sunday (0)"`
	CreatedAt  time.Time       `json:"created_at"`
}

func toUnitJSON(u org.Unit) unitJSON {
	return unitJSON{ID: u.ID, Code: u.Code, Name: u.Name, Kind: string(u.Kind), ParentCode: u.ParentCode,
		TimeZone: u.TimeZone, Support: u.Support, Hours: u.Hours, CreatedAt: u.CreatedAt}
}

type unitCreateInput struct {
	Body struct {
		Code       string           `json:"code" doc:"Unique code, e.g. AG-LYON" maxLength:"100"`
		Name       string           `json:"name" maxLength:"200"`
		Kind       string           `json:"kind" enum:"establishment,region,agency,service"`
		ParentCode string           `json:"parent_code,omitempty" doc:"Required except for an establishment" maxLength:"100"`
		TimeZone   string           `json:"time_zone,omitempty" doc:"IANA time zone; Europe/Paris by default" maxLength:"100"`
		Support    bool             `json:"support,omitempty" doc:"Agents of support units show as \"Support service\""`
		Hours      *org.WeeklyHours `json:"hours,omitempty"`
	}
}

type unitOutput struct{ Body unitJSON }

type unitListOutput struct {
	Body struct {
		Items []unitJSON `json:"items"`
	}
}

func (h *handlers) registerUnits(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "create-unit", Method: http.MethodPost, Path: "/units",
		Summary: "Create a unit", Tags: []string{"Organisation"}, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *unitCreateInput) (*unitOutput, error) {
			b := in.Body
			u, err := h.Orgs.CreateUnit(ctx, actorOf(ctx), org.UnitInput{Code: b.Code, Name: b.Name,
				Kind: org.UnitKind(b.Kind), ParentCode: b.ParentCode, TimeZone: b.TimeZone, Support: b.Support, Hours: b.Hours})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &unitOutput{Body: toUnitJSON(u)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-units", Method: http.MethodGet, Path: "/units",
		Summary: "List the organisation tree, depth first", Tags: []string{"Organisation"}},
		func(ctx context.Context, _ *struct{}) (*unitListOutput, error) {
			units, err := h.Orgs.ListUnits(ctx)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &unitListOutput{}
			out.Body.Items = make([]unitJSON, 0, len(units))
			for _, u := range units {
				out.Body.Items = append(out.Body.Items, toUnitJSON(u))
			}
			return out, nil
		})
}
