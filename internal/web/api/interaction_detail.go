package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

type interactionInput struct {
	ID string `path:"id"`
}

type interactionOutput struct{ Body history.Detail }

type attachmentInput struct {
	ID           string `path:"id"`
	AttachmentID string `path:"attachmentID"`
}

// attachmentOutput is a file sent as a download, never shown by the browser.
type attachmentOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	ContentLength      string `header:"Content-Length"`
	NoSniff            string `header:"X-Content-Type-Options"`
	CacheControl       string `header:"Cache-Control"`
	Body               []byte
}

func (h *handlers) registerInteractionDetail(a huma.API) {
	tags := []string{"History"}
	huma.Register(a, huma.Operation{OperationID: "get-interaction", Method: http.MethodGet, Path: "/interactions/{id}",
		Summary: "An interaction's detail (a consultation, written to the audit log)",
		Description: "Everything of its timeline line, with the body as sanitized HTML (or body_purged once retention " +
			"removed it), the files, the parties it concerns that the caller may see, and the coordinates no party held. " +
			"Readable through one of its parties in the caller's scope; an interaction linked to nobody only with the " +
			"whole organisation in scope; otherwise 404 as for one that does not exist. Requires history.read.",
		Tags: tags, Errors: []int{http.StatusNotFound}},
		func(ctx context.Context, in *interactionInput) (*interactionOutput, error) {
			d, err := h.History.Interaction(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &interactionOutput{Body: d}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-interaction-attachment", Method: http.MethodGet,
		Path:    "/interactions/{id}/attachments/{attachmentID}",
		Summary: "Download a file of an interaction (written to the audit log)",
		Description: "Sent with its stored type as an attachment. 410 Gone once retention removed its content. " +
			"Requires history.read and, like the detail, a party of the interaction in scope.",
		Tags: tags, Errors: []int{http.StatusNotFound, http.StatusGone}},
		func(ctx context.Context, in *attachmentInput) (*attachmentOutput, error) {
			f, err := h.History.AttachmentFile(ctx, actorOf(ctx), in.ID, in.AttachmentID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &attachmentOutput{ContentType: f.ContentType, ContentDisposition: httpx.Disposition(f.Name),
				ContentLength: strconv.Itoa(len(f.Content)), NoSniff: "nosniff", CacheControl: "private, no-store",
				Body: f.Content}, nil
		})
	// huma describes a []byte body as base64 JSON; the file is sent as is.
	a.OpenAPI().Paths["/interactions/{id}/attachments/{attachmentID}"].Get.Responses["200"].Content =
		map[string]*huma.MediaType{"*/*": {Schema: &huma.Schema{Type: "string", Format: "binary",
			Description: "The file, with its stored type as Content-Type"}}}
}
