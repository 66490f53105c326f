package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/party"
)

// apiBatch is how many items one JSON request carries, the API's maximum;
// the API also ingests an NDJSON stream in batches of this size, and the
// bare insert writes the same rows in transactions of this size.
const apiBatch = 1000

// ingestFigure is the rate of interactions pushed through the HTTP API
// beside the bare multi-row insert of the same rows.
type ingestFigure struct {
	Figure              string  `json:"figure"`
	Events              int     `json:"events"`
	Links               int     `json:"links"`
	Requests            int     `json:"requests"`
	Seconds             float64 `json:"seconds"`
	EventsPerSecond     float64 `json:"events_per_second"`
	BareSeconds         float64 `json:"bare_seconds"`
	BareEventsPerSecond float64 `json:"bare_events_per_second"`
	Ratio               float64 `json:"ratio_to_bare"`
}

// apiServer is the application served on a loopback port, as `rapport
// serve` serves it, with an integration's token acting as the administrator.
type apiServer struct {
	url, token string
	stop       func() error // stops the server, in this process or its own
	client     *http.Client
}

// startAPI serves the application on 127.0.0.1 and issues an API token for
// the admin agent (whose role holds history.write).
func startAPI(ctx context.Context, a *app.App, logger *slog.Logger) (*apiServer, error) {
	token, err := adminToken(ctx, a)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	go srv.Serve(ln)
	return &apiServer{url: "http://" + ln.Addr().String() + "/api/v1/interactions", token: token, stop: srv.Close,
		client: &http.Client{Timeout: 10 * time.Minute}}, nil
}

// adminToken issues an API token for the admin agent.
func adminToken(ctx context.Context, a *app.App) (string, error) {
	token, err := a.Auth.CreateToken(ctx, core.System(), "bench", "admin")
	if err != nil {
		return "", fmt.Errorf("create the bench's API token: %w", err)
	}
	return token, nil
}

// close stops the server.
func (a *apiServer) close() error {
	return a.stop()
}

// post sends one body and returns the response's, which must be a 200.
func (a *apiServer) post(ctx context.Context, contentType string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", contentType)
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("POST /api/v1/interactions: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("POST /api/v1/interactions: read the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST /api/v1/interactions: %s: %.500s", resp.Status, raw)
	}
	return raw, nil
}

// apiItems draws n items as the telephony, mailbox and SMS integrations
// send them: half calls, 40% emails, 10% SMS, each naming one of the
// ordinary parties by the phone or email it holds (phones half in national
// form, half in E.164) with its advisor as the agent, within the last month.
// No item is one the restitution rules keep out, so every one is stored.
func apiItems(g *generator, parties, n int, prefix string, seed uint64) []history.Item {
	r := rand.New(rand.NewPCG(seed, uint64(len(prefix))<<32|0x17e))
	now := time.Now()
	items := make([]history.Item, n)
	for k := range items {
		w := g.row(heavyParties + r.IntN(parties-heavyParties))
		it := history.Item{ExternalID: fmt.Sprintf("%s-%09d", prefix, k), Agent: w.rec[9],
			OccurredAt: now.Add(-time.Duration(r.Int64N(int64(30 * 24 * time.Hour)))).Format(time.RFC3339)}
		phone := w.phone
		if r.IntN(2) == 0 {
			phone, _ = party.NormalizePhone(w.phone)
		}
		inbound := r.IntN(2) == 0
		switch u := r.IntN(10); {
		case u < 5:
			it.Source, it.Channel = "telephony", "phone"
			secs := 40 + r.IntN(900)
			it.DurationSeconds = &secs
			if inbound {
				it.Direction, it.From = history.DirectionInbound, phone
				it.Outcome = []string{"answered", "answered", "unanswered", "voicemail"}[r.IntN(4)]
			} else {
				it.Direction, it.To, it.Outcome = history.DirectionOutbound, []string{phone}, "answered"
			}
		case u < 9:
			it.Source, it.Channel = "agent_mailbox", "email"
			it.Subject, it.Body = benchSubjects[r.IntN(len(benchSubjects))], benchBodies[r.IntN(len(benchBodies))]
			if inbound {
				it.Direction, it.From = history.DirectionInbound, w.email
			} else {
				it.Direction, it.To = history.DirectionOutbound, []string{w.email}
			}
		default:
			it.Source, it.Channel, it.Direction, it.To = "sms", "sms", history.DirectionOutbound, []string{phone}
			it.Body = benchSMS[r.IntN(len(benchSMS))]
		}
		items[k] = it
	}
	return items
}

