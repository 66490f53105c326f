package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

func TestRunCasesPrintsEveryBoardAndActivityFigureWithPositiveNumbers(t *testing.T) {
	var out bytes.Buffer
	cfg := Config{Cases: 20000, Tasks: 60000, Requests: 5000, Queries: 20, Seed: 5}
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("\n%s", out.String())
	want := map[string]bool{"generate_desk": true, "generate_cases": true, "kanban_cases_agency": true,
		"kanban_cases_bank": true, "kanban_requests_agency": true, "kanban_requests_bank": true,
		"activity_list_advisor": true, "memory_cases": true}
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
			if n, ok := v.(float64); ok && n <= 0 {
				t.Errorf("%s: %s = %v, want a positive number", name, k, n)
			}
		}
	}
	if len(want) > 0 {
		t.Fatalf("figures missing: %v", want)
	}
	if got := lines["generate_cases"]["tasks"]; got != 60000.0 {
		t.Errorf("generated %v tasks, want 60000", got)
	}
	// The bank's board of claims: five columns of twenty cards.
	if got := lines["kanban_cases_bank"]["cards"]; got != 100.0 {
		t.Errorf("the bank's case board shows %v cards, want 100", got)
	}
}
