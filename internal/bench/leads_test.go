package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

func TestRunLeadsPrintsTheReportFiguresBesideTheBareQuery(t *testing.T) {
	var out bytes.Buffer
	cfg := Config{Leads: 20000, Queries: 5, Seed: 7}
	if err := Run(context.Background(), cfg, &out); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("\n%s", out.String())
	want := map[string]bool{"generate_leads": true, "lead_report_year_by_agent": true, "lead_report_year_by_source": true,
		"memory_leads": true}
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
	// A year's report counts every lead generated over the year (a lead
	// received in the first hours of the day a year ago may fall before it).
	if got := lines["lead_report_year_by_agent"]["counted"].(float64); got < 19900 || got > 20000 {
		t.Errorf("the year's report counted %v leads of 20000", got)
	}
	if got := lines["lead_report_year_by_source"]["rows"]; got != 8.0 {
		t.Errorf("%v rows by source, want the 8 sources", got)
	}
}
