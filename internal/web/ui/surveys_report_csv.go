package ui

import (
	"bytes"
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
)

// surveysReportCSV sends the results of the page's criteria (days in the
// agent's time zone, as the page counts them) as the API's CSV: one line
// per group and the total, empty cells under the answer floor.
func (s *server) surveysReportCSV(w http.ResponseWriter, r *http.Request) {
	p := surveysReportPage{page: s.newPage(r, "survey.report.title")}
	c, fields := s.surveyCriteria(r, &p)
	if fields != nil {
		s.fail(w, r, fields.Err())
		return
	}
	st, err := s.Surveys.Stats(r.Context(), core.ActorFrom(r.Context()), c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := st.CSV(&b); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="surveys-`+p.From+`-`+p.To+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}
