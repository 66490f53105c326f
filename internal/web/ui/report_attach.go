package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
)

// reportsWork lets through the agents who fix orphan reports: their
// authors (report.write) and their reviewers (report.review).
func (s *server) reportsWork(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		actor := core.ActorFrom(r.Context())
		if !actor.Can(core.PermReportWrite) && !actor.Can(core.PermReportReview) {
			s.fail(w, r, core.Errorf(core.Forbidden, "permission %q or %q required", core.PermReportWrite, core.PermReportReview))
			return
		}
		h(w, r)
	}
}

// reportChange is a field of a report that attaching it would change.
type reportChange struct{ Field, Old, New string }

// reportAttachPage asks the agent to confirm attaching a report to an
// exchange, naming the exchange and what the report would then say.
type reportAttachPage struct {
	page
	Report   history.Report
	Exchange history.Suggestion
	Changes  []reportChange
}

// reportAttachForm shows what attaching an orphan report to one of its
// suggestions would change, and asks (GET /reports/{id}/attach?interaction=).
func (s *server) reportAttachForm(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	rep, err := s.History.Report(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	iid := r.URL.Query().Get("interaction")
	i := slices.IndexFunc(rep.Suggestions, func(sg history.Suggestion) bool { return sg.InteractionID == iid })
	if i < 0 {
		s.fail(w, r, core.Errorf(core.NotFound, "exchange %s is not one this report may describe", iid))
		return
	}
	p := reportAttachPage{page: s.newPage(r, "attach.title"), Report: rep, Exchange: rep.Suggestions[i]}
	p.Current = "orphans"
	if rep.Medium != p.Exchange.Channel {
		p.Changes = append(p.Changes, reportChange{p.T("attach.medium"), p.T("medium." + rep.Medium), p.T("medium." + p.Exchange.Channel)})
	}
	if rep.Initiative != p.Exchange.Direction {
		p.Changes = append(p.Changes, reportChange{p.T("attach.initiative"), p.T("report." + rep.Initiative),
			p.T("report." + p.Exchange.Direction)})
	}
	s.render(w, r, http.StatusOK, "report_attach", "", p)
}

// reportAttach attaches the report once the agent confirmed (POST
// /reports/{id}/attach), and says to which exchange.
func (s *server) reportAttach(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	version, _ := strconv.Atoi(r.FormValue("version"))
	rep, err := s.History.AttachReport(r.Context(), actor, r.PathValue("id"), r.FormValue("interaction"), version)
	p := s.newPage(r, "orphans.title")
	switch code := core.ErrorCode(err); {
	case code == core.Conflict || code == core.NotFound:
		s.redirect(w, r, "/reports/orphans", p.formMessage(err))
	case err != nil:
		s.fail(w, r, err)
	default:
		s.redirect(w, r, "/reports/orphans", p.T("attach.done", "Of", ofName(p.Lang, rep.PartyName),
			"Exchange", p.T("tl."+rep.Medium+"."+rep.Initiative)))
	}
}

// ofName is "of name" in lang: French elides "de" before a vowel or a
// mute h (d’Hélène, de Julien); English needs no article.
func ofName(lang, name string) string {
	if lang == "en" {
		return name
	}
	first, _ := firstRune(name)
	if strings.ContainsRune("aeiouyhAEIOUYHàâäéèêëîïôöùûüÀÂÄÉÈÊËÎÏÔÖÙÛÜœŒæÆ", first) {
		return "d’" + name
	}
	return "de " + name
}

// firstRune returns the first letter of s.
func firstRune(s string) (rune, bool) {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return r, true
		}
	}
	return 0, false
}
