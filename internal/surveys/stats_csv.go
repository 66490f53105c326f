package surveys

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
)

// CSV writes the results' rows and total as CSV, the same numbers as the
// JSON: one line per group, then the total (key "total"); the figures
// under the floor are empty cells, the distribution one column per score.
func (st Stats) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	scores := st.scores()
	head := []string{"key", "label", "sent", "skipped", "skipped_recent", "answered", "response_rate", "average_score",
		"nps", "scale"}
	for _, s := range scores {
		head = append(head, "score_"+s)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := func(key, label string, r StatsRow) error {
		rec := []string{key, label, strconv.Itoa(r.Sent), strconv.Itoa(r.Skipped), strconv.Itoa(r.SkippedRecent),
			strconv.Itoa(r.Answered), num(r.ResponseRate), num(r.AverageScore), num(r.NPS), r.Scale}
		for _, s := range scores {
			v := ""
			if r.Distribution != nil {
				v = strconv.Itoa(r.Distribution[s])
			}
			rec = append(rec, v)
		}
		return cw.Write(rec)
	}
	for _, r := range st.Rows {
		if err := line(cell(r.Key), cell(r.Label), r); err != nil {
			return err
		}
	}
	if err := line("total", "", st.Total); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// scores lists every score of the distributions, in numeric order.
func (st Stats) scores() []string {
	seen := map[int]bool{}
	for _, r := range append(slices.Clone(st.Rows), st.Total) {
		for k := range r.Distribution {
			if n, err := strconv.Atoi(k); err == nil {
				seen[n] = true
			}
		}
	}
	var out []string
	for n := 0; n <= 10; n++ {
		if seen[n] {
			out = append(out, strconv.Itoa(n))
		}
	}
	return out
}

// cell keeps a text a spreadsheet would read as a formula (=, +, -, @)
// a text, with a leading apostrophe.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// num writes an optional figure; nil is an empty cell.
func num(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
