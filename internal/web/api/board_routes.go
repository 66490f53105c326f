package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/board"
	"github.com/rapport-crm/rapport/internal/core"
)

type boardInput struct {
	Kind           string `query:"kind" enum:"cases,requests," doc:"cases (the default) or requests"`
	Unit           string `query:"unit" maxLength:"100" doc:"The unit's code: its cards, not its subunits'"`
	Assignee       string `query:"assignee" maxLength:"100" doc:"The login of the responsible agent (cases) or the assignee (requests)"`
	Classification string `query:"classification" maxLength:"100" doc:"cases: a classification's code; the first active one by default"`
	Channel        string `query:"channel" enum:"email,web_form,phone,chat," doc:"requests: a channel"`
}

// boardCardJSON is a case or a request on the board.
type boardCardJSON struct {
	ID        string    `json:"id"`
	Reference string    `json:"reference"`
	Title     string    `json:"title"`
	PartyName string    `json:"party_name"`
	Assignee  string    `json:"assignee" doc:"The agent's name; \"\" for nobody"`
	Channel   string    `json:"channel" doc:"requests only"`
	Priority  string    `json:"priority" doc:"requests only"`
	UpdatedAt time.Time `json:"updated_at"`
}

// boardColumnJSON is one status of the board.
type boardColumnJSON struct {
	Status string          `json:"status"`
	Name   string          `json:"name" doc:"In the caller's language"`
	Closed bool            `json:"closed"`
	Count  int             `json:"count" doc:"Its cards, counted up to 1,000"`
	More   bool            `json:"more" doc:"It holds more than count"`
	Cards  []boardCardJSON `json:"cards" doc:"The first 20, last updated first"`
}

// boardJSON is a kanban board: a column per status in process order.
type boardJSON struct {
	Kind           string            `json:"kind" enum:"cases,requests"`
	Classification string            `json:"classification" doc:"cases: the classification shown"`
	Columns        []boardColumnJSON `json:"columns"`
}

type boardOutput struct{ Body boardJSON }

type boardMoveInput struct {
	Body struct {
		Kind   string `json:"kind" enum:"cases,requests"`
		ID     string `json:"id" maxLength:"100" doc:"The case's or request's ID"`
		Status string `json:"status" maxLength:"100" doc:"The status of the column it is dropped in"`
	}
}

type boardMoveOutput struct {
	Body struct {
		Kind   string `json:"kind" enum:"cases,requests"`
		ID     string `json:"id"`
		Status string `json:"status"`
	}
}

func (h *handlers) registerBoard(a huma.API) {
	tags := []string{"Board"}
	b := board.New(h.Cases, h.Desk)
	huma.Register(a, huma.Operation{OperationID: "get-board", Method: http.MethodGet, Path: "/board", Tags: tags,
		Summary: "The kanban board of the cases (of one classification) or the requests of the caller's scope: a column " +
			"per status with its first cards and their count. Requires case.manage (cases) or request.read (requests)",
		Description: "An establishment without an active classification has a cases board without columns; an unknown " +
			"classification code or a unit outside the scope is a 404.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *boardInput) (*boardOutput, error) {
			f := board.Filter{Kind: in.Kind, Classification: in.Classification, Channel: in.Channel}
			if f.Kind == "" {
				f.Kind = board.KindCases
			}
			var err error
			if f.UnitID, err = h.unitID(ctx, "unit", in.Unit); err != nil {
				return nil, h.fail(ctx, err)
			}
			if f.AssigneeID, err = h.agentID(ctx, "assignee", in.Assignee); err != nil {
				return nil, h.fail(ctx, err)
			}
			got, err := b.Board(ctx, actorOf(ctx), f)
			if err != nil && f.Kind == board.KindCases && in.Classification == "" && in.Unit == "" &&
				core.ErrorCode(err) == core.NotFound {
				// The establishment has no active classification yet: a board without columns.
				got, err = board.Board{Kind: board.KindCases, Columns: []board.Column{}}, nil
			}
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &boardOutput{Body: boardJSON{Kind: got.Kind, Classification: got.Classification,
				Columns: make([]boardColumnJSON, 0, len(got.Columns))}}
			for _, c := range got.Columns {
				col := boardColumnJSON{Status: c.Status, Name: c.Name, Closed: c.Closed, Count: c.Count, More: c.More,
					Cards: make([]boardCardJSON, 0, len(c.Cards))}
				for _, k := range c.Cards {
					col.Cards = append(col.Cards, boardCardJSON{ID: k.ID, Reference: k.Reference, Title: k.Title,
						PartyName: k.PartyName, Assignee: k.Assignee, Channel: k.Channel, Priority: k.Priority, UpdatedAt: k.UpdatedAt})
				}
				out.Body.Columns = append(out.Body.Columns, col)
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "move-board-card", Method: http.MethodPost, Path: "/board/move", Tags: tags,
		Summary: "Move a card to another column: a case along a step of its process without required fields, a request " +
			"to any status. A refused move is a 409 whose reason says why (no_step, step_needs_fields). Audited. " +
			"Requires case.manage (cases) or request.reply (requests)",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *boardMoveInput) (*boardMoveOutput, error) {
			if err := b.Move(ctx, actorOf(ctx), in.Body.Kind, in.Body.ID, in.Body.Status); err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &boardMoveOutput{}
			out.Body.Kind, out.Body.ID, out.Body.Status = in.Body.Kind, in.Body.ID, in.Body.Status
			return out, nil
		})
}
