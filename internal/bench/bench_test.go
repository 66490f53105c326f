package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

func TestRunPrintsEveryFigureWithPositiveNumbers(t *testing.T) {
	var out bytes.Buffer
	cfg := Config{Parties: 2000, Queries: 50, Interactions: 6000, Events: 1500, Seed: 7}
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("\n%s", out.String())
	want := map[string]bool{"import_parties": true, "quick_search_all_scope": true, "quick_search_agency_scope": true,
		"generate_history": true, "ingest_api_json_batches": true, "ingest_api_ndjson": true, "timeline_first_page": true,
		"memory": true, "memory_history": true, "database_size": true}
	lines := map[string]map[string]any{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		name, _ := line["figure"].(string)
		if !want[name] {
			t.Fatalf("unexpected or repeated figure %q", name)
		}
		delete(want, name)
		lines[name] = line
		for k, v := range line {
			if n, ok := v.(float64); ok && n <= 0 && k != "avg_results" {
				t.Errorf("%s: %s = %v, want a positive number", name, k, n)
			}
		}
	}
	if len(want) > 0 {
		t.Fatalf("figures missing: %v", want)
	}
	// A party is several rows: its coordinates and its name index entries.
	if got := lines["import_parties"]["table_rows"]; got.(float64) < float64(3*cfg.Parties) {
		t.Errorf("the import left %v rows in the party tables for %d parties, want at least three each", got, cfg.Parties)
	}
	if got := lines["generate_history"]["interactions"]; got != float64(cfg.Interactions) {
		t.Errorf("generated %v interactions, want %d", got, cfg.Interactions)
	}
	for _, name := range []string{"ingest_api_json_batches", "ingest_api_ndjson"} {
		if got := lines[name]["events"]; got != float64(cfg.Events) {
			t.Errorf("%s: %v events stored, want %d", name, got, cfg.Events)
		}
	}
	if got := lines["ingest_api_json_batches"]["requests"]; got != 2.0 {
		t.Errorf("1,500 events went in %v JSON requests, want 2 (batches of 1,000)", got)
	}
	if got := lines["timeline_first_page"]["items"]; got != 50.0 {
		t.Errorf("a first timeline page has %v lines, want 50", got)
	}
	// The history generated, then 3,000 events pushed through the API and
	// 3,000 more inserted bare.
	if got := lines["database_size"]["interactions"]; got != float64(cfg.Interactions+4*cfg.Events) {
		t.Errorf("the database holds %v interactions, want %d", got, cfg.Interactions+4*cfg.Events)
	}
}

func TestGeneratedRowsAreValidAndRepeatable(t *testing.T) {
	g := &generator{seed: 3, agencies: []agency{{code: "A01", advisor: "adv01", city: "Paris", postcode: "75011"}}}
	for i := range 500 {
		a, b := g.row(i), g.row(i)
		if a.email != b.email || a.phone != b.phone || a.last != b.last {
			t.Fatalf("row %d differs between two calls", i)
		}
		if _, err := party.NormalizePhone(a.phone); err != nil {
			t.Fatalf("row %d: phone %q is invalid", i, a.phone)
		}
		if len(a.rec) != len(columns) {
			t.Fatalf("row %d has %d fields, want %d", i, len(a.rec), len(columns))
		}
	}
}

func TestGeneratedHistoryHoldsTogetherAndForeignKeysAreEnforcedAfter(t *testing.T) {
	ctx := context.Background()
	d, err := openFresh(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.drop()
	clock := core.SystemClock{}
	log := audit.New(d.DB, clock)
	orgs, parties := org.NewStore(d.DB, clock, log), party.NewStore(d.DB, clock, log)
	g, admin, _, err := organise(ctx, orgs, 5)
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.DiscardHandler)
	if _, err := importParties(ctx, d.DB, parties, admin, g, 100, quiet); err != nil {
		t.Fatal(err)
	}
	f, h, err := generateHistory(ctx, d.DB, admin, 3000, 5, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if f.Interactions != 3000 || len(h.heavy) != heavyParties || h.perHeavy != 75 {
		t.Fatalf("generated %+v with %d heavy parties of %d interactions", f, len(h.heavy), h.perHeavy)
	}
	rows, err := d.Writer().QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		t.Error("a generated row references a row that does not exist")
	}
	rows.Close()
	_, err = d.Exec(ctx, "INSERT INTO interaction_parties (party_id, occurred_at, interaction_id, role) VALUES ('nobody', 1, 'nothing', 'from')")
	if !db.IsForeignKeyViolation(err) {
		t.Fatalf("a timeline row of no party went in after the load: %v", err)
	}
}
