package ui

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/surveys"
)

// surveysReportCSV sends the results of the page's criteria as CSV, one
// line per group and the total; empty cells under the answer floor.
func (s *server) surveysReportCSV(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	p := surveysReportPage{page: s.newPage(r, "survey.report.title")}
	c, fields := s.surveyCriteria(r, &p)
	if fields != nil {
		s.fail(w, r, fields.Err())
		return
	}
	st, err := s.Surveys.Stats(r.Context(), actor, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="surveys-`+p.From+`-`+p.To+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	head := []string{"group", "key", "label", "sent", "skipped", "skipped_recent", "answered", "response_rate",
		"average_score", "nps", "scale"}
	for i := 0; i <= 10; i++ {
		head = append(head, "score_"+strconv.Itoa(i))
	}
	_ = cw.Write(head)
	line := func(key, label string, row surveys.StatsRow) {
		rec := []string{st.GroupBy, key, label, strconv.Itoa(row.Sent), strconv.Itoa(row.Skipped),
			strconv.Itoa(row.SkippedRecent), strconv.Itoa(row.Answered), csvFloat(row.ResponseRate),
			csvFloat(row.AverageScore), csvFloat(row.NPS), row.Scale}
		for i := 0; i <= 10; i++ {
			if row.Distribution == nil {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, strconv.Itoa(row.Distribution[strconv.Itoa(i)]))
		}
		_ = cw.Write(csvSafe(rec))
	}
	for _, row := range st.Rows {
		line(row.Key, row.Label, row)
	}
	line("total", "", st.Total)
	cw.Flush()
}

// csvFloat writes an optional figure with a point, empty when nil.
func csvFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 4, 64)
}

// csvSafe keeps spreadsheet programs from reading a cell as a formula.
func csvSafe(rec []string) []string {
	for i, v := range rec {
		if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				rec[i] = "'" + v
			}
		}
	}
	return rec
}
