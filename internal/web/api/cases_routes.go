package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

type caseCreateInput struct {
	Body struct {
		Classification string           `json:"classification" maxLength:"100" doc:"A case classification's code of the unit's establishment"`
		PartyID        string           `json:"party_id,omitempty" maxLength:"100" doc:"The main party, in the caller's scope"`
		ContractID     string           `json:"contract_id,omitempty" maxLength:"100" doc:"A contract the party holds: the first object"`
		UnitCode       string           `json:"unit_code,omitempty" maxLength:"100" doc:"The caller's unit by default; in the caller's scope"`
		IdempotencyKey string           `json:"idempotency_key,omitempty" maxLength:"200" doc:"The external event's own id: the same key again in the establishment answers 200 with the case it opened"`
		Title          string           `json:"title,omitempty" maxLength:"1000" doc:"The classification's name by default"`
		Interlocutors  []string         `json:"interlocutors,omitempty" maxItems:"50" doc:"Parties added beyond the template's, by id"`
		Agents         []agentLinkJSON  `json:"agents,omitempty" maxItems:"50"`
		Objects        []objectLinkJSON `json:"objects,omitempty" maxItems:"50"`
	}
}

type caseCreateOutput struct {
	Status int
	Body   caseDetailJSON
}

type caseIDInput struct {
	ID string `path:"id" maxLength:"100" doc:"The case's ID"`
}

type caseListInput struct {
	PartyID        string `query:"party_id" maxLength:"100" doc:"Cases naming this party among their interlocutors"`
	Status         string `query:"status" maxLength:"100" doc:"A status code"`
	Unit           string `query:"unit" maxLength:"100" doc:"The unit's code: its cases, not its subunits'"`
	Classification string `query:"classification" maxLength:"100" doc:"A classification's code"`
	Open           bool   `query:"open" doc:"Only the cases not in a closed status"`
	Cursor         string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
	Limit          int    `query:"limit" minimum:"0" maximum:"200" doc:"Cases per page (50 by default)"`
}

// casePage is a page of cases, last updated first.
type casePage struct {
	Cases      []caseJSON `json:"cases"`
	NextCursor string     `json:"next_cursor,omitempty" doc:"Absent on the last page"`
}

type caseListOutput struct{ Body casePage }

type stepInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The case's ID"`
	Body struct {
		Step   string            `json:"step" maxLength:"100" doc:"A step code of next_steps"`
		Fields map[string]string `json:"fields,omitempty" doc:"The step's fields by code, every value a string: numbers 12.50, dates YYYY-MM-DD, booleans true or false"`
	}
}

type historyOutput struct {
	Body struct {
		Items []eventJSON `json:"items" doc:"Oldest first"`
	}
}

type caseNoteInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The case's ID"`
	Body struct {
		Title string `json:"title,omitempty" maxLength:"1000"`
		Body  string `json:"body" maxLength:"10000"`
	}
}

type caseDocumentInput struct {
	ID   string `path:"id" maxLength:"100" doc:"The case's ID"`
	Body struct {
		Name          string `json:"name" maxLength:"200" doc:"The file name; paths are removed"`
		ContentType   string `json:"content_type,omitempty" maxLength:"100" doc:"Media type; checked against the content, sniffed when omitted"`
		ContentBase64 string `json:"content_base64" maxLength:"14680064" doc:"The content in standard base64 (MIME line breaks allowed), at most 10 MiB once decoded"`
	}
}

type elementOutput struct{ Body elementJSON }

type caseFileInput struct {
	ID        string `path:"id" maxLength:"100" doc:"The case's ID"`
	ElementID string `path:"element_id" maxLength:"100" doc:"The letter's or document's element ID"`
}

