package ui

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// interactionPage is the detail of an interaction seen from a party's
// 360° page: a panel beside the timeline, or a page of its own without
// JavaScript. It is read only: nothing is forwarded or edited from it.
type interactionPage struct {
	page
	PartyID string
	D       history.Detail
	// Body is the body as history.Store returns it, sanitized on reading
	// (renderBody): only then may it be marked as HTML to insert.
	Body template.HTML
}

// interactionView shows an interaction of party id; the reading is audited
// by the store. An interaction the agent may not read, or one not in this
// party's history, is not found.
func (s *server) interactionView(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	partyID := r.PathValue("id")
	d, err := s.History.Interaction(r.Context(), actor, r.PathValue("iid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(d.Participants, func(p history.Participant) bool { return p.PartyID == partyID }) {
		s.fail(w, r, core.Errorf(core.NotFound, "interaction %s not found", d.ID))
		return
	}
	p := interactionPage{page: s.newPage(r, "ix.title"), PartyID: partyID, D: d, Body: template.HTML(d.Body)}
	if r.Header.Get("HX-Request") == "true" {
		s.render(w, r, http.StatusOK, "interaction", "interaction_panel", p)
		return
	}
	s.render(w, r, http.StatusOK, "interaction", "", p)
}

// interactionFile sends a file of an interaction as a download; the store
// checks the agent may read the interaction and audits the download. A file
// retention removed answers 410 with a page saying so.
func (s *server) interactionFile(w http.ResponseWriter, r *http.Request) {
	f, err := s.History.AttachmentFile(r.Context(), core.ActorFrom(r.Context()), r.PathValue("iid"), r.PathValue("fid"))
	if core.ErrorCode(err) == core.Gone {
		p := s.newPage(r, "ix.file_gone_title")
		p.Error = p.T("ix.file_gone")
		s.render(w, r, http.StatusGone, "error", "", p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteDownload(w, f.Name, f.ContentType, f.Content)
}

// SourceLabel names a source in the page's language; a source an
// administrator added is shown by its code.
func (p page) SourceLabel(code string) string {
	id := "tlf.source." + code
	if l := p.T(id); l != id {
		return l
	}
	return code
}

// Duration writes a call's duration as "1 min 05 s".
func (p interactionPage) Duration() string {
	if p.D.DurationSeconds == nil {
		return ""
	}
	n := *p.D.DurationSeconds
	switch {
	case n < 60:
		return fmt.Sprintf("%d s", n)
	case n < 3600:
		return fmt.Sprintf("%d min %02d s", n/60, n%60)
	}
	return fmt.Sprintf("%d h %02d min", n/3600, n%3600/60)
}

// Size writes a file size in bytes, kilobytes or megabytes of the page's
// language (octets, Ko, Mo in French).
func (p interactionPage) Size(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " " + p.T("ix.bytes")
	case n < 1<<20:
		return strconv.FormatInt((n+512)/1024, 10) + " " + p.T("ix.kb")
	}
	mb := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
	if p.Lang == "fr" {
		mb = strings.Replace(mb, ".", ",", 1)
	}
	return mb + " " + p.T("ix.mb")
}
