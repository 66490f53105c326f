package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// maxBatch is how many items one JSON request may carry; NDJSON streams
// any number, ingested in batches of this size.
const maxBatch = 1000

// maxLine bounds one NDJSON line (an item with its attachments).
const maxLine = 32 << 20

// ingestInput takes the request body as a stream: huma does not read it, so
// an NDJSON upload of any length is never held whole in memory.
type ingestInput struct {
	ContentType string `header:"Content-Type"`
	body        io.Reader
}

// Resolve keeps the body's reader for the handler.
func (in *ingestInput) Resolve(ctx huma.Context) []error {
	in.body = ctx.BodyReader()
	return nil
}

type ingestOutput struct {
	Body struct {
		Items []history.Result `json:"items"`
	}
}

// ingestBatch is the JSON form: up to maxBatch items.
type ingestBatch struct {
	Items []history.Item `json:"items" maxItems:"1000"`
}

func (h *handlers) registerInteractions(a huma.API) {
	itemSchema := a.OpenAPI().Components.Schemas.Schema(reflectType[history.Item](), true, "")
	batchSchema := a.OpenAPI().Components.Schemas.Schema(reflectType[ingestBatch](), true, "")
	huma.Register(a, huma.Operation{OperationID: "ingest-interactions", Method: http.MethodPost, Path: "/interactions",
		Summary: "Push interactions: one item, a batch of up to 1,000, or an NDJSON stream of any length",
		Description: "Idempotent on (source, external_id). Each item is answered in order: stored (with the parties " +
			"it concerns), excluded by a restitution rule (not stored), duplicate, or rejected with the reason. " +
			"A rejected item never makes the others fail. Requires the history.write permission.",
		Tags: []string{"History"}},
		func(ctx context.Context, in *ingestInput) (*ingestOutput, error) {
			// The store checks it again; checked here too so a stream is
			// refused before its body is read.
			actor := actorOf(ctx)
			if err := actor.Require(core.PermHistoryWrite); err != nil {
				return nil, h.fail(ctx, err)
			}
			out := &ingestOutput{}
			var err error
			if strings.HasPrefix(in.ContentType, "application/x-ndjson") {
				out.Body.Items, err = h.ingestNDJSON(ctx, in.body)
			} else {
				out.Body.Items, err = h.ingestJSON(ctx, in.body)
			}
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return out, nil
		})
	// The body is described after registering: described before, huma would
	// read and validate it itself, and an NDJSON stream could not be streamed.
	a.OpenAPI().Paths["/interactions"].Post.RequestBody = &huma.RequestBody{Required: true,
		Content: map[string]*huma.MediaType{
			"application/json":     {Schema: &huma.Schema{OneOf: []*huma.Schema{batchSchema, itemSchema}}},
			"application/x-ndjson": {Schema: itemSchema},
		}}
}

// ingestJSON reads {"items": [...]} or a single item. An item that is not
// an interaction (a number where text goes, a value out of range) is
// rejected alone, the others are ingested.
func (h *handlers) ingestJSON(ctx context.Context, body io.Reader) ([]history.Result, error) {
	raw, err := io.ReadAll(io.LimitReader(body, maxBatch*maxLine/256))
	if err != nil {
		return nil, core.Errorf(core.BadRequest, "read the request: %v", err)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, core.Errorf(core.BadRequest, "the body is not a JSON object: %v", err)
	}
	in := newIngestion(ctx, h)
	list, ok := probe["items"]
	if !ok && !utf8.Valid(raw) {
		return nil, core.Errorf(core.BadRequest, "%s", httpx.ErrNotUTF8.Error())
	}
	if !ok {
		var it history.Item
		if err := json.Unmarshal(raw, &it); err != nil {
			return nil, core.Errorf(core.BadRequest, "the body is not an interaction: %v", err)
		}
		if err := in.add(it); err != nil {
			return nil, err
		}
		return in.finish()
	}
	var items []json.RawMessage
	if err := json.Unmarshal(list, &items); err != nil {
		return nil, core.Errorf(core.BadRequest, "items: %v", err)
	}
	if len(items) > maxBatch {
		return nil, core.Errorf(core.Invalid, "items: at most %d per request; send larger sets as NDJSON", maxBatch)
	}
	for i, rawItem := range items {
		if !utf8.Valid(rawItem) {
			in.reject(externalIDOf(rawItem), fmt.Sprintf("items[%d]: %s", i, core.InvalidUTF8().English()))
			continue
		}
		var it history.Item
		if err := json.Unmarshal(rawItem, &it); err != nil {
			in.reject(externalIDOf(rawItem), fmt.Sprintf("items[%d]: not an interaction: %v", i, err))
			continue
		}
		if err := in.add(it); err != nil {
			return nil, err
		}
	}
	return in.finish()
}