func (h *handlers) registerCases(a huma.API) {
	tags := []string{"Cases"}
	writeErrors := []int{http.StatusForbidden, http.StatusNotFound, http.StatusUnprocessableEntity}
	huma.Register(a, huma.Operation{OperationID: "open-case", Method: http.MethodPost, Path: "/cases", Tags: tags,
		Summary: "Open a case by hand or from an external event (a dunning after a due date passed): 201 with the case, or " +
			"200 with the case already opened with the same idempotency_key. Audited. Requires case.manage",
		Description: "The classification's template fills in its interlocutors, agents and objects. A key already used " +
			"for a case outside the caller's scope is a 409.",
		DefaultStatus: http.StatusCreated, Errors: append(writeErrors, http.StatusConflict)},
		func(ctx context.Context, in *caseCreateInput) (*caseCreateOutput, error) {
			b := in.Body
			unitID, err := h.unitID(ctx, "unit_code", b.UnitCode)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			origin := cases.OriginManual
			if b.IdempotencyKey != "" {
				origin = cases.OriginAPI
			}
			c, created, err := h.Cases.OpenCase(ctx, actorOf(ctx), cases.NewCase{Classification: b.Classification,
				PartyID: b.PartyID, ContractID: b.ContractID, UnitID: unitID, Title: b.Title, IdempotencyKey: b.IdempotencyKey,
				Origin: origin, Interlocutors: b.Interlocutors, Agents: agentLinks(b.Agents), Objects: objectLinks(b.Objects)})
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out, err := h.caseOut(ctx, c)
			if err != nil {
				return nil, err
			}
			status := http.StatusOK
			if created {
				status = http.StatusCreated
			}
			return &caseCreateOutput{Status: status, Body: out.Body}, nil
		})
	// The same key again answers 200 with the same body.
	open := a.OpenAPI().Paths["/cases"].Post
	open.Responses["200"] = &huma.Response{Description: "The case already opened with this idempotency_key",
		Content: open.Responses["201"].Content}
	huma.Register(a, huma.Operation{OperationID: "list-cases", Method: http.MethodGet, Path: "/cases", Tags: tags,
		Summary: "The cases of the units in the caller's scope, last updated first, without their elements. Requires case.manage",
		Errors:  []int{http.StatusForbidden, http.StatusUnprocessableEntity}},
		func(ctx context.Context, in *caseListInput) (*caseListOutput, error) {
			f := cases.CaseFilter{PartyID: in.PartyID, Status: in.Status, Classification: in.Classification, Open: in.Open,
				Cursor: in.Cursor, Limit: in.Limit}
			var err error
			if f.UnitID, err = h.unitID(ctx, "unit", in.Unit); err != nil {
				return nil, h.fail(ctx, err)
			}
			page, err := h.Cases.Cases(ctx, actorOf(ctx), f)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &caseListOutput{Body: casePage{Cases: make([]caseJSON, 0, len(page.Cases)), NextCursor: page.Next}}
			for _, c := range page.Cases {
				out.Body.Cases = append(out.Body.Cases, toCaseJSON(c))
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-case", Method: http.MethodGet, Path: "/cases/{id}", Tags: tags,
		Summary: "A case with its elements grouped by kind and the steps its process offers from its status. " +
			"Requires case.manage; 404 out of scope",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *caseIDInput) (*caseOutput, error) {
			c, err := h.Cases.Get(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.caseOut(ctx, c)
		})
	huma.Register(a, huma.Operation{OperationID: "run-case-step", Method: http.MethodPost, Path: "/cases/{id}/steps", Tags: tags,
		Summary: "Run a step of the case's process with its fields: the case moves to the step's status and the step's " +
			"letter or email becomes an element. In the case's history and audited. Requires case.manage",
		Description: "409 (step_not_available) for a step its status does not offer or when someone moved the case " +
			"meanwhile; 422 naming field.CODE for a field missing or malformed.",
		Errors: append(writeErrors, http.StatusConflict)},
		func(ctx context.Context, in *stepInput) (*caseOutput, error) {
			actor := actorOf(ctx)
			if _, err := h.Cases.RunStep(ctx, actor, in.ID, in.Body.Step, in.Body.Fields, actor.Locale); err != nil {
				return nil, h.fail(ctx, err)
			}
			c, err := h.Cases.Get(ctx, actor, in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.caseOut(ctx, c)
		})
	huma.Register(a, huma.Operation{OperationID: "case-history", Method: http.MethodGet, Path: "/cases/{id}/history", Tags: tags,
		Summary: "The case's history, oldest first: opening, steps, status changes, elements, contacts moved in, plans. " +
			"Requires case.manage; 404 out of scope",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *caseIDInput) (*historyOutput, error) {
			events, err := h.Cases.Events(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &historyOutput{}
			out.Body.Items = make([]eventJSON, 0, len(events))
			for _, e := range events {
				out.Body.Items = append(out.Body.Items, toEventJSON(e))
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "add-case-note", Method: http.MethodPost, Path: "/cases/{id}/notes", Tags: tags,
		Summary:       "Add a note to a case. In its history and audited. Requires case.manage",
		DefaultStatus: http.StatusCreated, Errors: writeErrors},
		func(ctx context.Context, in *caseNoteInput) (*elementOutput, error) {
			el, err := h.Cases.AddNote(ctx, actorOf(ctx), in.ID, in.Body.Title, in.Body.Body)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &elementOutput{Body: toElementJSON(in.ID, el)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "add-case-document", Method: http.MethodPost, Path: "/cases/{id}/documents",
		Tags: tags, Summary: "Add a file to a case, checked like every upload (type sniffed, executables refused, at most " +
			"10 MiB). In its history and audited. Requires case.manage",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: maxDeskBody, Errors: writeErrors},
		func(ctx context.Context, in *caseDocumentInput) (*elementOutput, error) {
			b := in.Body
			data, err := content.DecodeBase64(b.ContentBase64)
			if err != nil {
				return nil, h.fail(ctx, core.Fields{"content_base64": content.ReasonOf(err)}.Err())
			}
			el, err := h.Cases.AddDocument(ctx, actorOf(ctx), in.ID, b.Name, b.ContentType, data)
			if err != nil {
				return nil, h.fail(ctx, asFile(err))
			}
			return &elementOutput{Body: toElementJSON(in.ID, el)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-case-file", Method: http.MethodGet, Path: "/cases/{id}/files/{element_id}",
		Tags: tags, Summary: "Download a case's letter (PDF) or document. Requires case.manage; 404 out of scope",
		Errors: []int{http.StatusForbidden, http.StatusNotFound}},
		func(ctx context.Context, in *caseFileInput) (*attachmentOutput, error) {
			el, r, err := h.Cases.ElementFile(ctx, actorOf(ctx), in.ID, in.ElementID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			defer r.Close()
			data, err := io.ReadAll(r)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &attachmentOutput{ContentType: el.ContentType, ContentDisposition: httpx.Disposition(el.FileName),
				ContentLength: strconv.Itoa(len(data)), NoSniff: "nosniff", CacheControl: "private, no-store", Body: data}, nil
		})
	a.OpenAPI().Paths["/cases/{id}/files/{element_id}"].Get.Responses["200"].Content =
		map[string]*huma.MediaType{"*/*": {Schema: &huma.Schema{Type: "string", Format: "binary",
			Description: "The file, with its stored type as Content-Type"}}}
}

// asFile names the fields of a document's refusal as the API calls them:
// the content checks' "content" and "file" are content_base64 here.
func asFile(err error) error {
	var ce *core.Error
	if errors.As(err, &ce) {
		for _, k := range []string{"content", "file"} {
			if why, ok := ce.Fields[k]; ok {
				delete(ce.Fields, k)
				ce.Fields["content_base64"] = why
			}
		}
	}
	return err
}
