package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
)

// searchClients is how many clients search at once in the concurrent
// figure: the twenty agents typing.
const searchClients = 20

// searchLoadFigure is the quick search under concurrent clients through the HTTP
// API (GET /api/v1/search, a bearer token, JSON) beside the same bare
// lookups run by as many goroutines straight on the reading pool.
type searchLoadFigure struct {
	Figure         string  `json:"figure"`
	Clients        int     `json:"clients"`
	Requests       int     `json:"requests"`
	Errors         int     `json:"errors"`
	PerSecond      float64 `json:"requests_per_second"`
	P50            float64 `json:"p50_ms"`
	P99            float64 `json:"p99_ms"`
	BarePerSecond  float64 `json:"bare_per_second"`
	BareP50        float64 `json:"bare_p50_ms"`
	BareP99        float64 `json:"bare_p99_ms"`
	RatioPerSecond float64 `json:"ratio_to_bare"`
}

// timeConcurrentSearches sends n quick searches (qs in turn) from clients
// goroutines to the server, then runs the same bare lookups from as many
// goroutines on the database, and returns both figures side by side.
func timeConcurrentSearches(ctx context.Context, d *db.DB, api *apiServer, figure string, qs []query, clients, n int) (searchLoadFigure, error) {
	base := strings.TrimSuffix(api.url, "/interactions") + "/search?limit=10&q="
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	var errs atomic.Int64
	search := func(ctx context.Context, q query) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+url.QueryEscape(q.text), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+api.token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			errs.Add(1)
		}
		return nil
	}
	took, secs, err := runConcurrently(ctx, qs, clients, n, search)
	if err != nil {
		return searchLoadFigure{}, fmt.Errorf("concurrent quick search: %w", err)
	}
	bare, bareSecs, err := runConcurrently(ctx, qs, clients, n, func(ctx context.Context, q query) error { return runBare(ctx, d, q) })
	if err != nil {
		return searchLoadFigure{}, err
	}
	f := searchLoadFigure{Figure: figure, Clients: clients, Requests: n, Errors: int(errs.Load()),
		PerSecond: round(float64(n) / secs), P50: ms(percentile(took, 50)), P99: ms(percentile(took, 99)),
		BarePerSecond: round(float64(n) / bareSecs), BareP50: ms(percentile(bare, 50)), BareP99: ms(percentile(bare, 99))}
	f.RatioPerSecond = round(f.PerSecond / f.BarePerSecond)
	return f, nil
}

// runConcurrently runs do on n queries (qs in turn) from clients
// goroutines and returns each call's duration and the whole run's seconds.
// The first error stops the run.
func runConcurrently(ctx context.Context, qs []query, clients, n int, do func(context.Context, query) error) ([]time.Duration, float64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	took := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				t := time.Now()
				if err := do(ctx, qs[i%len(qs)]); err != nil {
					once.Do(func() { first = err; cancel() })
					return
				}
				took[i] = time.Since(t)
			}
		}()
	}
	wg.Wait()
	return took, time.Since(start).Seconds(), first
}
