package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
)

// The kinds of request of the load run, and how often a client picks each
// (out of loadWeights' total): an advisor's day is mostly searching.
const (
	loadSearch   = "quick_search"
	load360      = "party_360"
	loadTimeline = "timeline"
	loadIngest   = "ingest_batch"
)

// loadKinds lists the kinds with their weights, in the order they are printed.
var loadKinds = []struct {
	kind   string
	weight int
}{{loadSearch, 50}, {load360, 20}, {loadTimeline, 20}, {loadIngest, 10}}

// loadIngestBatch is how many interactions one ingestion request of the
// load run carries: a telephony system pushing what happened in the last
// seconds.
const loadIngestBatch = 20

// loadFigure is what one kind of request did during the load run.
type loadFigure struct {
	Figure            string  `json:"figure"`
	Kind              string  `json:"kind"`
	Clients           int     `json:"clients"`
	Seconds           float64 `json:"seconds"`
	Requests          int     `json:"requests"`
	RequestsPerSecond float64 `json:"requests_per_second"`
	P50               float64 `json:"p50_ms"`
	P99               float64 `json:"p99_ms"`
	Errors            int     `json:"errors"`
}

// loadTargets is what the clients ask for: search box entries, parties to
// open, the heavy parties' timelines.
type loadTargets struct {
	searches []string
	parties  []string // ids
	heavy    []string // ids of parties with long histories
}

// loadResult is one client's record of one request.
type loadResult struct {
	kind string
	took time.Duration
	err  error
}

// runLoadClients runs cfg.Clients clients against the API of a for
// cfg.LoadDuration, each sending one request after the other, its kind
// drawn by loadKinds' weights: a quick search (GET /search), a party's
// 360° page (GET /parties/{id}, its contracts and its relations, what the
// page reads), a timeline's first page (GET /parties/{id}/timeline) of a
// party with a long history, or a batch of interactions (POST
// /interactions). It returns a figure per kind and one for all, where any
// error is counted (and the first few logged).
func runLoadClients(ctx context.Context, api *apiServer, g *generator, t loadTargets, cfg Config, logger *slog.Logger) ([]loadFigure, error) {
	base, err := url.Parse(api.url)
	if err != nil {
		return nil, err
	}
	base.Path = "/api/v1"
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Clients}}
	get := func(ctx context.Context, path string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.String()+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+api.token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s: %.300s", path, resp.Status, raw)
		}
		return nil
	}
	var mu sync.Mutex
	var results []loadResult
	deadline := time.Now().Add(cfg.LoadDuration)
	var wg sync.WaitGroup
	for c := range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(cfg.Seed, uint64(c)<<20|0x10ad))
			var mine []loadResult
			for n := 0; time.Now().Before(deadline) && ctx.Err() == nil; n++ {
				kind := pickKind(r)
				start := time.Now()
				var err error
				switch kind {
				case loadSearch:
					err = get(ctx, "/search?q="+url.QueryEscape(t.searches[r.IntN(len(t.searches))]))
				case load360:
					id := t.parties[r.IntN(len(t.parties))]
					for _, p := range []string{"/parties/" + id, "/parties/" + id + "/contracts", "/parties/" + id + "/relations"} {
						if err = get(ctx, p); err != nil {
							break
						}
					}
				case loadTimeline:
					err = get(ctx, "/parties/"+t.heavy[r.IntN(len(t.heavy))]+"/timeline?limit=50")
				case loadIngest:
					items := apiItems(g, cfg.Parties, loadIngestBatch, fmt.Sprintf("load-%02d-%07d", c, n), cfg.Seed+uint64(c))
					var body []byte
					if body, err = json.Marshal(map[string]any{"items": items}); err == nil {
						_, err = api.post(ctx, "application/json", body)
					}
				}
				mine = append(mine, loadResult{kind, time.Since(start), err})
			}
			mu.Lock()
			results = append(results, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := loadErrors(results, 5); err != nil {
		logger.Warn("bench: errors under load", "first", err)
	}
	return loadFigures(results, cfg), nil
}

// pickKind draws a kind of request by loadKinds' weights.
func pickKind(r *rand.Rand) string {
	total := 0
	for _, k := range loadKinds {
		total += k.weight
	}
	u := r.IntN(total)
	for _, k := range loadKinds {
		if u < k.weight {
			return k.kind
		}
		u -= k.weight
	}
	return loadKinds[0].kind
}

// loadFigures sums the results up per kind, then for all kinds together.
func loadFigures(results []loadResult, cfg Config) []loadFigure {
	secs := cfg.LoadDuration.Seconds()
	figure := func(kind string, keep func(loadResult) bool) loadFigure {
		var took []time.Duration
		f := loadFigure{Figure: "load_" + kind, Kind: kind, Clients: cfg.Clients, Seconds: round(secs)}
		for _, r := range results {
			if !keep(r) {
				continue
			}
			took = append(took, r.took)
			if r.err != nil {
				f.Errors++
			}
		}
		slices.Sort(took)
		f.Requests = len(took)
		f.RequestsPerSecond = round(float64(len(took)) / secs)
		f.P50, f.P99 = ms(percentile(took, 50)), ms(percentile(took, 99))
		return f
	}
	var out []loadFigure
	for _, k := range loadKinds {
		out = append(out, figure(k.kind, func(r loadResult) bool { return r.kind == k.kind }))
	}
	return append(out, figure("all", func(loadResult) bool { return true }))
}

// loadErrors returns the first errors of the results, to log them.
func loadErrors(results []loadResult, n int) error {
	var errs []error
	for _, r := range results {
		if r.err != nil && len(errs) < n {
			errs = append(errs, fmt.Errorf("%s: %w", r.kind, r.err))
		}
	}
	return errors.Join(errs...)
}

// pickTargets draws what the load run's clients ask for: search box
// entries as the search figures draw them, and 2,000 parties to open, by
// the client numbers of generated rows.
func pickTargets(ctx context.Context, d *db.DB, g *generator, cfg Config, heavy []string) (loadTargets, error) {
	t := loadTargets{heavy: heavy}
	for _, q := range queries(d.Dialect(), g, cfg.Parties, 2000, cfg.Seed) {
		t.searches = append(t.searches, q.text)
	}
	r := rand.New(rand.NewPCG(cfg.Seed, 0x360))
	numbers := make([]string, 2000)
	for i := range numbers {
		numbers[i] = g.row(r.IntN(cfg.Parties)).clientNumber
	}
	for start := 0; start < len(numbers); start += 500 {
		chunk := numbers[start:min(start+500, len(numbers))]
		args := make([]any, len(chunk))
		for i, n := range chunk {
			args[i] = n
		}
		rows, err := d.Query(ctx, "SELECT id FROM parties WHERE client_number IN ("+db.Placeholders(len(args))+")", args...)
		if err != nil {
			return t, fmt.Errorf("pick parties: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return t, err
			}
			t.parties = append(t.parties, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return t, err
		}
	}
	if len(t.parties) == 0 || len(t.heavy) == 0 {
		return t, errors.New("pick parties: none found")
	}
	return t, nil
}
