package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/rapport-crm/rapport/internal/party"
)

func TestSearchBenchPrintsEachFigureBesideTheBareOneWithoutErrors(t *testing.T) {
	var out bytes.Buffer
	cfg := Config{Search: 3000, Queries: 40, Seed: 7}
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("\n%s", out.String())
	want := map[string][]string{"generate_parties": {"rows_per_second"},
		"quick_search_all_scope": {"p99_ms", "bare_p99_ms"}, "quick_search_agency_scope": {"p99_ms", "bare_p99_ms"},
		"quick_search_concurrent": {"requests_per_second", "bare_per_second", "p99_ms", "bare_p99_ms"}, "memory": {"rss_mb"}}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		name, _ := line["figure"].(string)
		keys, ok := want[name]
		if !ok {
			t.Fatalf("unexpected or repeated figure %q", name)
		}
		delete(want, name)
		for _, k := range keys {
			if n, _ := line[k].(float64); n <= 0 {
				t.Errorf("%s: %s = %v, want a positive number", name, k, line[k])
			}
		}
		if name == "quick_search_concurrent" && (line["errors"] != 0.0 || line["requests"] != 200.0) {
			t.Errorf("concurrent figure: %v errors in %v requests, want 0 in 200", line["errors"], line["requests"])
		}
		if name == "quick_search_all_scope" && line["avg_results"].(float64) < 1 {
			t.Errorf("the searches found %v parties on average: the generated parties are not searchable", line["avg_results"])
		}
	}
	if len(want) > 0 {
		t.Fatalf("figures missing: %v", want)
	}
}

// The generator's parties are found by the quick search exactly as
// imported ones: their names, phones, emails and client numbers.
func TestGeneratedPartiesAreFoundByWhatTheyHold(t *testing.T) {
	ctx := context.Background()
	d, a, _, tearDown, err := setUp(ctx, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := func() (err error) { tearDown(&err); return }(); err != nil {
			t.Error(err)
		}
	}()
	g, admin, _, err := organise(ctx, a.Orgs, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := generateParties(ctx, d.DB, g, 500, a.Logger); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 17, 499} {
		w := g.row(i)
		for _, q := range []string{w.phone, w.email, w.clientNumber, w.first + " " + w.last + " " + w.name} {
			found, err := a.Parties.QuickSearch(ctx, admin, q, 50)
			if err != nil {
				t.Fatal(err)
			}
			if !containsClient(found, w.clientNumber) {
				t.Errorf("row %d: QuickSearch(%q) = %d parties, none with client number %s", i, q, len(found), w.clientNumber)
			}
		}
	}
}

// containsClient reports whether ms holds the party with client number n.
func containsClient(ms []party.Summary, n string) bool {
	for _, m := range ms {
		if m.ClientNumber == n {
			return true
		}
	}
	return false
}