// ingestNDJSON reads one item per line, in batches; a line that is not an
// item, or too long, is answered as rejected with its line number, and the
// lines after it go on.
func (h *handlers) ingestNDJSON(ctx context.Context, body io.Reader) ([]history.Result, error) {
	sc := newLines(body, maxLine)
	in := newIngestion(ctx, h)
	for sc.next() {
		if sc.tooLong {
			in.reject("", fmt.Sprintf("line %d: longer than %d MiB", sc.n, maxLine>>20))
			continue
		}
		text := sc.text()
		if len(text) == 0 {
			continue
		}
		if !utf8.Valid(text) {
			in.reject(externalIDOf(text), fmt.Sprintf("line %d: %s", sc.n, core.InvalidUTF8().English()))
			continue
		}
		var it history.Item
		if err := json.Unmarshal(text, &it); err != nil {
			in.reject(externalIDOf(text), fmt.Sprintf("line %d: not a JSON interaction: %v", sc.n, err))
			continue
		}
		if err := in.add(it); err != nil {
			return nil, err
		}
	}
	if sc.err != nil {
		return nil, core.Errorf(core.BadRequest, "read line %d: %v", sc.n+1, sc.err)
	}
	return in.finish()
}

// ingestion collects the items of a request and the refusals of what was
// not an item, ingests them in batches of maxBatch and answers in the
// order they came.
type ingestion struct {
	h       *handlers
	ctx     context.Context
	results []history.Result
	batch   []history.Item
	pending []history.Result // refusals, placed in order
	order   []int            // for each entry: -1 for a batch item, else its index in pending
}

func newIngestion(ctx context.Context, h *handlers) *ingestion {
	return &ingestion{h: h, ctx: ctx, results: []history.Result{}}
}

// add queues an item, ingesting the batch once it is full.
func (in *ingestion) add(it history.Item) error {
	in.batch = append(in.batch, it)
	in.order = append(in.order, -1)
	if len(in.batch) == maxBatch {
		return in.flush()
	}
	return nil
}

// reject answers an entry that is not an item.
func (in *ingestion) reject(externalID, why string) {
	in.order = append(in.order, len(in.pending))
	in.pending = append(in.pending, history.Result{ExternalID: externalID, Status: history.Rejected, PartyIDs: []string{}, Reason: why})
}

func (in *ingestion) flush() error {
	var res []history.Result
	if len(in.batch) > 0 {
		var err error
		if res, err = in.h.History.Ingest(in.ctx, actorOf(in.ctx), in.batch); err != nil {
			return err
		}
	}
	next := 0
	for _, o := range in.order {
		if o < 0 {
			in.results = append(in.results, res[next])
			next++
		} else {
			in.results = append(in.results, in.pending[o])
		}
	}
	in.batch, in.pending, in.order = in.batch[:0], in.pending[:0], in.order[:0]
	return nil
}

// finish ingests what is left and returns every answer.
func (in *ingestion) finish() ([]history.Result, error) {
	if len(in.order) > 0 {
		if err := in.flush(); err != nil {
			return nil, err
		}
	}
	return in.results, nil
}

// bad reports whether an external id could not be shown back.
func bad(externalID string) bool {
	_, problem := core.TextProblem(externalID, core.MaxExternalID)
	return problem
}

// externalIDOf reads the external_id of an entry that is not a valid item,
// when it has one, so its refusal can be matched to it.
func externalIDOf(raw []byte) string {
	var probe struct {
		ExternalID string `json:"external_id"`
	}
	if json.Unmarshal(raw, &probe) != nil || bad(probe.ExternalID) {
		return ""
	}
	return probe.ExternalID
}

type timelineInput struct {
	ID        string `path:"id"`
	Channel   string `query:"channel" maxLength:"200" doc:"phone, email, sms, letter, face_to_face, video, chat, web_form, notification, case or survey"`
	Direction string `query:"direction" enum:"inbound,outbound,"`
	From      string `query:"from" maxLength:"200" doc:"RFC 3339: interactions at or after"`
	To        string `query:"to" maxLength:"200" doc:"RFC 3339: interactions before"`
	Agent     string `query:"agent" maxLength:"200" doc:"The agent's login"`
	Source    string `query:"source" maxLength:"200" doc:"The integration that pushed it: telephony, agent_mailbox, shared_mailbox, crm_message, notification, letter, sms, chat, web_form or an added source"`
	Cursor    string `query:"cursor" maxLength:"200"`
	Limit     int    `query:"limit" minimum:"0" maximum:"200" doc:"50 by default"`
}

type timelineOutput struct{ Body history.Page }

func (h *handlers) registerTimeline(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "party-timeline", Method: http.MethodGet, Path: "/parties/{id}/timeline",
		Summary: "A party's interactions, newest first (a consultation, written to the audit log)", Tags: []string{"History"}},
		func(ctx context.Context, in *timelineInput) (*timelineOutput, error) {
			f := history.Filter{Channel: in.Channel, Direction: in.Direction, Agent: in.Agent, Source: in.Source,
				Cursor: in.Cursor, Limit: in.Limit}
			fields := core.Fields{}
			for name, raw := range map[string]string{"from": in.From, "to": in.To} {
				if raw == "" {
					continue
				}
				t, err := time.Parse(time.RFC3339, raw)
				if err != nil {
					fields.Add(name, core.Because("datetime"))
				}
				if name == "from" {
					f.From = t
				} else {
					f.To = t
				}
			}
			if err := fields.Err(); err != nil {
				return nil, h.fail(ctx, err)
			}
			page, err := h.History.Timeline(ctx, actorOf(ctx), in.ID, f)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &timelineOutput{Body: page}, nil
		})
}
