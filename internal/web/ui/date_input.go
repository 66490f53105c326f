package ui

import (
	"strings"
	"time"
)

// Date fields are text fields written the UI language's way (20/11/2026
// in French, 2026-11-20 in English) rather than the browser's date input,
// which follows the browser's locale whatever the page's language. Both
// forms are read in either language; the domain gets YYYY-MM-DD.

// isoDate reads a typed date (DD/MM/YYYY, D/M/YYYY or YYYY-MM-DD) as
// YYYY-MM-DD; anything else is returned trimmed, for the domain's check
// to refuse with its reason.
func isoDate(typed string) string {
	s := strings.TrimSpace(typed)
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "02.01.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return s
}

// DateInput writes a YYYY-MM-DD date for a date field of the page's
// language; anything else (a refused input shown again) as it is.
func (p page) DateInput(iso string) string {
	t, err := time.Parse("2006-01-02", iso)
	if err != nil || p.Lang == "en" {
		return iso
	}
	return t.Format("02/01/2006")
}

// DatePlaceholder is the format a date field expects, in the page's language.
func (p page) DatePlaceholder() string {
	return p.T("date.placeholder")
}
