package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"
)

func TestLoadServesEveryKindWithoutErrors(t *testing.T) {
	var out bytes.Buffer
	cfg := Config{Load: true, Parties: 2000, Interactions: 6000, Clients: 4, LoadDuration: 3 * time.Second, Seed: 3}
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("\n%s", out.String())
	seen := map[string]bool{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var f struct {
			Figure   string `json:"figure"`
			Requests int    `json:"requests"`
			Errors   int    `json:"errors"`
		}
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		seen[f.Figure] = true
		if len(f.Figure) > 5 && f.Figure[:5] == "load_" {
			if f.Requests == 0 || f.Errors != 0 {
				t.Errorf("%s: %d requests, %d errors", f.Figure, f.Requests, f.Errors)
			}
		}
	}
	for _, want := range []string{"import_parties", "generate_history", "load_quick_search", "load_party_360",
		"load_timeline", "load_ingest_batch", "load_all", "memory_load"} {
		if !seen[want] {
			t.Errorf("figure %s missing", want)
		}
	}
}