// timeIngestion pushes items through the API — in JSON batches of 1,000,
// or as one NDJSON stream — then writes the same rows with bare multi-row
// INSERTs in transactions of 1,000 items, and returns the figure.
func timeIngestion(ctx context.Context, d *db.DB, api *apiServer, establishment, figure string, ndjson bool, items []history.Item,
	logger *slog.Logger) (ingestFigure, error) {
	var bodies [][]byte
	contentType := "application/json"
	if ndjson {
		contentType = "application/x-ndjson"
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		for _, it := range items {
			if err := enc.Encode(it); err != nil {
				return ingestFigure{}, err
			}
		}
		bodies = append(bodies, b.Bytes())
	} else {
		for start := 0; start < len(items); start += apiBatch {
			raw, err := json.Marshal(map[string]any{"items": items[start:min(start+apiBatch, len(items))]})
			if err != nil {
				return ingestFigure{}, err
			}
			bodies = append(bodies, raw)
		}
	}
	answers := make([][]byte, len(bodies))
	settle(ctx, d, logger)
	t := time.Now()
	for i, body := range bodies {
		var err error
		if answers[i], err = api.post(ctx, contentType, body); err != nil {
			return ingestFigure{}, err
		}
	}
	spent := time.Since(t)

	var results []history.Result
	for _, raw := range answers {
		var out struct {
			Items []history.Result `json:"items"`
		}
		if err := json.Unmarshal(raw, &out); err != nil {
			return ingestFigure{}, fmt.Errorf("read the API's answer: %w", err)
		}
		results = append(results, out.Items...)
	}
	if len(results) != len(items) {
		return ingestFigure{}, fmt.Errorf("%s: %d results for %d items", figure, len(results), len(items))
	}
	batches, links, err := bareIngestRows(ctx, d, establishment, items, results)
	if err != nil {
		return ingestFigure{}, err
	}
	settle(ctx, d, logger)
	t = time.Now()
	for _, b := range batches {
		if err := insertHistoryRows(ctx, d, b); err != nil {
			return ingestFigure{}, err
		}
	}
	bare := time.Since(t)
	f := ingestFigure{Figure: figure, Events: len(items), Links: links, Requests: len(bodies),
		Seconds: round(spent.Seconds()), EventsPerSecond: round(float64(len(items)) / spent.Seconds()),
		BareSeconds: round(bare.Seconds()), BareEventsPerSecond: round(float64(len(items)) / bare.Seconds())}
	f.Ratio = round(f.EventsPerSecond / f.BareEventsPerSecond)
	return f, nil
}

// bareIngestRows builds, in batches of 1,000 items, the rows the store
// wrote for items — their interactions, and a timeline row for every party
// the API found — under new ids and external ids, for the bare insert.
// Every item must have been stored.
func bareIngestRows(ctx context.Context, d *db.DB, establishment string, items []history.Item, results []history.Result) ([]historyRows, int, error) {
	agents := map[string]string{}
	rows, err := d.Query(ctx, "SELECT login, id FROM agents")
	if err != nil {
		return nil, 0, fmt.Errorf("read agents: %w", err)
	}
	for rows.Next() {
		var login, id string
		if err := rows.Scan(&login, &id); err != nil {
			rows.Close()
			return nil, 0, err
		}
		agents[login] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	created := core.Millis(time.Now())
	var batches []historyRows
	links := 0
	for k, it := range items {
		res := results[k]
		if res.Status != history.Stored {
			return nil, 0, fmt.Errorf("item %s was %s, not stored: %s", it.ExternalID, res.Status, res.Reason)
		}
		if k%apiBatch == 0 {
			batches = append(batches, historyRows{})
		}
		b := &batches[len(batches)-1]
		at, err := time.Parse(time.RFC3339, it.OccurredAt)
		if err != nil {
			return nil, 0, err
		}
		var duration, agentID any
		if it.DurationSeconds != nil {
			duration = int64(*it.DurationSeconds)
		}
		if id, ok := agents[strings.ToLower(it.Agent)]; ok {
			agentID = id
		}
		id, ms := core.NewID(), core.Millis(at)
		b.interactions = append(b.interactions, []any{id, it.Source, "bare-" + it.ExternalID, it.Channel, it.Direction,
			it.Outcome, ms, duration, agentID, it.Agent, "", it.Subject, it.Body, "", "", created, establishment, len(res.PartyIDs)})
		role, coord := "to", ""
		if it.From != "" {
			role, coord = "from", it.From
		} else if len(it.To) > 0 {
			coord = it.To[0]
		}
		if e164, err := party.NormalizePhone(coord); err == nil && !strings.Contains(coord, "@") {
			coord = e164
		}
		for _, pid := range res.PartyIDs {
			b.links = append(b.links, []any{pid, ms, id, role, strings.ToLower(coord)})
			links++
		}
	}
	if links == 0 {
		return nil, 0, errors.New("the API linked no item to a party")
	}
	return batches, links, nil
}
