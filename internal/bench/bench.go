// Package bench measures Rapport's performance figures on a generated
// database, each beside the same work done by a bare query on the same
// database: the bulk import rate, the quick search's latency for the whole
// organisation and for one agency, the rate of interactions pushed through
// the HTTP API, the latency of a long timeline's first page, the memory
// held and the database's size.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// Config says what to measure on which database.
type Config struct {
	DSN          string       // postgres://… for PostgreSQL (a fresh schema); empty for a temporary SQLite file
	Parties      int          // parties to generate and import; 0 means 100,000
	Queries      int          // quick searches to time per scope, and timeline first pages; 0 means 2,000
	Interactions int          // interactions in the generated history; 0 means 10,000,000
	Events       int          // interactions pushed through the API in each form (JSON, NDJSON); 0 means 100,000
	Seed         uint64       // seed of the generator; the same seed gives the same data
	Logger       *slog.Logger // progress; nil for none
	Keep         bool         // keep the database afterwards (its location is logged) to inspect it
	// Desk measures the desk instead (runDesk): Requests requests (0 means
	// 100,000) with Messages messages (0 means ten per request), the intake
	// of Intake messages (0 means 10,000).
	Desk                       bool
	Requests, Messages, Intake int
	// Cases, when above 0, measures the kanban board and the activity list
	// instead (runCases): Cases cases and Tasks tasks (0 means 5,000,000)
	// beside Requests requests (0 means 100,000).
	Cases, Tasks int
	// Leads, when above 0, measures the response-time report instead
	// (runLeads) on this many leads received over a year.
	Leads int
	// Load runs Clients clients (0 means 20) for LoadDuration (0 means 30
	// seconds) against the API of a real server instead (runLoad).
	Load         bool
	Clients      int
	LoadDuration time.Duration
	// Server, with Load, is the rapport executable to serve the load from,
	// as `rapport serve` in a process of its own whose memory is then
	// measured alone; "" serves it inside the bench's process.
	Server string
	// Search, when above 0, measures the quick search alone (runSearch) on
	// this many parties loaded in bulk, or on the database Reuse names (a
	// SQLite file, or a PostgreSQL schema on DSN, kept by an earlier run).
	Search int
	Reuse  string
}

// agencyCount is how many agencies the parties are spread over.
const agencyCount = 50

// memoryFigure is the memory the process holds after some runs: resident
// set size (which includes SQLite's page caches, allocated outside the Go
// heap) and its peak, then the Go heap and what the Go runtime took.
// "memory" follows the import and the searches; "memory_history" follows
// the ingestion and the timelines, its peak counted from the end of the
// history's generation (whose rows and index sorts are the bench's own).
type memoryFigure struct {
	Figure      string  `json:"figure"`
	RSSMB       float64 `json:"rss_mb"`
	PeakRSSMB   float64 `json:"peak_rss_mb"`
	HeapAllocMB float64 `json:"heap_alloc_mb"`
	SysMB       float64 `json:"sys_mb"`
}

// memoryNow is the memory figure at this point of the run.
func memoryNow(figure string) memoryFigure {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	rss, peak := residentMB()
	return memoryFigure{Figure: figure, RSSMB: rss, PeakRSSMB: peak,
		HeapAllocMB: round(float64(m.HeapAlloc) / (1 << 20)), SysMB: round(float64(m.Sys) / (1 << 20))}
}

// resetPeakRSS gives the memory the Go heap no longer uses back to the
// system and starts the peak resident set size again from the current one
// (Linux; elsewhere the peak stays), so a figure's peak is not the
// generator's.
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// residentMB reads the process's resident and peak resident set sizes from
// /proc (Linux); both are 0 elsewhere.
func residentMB() (rss, peak float64) { return residentOf("self") }

