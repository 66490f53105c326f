package history

import (
	"testing"
	"time"
)

func TestChooseTheExchangeAReportDescribes(t *testing.T) {
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	call := func(id string, h, m, minutes int) candidate {
		return candidate{id: id, at: at(h, m), end: at(h, m).Add(time.Duration(minutes) * time.Minute)}
	}
	morning, noon, evening := call("morning", 9, 0, 10), call("noon", 12, 0, 5), call("evening", 17, 0, 3)
	cases := []struct {
		name    string
		cands   []candidate
		written time.Time
		want    string
	}{
		{"nothing matches: the report is an orphan", nil, at(18, 0), ""},
		{"one call that day: the report goes to it", []candidate{morning}, at(18, 0), "morning"},
		{"several calls that day: the report goes to the last one", []candidate{noon, morning, evening}, at(18, 30), "evening"},
		{"written just after a particular call: it goes to that one", []candidate{morning, noon, evening}, at(9, 20), "morning"},
		{"written 15 minutes after the call ended: still that one", []candidate{morning, noon, evening}, at(12, 20), "noon"},
		{"written 16 minutes after: the last call of the day", []candidate{morning, noon, evening}, at(12, 21), "evening"},
		{"written during the call: that one", []candidate{morning, noon, evening}, at(9, 5), "morning"},
		{"a call days before and none since: that call", []candidate{{id: "monday", at: day.AddDate(0, 0, -4), end: day.AddDate(0, 0, -4)}}, at(10, 0), "monday"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := choose(c.cands, c.written, 15*time.Minute); got != c.want {
				t.Errorf("choose = %q, want %q", got, c.want)
			}
		})
	}
}
