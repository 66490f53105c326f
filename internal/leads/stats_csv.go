package leads

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// CSV writes the report's rows and totals as CSV, the same numbers as the
// JSON: one line per row, then the totals (key "total"), with a column
// pair (count, percentage) per interval named after it ("0-1h", "0-1h_pct").
func (r ResponseReport) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"key", "label", "leads", "answered", "average_response_minutes", "within_24h", "within_24h_pct"}
	for _, iv := range r.Criteria.Intervals {
		head = append(head, iv.String()+"h", iv.String()+"h_pct")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := func(key, label string, row ResponseRow) error {
		avg := ""
		if row.AverageResponseMinutes != nil {
			avg = num(*row.AverageResponseMinutes)
		}
		rec := []string{key, label, strconv.FormatInt(row.Leads, 10), strconv.FormatInt(row.Answered, 10), avg,
			strconv.FormatInt(row.Within24h, 10), num(row.Within24hPct)}
		for _, iv := range row.Intervals {
			rec = append(rec, strconv.FormatInt(iv.Count, 10), num(iv.Pct))
		}
		return cw.Write(rec)
	}
	for _, row := range r.Rows {
		if err := line(cell(row.Key), cell(row.Label), row); err != nil {
			return err
		}
	}
	if err := line("total", "", r.Totals); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// cell keeps a text a spreadsheet would read as a formula (=, +, -, @)
// a text, with a leading apostrophe.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