// residentOf reads the resident and peak resident set sizes of the process
// pid ("self" for this one) from /proc (Linux); both are 0 elsewhere.
func residentOf(pid string) (rss, peak float64) {
	raw, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			continue
		}
		if name == "VmRSS" {
			rss = kb / 1024
		} else {
			peak = kb / 1024
		}
	}
	return round(rss), round(peak)
}

// sizeFigure is the space the database takes.
type sizeFigure struct {
	Figure       string  `json:"figure"`
	Engine       string  `json:"engine"`
	Parties      int     `json:"parties"`
	Interactions int     `json:"interactions"`
	Links        int     `json:"links"`
	MB           float64 `json:"mb"`
}

// Run creates a fresh database, imports cfg.Parties generated parties into
// fifty agencies, times cfg.Queries quick searches as an administrator and
// as an agency advisor, generates a history of cfg.Interactions, pushes
// cfg.Events interactions through the HTTP API in JSON batches and again as
// NDJSON, times cfg.Queries first timeline pages of the parties with the
// longest histories, and writes one JSON object per figure to out. The
// database is deleted at the end. With cfg.Desk it measures the desk
// instead (runDesk), with cfg.Cases the board and activity list (runCases).
func Run(ctx context.Context, cfg Config, out io.Writer) (err error) {
	if cfg.Desk {
		return runDesk(ctx, cfg, out)
	}
	if cfg.Cases > 0 {
		return runCases(ctx, cfg, out)
	}
	if cfg.Leads > 0 {
		return runLeads(ctx, cfg, out)
	}
	if cfg.Load {
		return runLoad(ctx, cfg, out)
	}
	if cfg.Search > 0 || cfg.Reuse != "" {
		return runSearch(ctx, cfg, out)
	}
	if cfg.Parties <= 0 {
		cfg.Parties = 100_000
	}
	if cfg.Queries <= 0 {
		cfg.Queries = 2000
	}
	if cfg.Interactions <= 0 {
		cfg.Interactions = 10_000_000
	}
	if cfg.Events <= 0 {
		cfg.Events = 100_000
	}
	d, a, logger, tearDown, err := setUp(ctx, cfg)
	if err != nil {
		return err
	}
	defer tearDown(&err)
	orgs, parties := a.Orgs, a.Parties
	enc := json.NewEncoder(out)

	logger.Info("bench: creating the organisation", "engine", d.Dialect(), "agencies", agencyCount)
	g, admin, advisor, err := organise(ctx, orgs, cfg.Seed)
	if err != nil {
		return err
	}
	logger.Info("bench: importing", "parties", cfg.Parties)
	imp, err := importParties(ctx, d.DB, parties, admin, g, cfg.Parties, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(imp); err != nil {
		return err
	}
	qs := queries(d.Dialect(), g, cfg.Parties, cfg.Queries, cfg.Seed)
	warm := qs[:min(len(qs), 200)]
	if _, err := timeSearches(ctx, d.DB, parties, admin, "warm_up", warm); err != nil {
		return err
	}
	for _, run := range []struct {
		figure string
		actor  *core.Actor
	}{{"quick_search_all_scope", admin}, {"quick_search_agency_scope", advisor}} {
		logger.Info("bench: searching", "figure", run.figure, "queries", len(qs))
		f, err := timeSearches(ctx, d.DB, parties, run.actor, run.figure, qs)
		if err != nil {
			return err
		}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}

	if err := enc.Encode(memoryNow("memory")); err != nil {
		return err
	}
	if err := historyFigures(ctx, a, admin, g, cfg, logger, enc); err != nil {
		return err
	}
	size, err := sizeMB(ctx, d.DB)
	if err != nil {
		return err
	}
	interactions, links, err := countHistory(ctx, d.Reader())
	if err != nil {
		return err
	}
	return enc.Encode(sizeFigure{Figure: "database_size", Engine: string(d.Dialect()), Parties: cfg.Parties,
		Interactions: interactions, Links: links, MB: round(size)})
}

// historyFigures generates the history, times the ingestion through the
// API in both forms and the timeline's first page, and writes their figures.
func historyFigures(ctx context.Context, a *app.App, admin *core.Actor, g *generator, cfg Config, logger *slog.Logger,
	enc *json.Encoder) (err error) {
	d := a.DB
	logger.Info("bench: generating the history", "interactions", cfg.Interactions)
	gen, h, err := generateHistory(ctx, d, admin, cfg.Interactions, cfg.Seed, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(gen); err != nil {
		return err
	}
	resetPeakRSS()
	api, err := startAPI(ctx, a, logger)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, api.close()) }()
	for _, run := range []struct {
		figure string
		ndjson bool
	}{{"ingest_api_json_batches", false}, {"ingest_api_ndjson", true}} {
		logger.Info("bench: pushing interactions through the API", "figure", run.figure, "events", cfg.Events)
		items := apiItems(g, cfg.Parties, cfg.Events, run.figure, cfg.Seed)
		f, err := timeIngestion(ctx, d, api, h.establishment, run.figure, run.ndjson, items, logger)
		if err != nil {
			return err
		}
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	logger.Info("bench: reading timelines", "parties", len(h.heavy), "queries", cfg.Queries)
	f, err := timeTimeline(ctx, d, a.History, admin, h, cfg.Queries, logger)
	if err != nil {
		return err
	}
	if err := enc.Encode(f); err != nil {
		return err
	}
	return enc.Encode(memoryNow("memory_history"))
}

// organise creates the establishment, five regions of ten agencies with an
// advisor each, and an administrator; it returns the generator of parties
// in those agencies and the actors of the administrator and of the first
// agency's advisor.
func organise(ctx context.Context, orgs *org.Store, seed uint64) (*generator, *core.Actor, *core.Actor, error) {
	sys := core.System()
	units := []org.UnitInput{{Code: "BANK", Name: "Banque Bench", Kind: org.KindEstablishment}}
	g := &generator{seed: seed}
	for i, c := range benchCities[:agencyCount] {
		region := fmt.Sprintf("R%d", 1+i/10)
		if i%10 == 0 {
			units = append(units, org.UnitInput{Code: region, Name: "Région " + region[1:], Kind: org.KindRegion, ParentCode: "BANK"})
		}
		code := fmt.Sprintf("A%02d", 1+i)
		units = append(units, org.UnitInput{Code: code, Name: "Agence " + c.city, Kind: org.KindAgency, ParentCode: region})
		g.agencies = append(g.agencies, agency{code: code, advisor: "adv" + code[1:], city: c.city, postcode: c.postcode})
	}
	for _, u := range units {
		if _, err := orgs.CreateUnit(ctx, sys, u); err != nil {
			return nil, nil, nil, fmt.Errorf("create unit %s: %w", u.Code, err)
		}
	}
	for _, a := range g.agencies {
		if _, err := orgs.CreateAgent(ctx, sys, org.AgentInput{Login: a.advisor, Name: "Conseiller " + a.city,
			UnitCode: a.code, Roles: []string{"advisor"}}); err != nil {
			return nil, nil, nil, fmt.Errorf("create advisor %s: %w", a.advisor, err)
		}
	}
	adminAgent, err := orgs.CreateAgent(ctx, sys, org.AgentInput{Login: "admin", Name: "Administrateur",
		UnitCode: "BANK", Roles: []string{org.RoleAdmin}})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("create admin: %w", err)
	}
	admin, err := orgs.Actor(ctx, adminAgent.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	advisorAgent, err := orgs.AgentByLogin(ctx, g.agencies[0].advisor)
	if err != nil {
		return nil, nil, nil, err
	}
	advisor, err := orgs.Actor(ctx, advisorAgent.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	return g, admin, advisor, nil
}

// round keeps three decimals.
func round(x float64) float64 {
	return math.Round(x*1000) / 1000
}
