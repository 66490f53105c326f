package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/rapport-crm/rapport/internal/party"
)

func TestRunPrintsEveryFigureWithPositiveNumbers(t *testing.T) {
	var out bytes.Buffer
	if err := Run(context.Background(), Config{Parties: 2000, Queries: 50, Seed: 7}, &out); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("\n%s", out.String())
	want := map[string]bool{"import_parties": true, "quick_search_all_scope": true, "quick_search_agency_scope": true,
		"memory": true, "database_size": true}
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
		for k, v := range line {
			if n, ok := v.(float64); ok && n <= 0 && k != "avg_results" {
				t.Errorf("%s: %s = %v, want a positive number", name, k, n)
			}
		}
	}
	if len(want) > 0 {
		t.Fatalf("figures missing: %v", want)
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
