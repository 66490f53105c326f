package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

func TestRunDeskPrintsEveryDeskFigureWithPositiveNumbers(t *testing.T) {
	var out bytes.Buffer
	cfg := Config{Desk: true, Requests: 20000, Messages: 40000, Queries: 30, Intake: 150, Seed: 3}
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("\n%s", out.String())
	want := map[string]bool{"generate_desk": true, "desk_open_list_agency": true, "desk_open_list_bank": true,
		"desk_request_page": true, "mail_parse": true, "imap_fetch": true, "desk_intake": true, "memory_desk": true}
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
	if got := lines["generate_desk"]["requests"]; got != 20000.0 {
		t.Errorf("generated %v requests, want 20000", got)
	}
	if got := lines["generate_desk"]["messages"]; got != 40000.0 {
		t.Errorf("generated %v messages, want 40000", got)
	}
	if got, open := lines["desk_open_list_bank"]["items"], lines["desk_open_list_bank"]["open_in_scope"].(float64); got != min(50, open) {
		t.Errorf("the bank's first page has %v requests, want 50 of the %v open", got, open)
	}
	if got := lines["desk_intake"]["requests"]; got != 150.0 {
		t.Errorf("the intake opened %v requests, want 150", got)
	}
}
