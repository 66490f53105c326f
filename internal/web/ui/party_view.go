package ui

import (
	"net/http"
	"time"

	"github.com/rapport-crm/rapport/internal/desk"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/party"
)

type partyPage struct {
	page
	Party     party.Party
	Contracts []party.Contract
	Relations []party.Relation
	Changes   []partyChange
	Timeline  *history.Page   // nil for agents who may not read histories
	Filters   timelineFilters // of the timeline, from the page's query
	Report    *reportForm     // nil for agents who may not write reports
	Older     string          // the cursor the timeline starts at: a page of older lines
	Requests  *desk.Page      // the party's desk requests, any channel; nil for agents who may not read them
	Cases     *partyCases     // the party's cases; nil for agents who may not manage cases
	Surveys   *partySurveys   // the satisfaction smiley and the party's surveys; nil without the surveys store
	Now       time.Time
}

// partyView is the 360° page: identity, coordinates, consents, agency and
// advisor, contracts, related parties and the interaction timeline. Opening
// it is a consultation, written to the audit log.
func (s *server) partyView(w http.ResponseWriter, r *http.Request) {
	s.recordVisit(r) // the dashboard's recent customers
	s.showParty(w, r, http.StatusOK, func(*partyPage) {})
}

// showParty renders the 360° page with status, after edit has adjusted its
// data (a refused report form shown again with its input and reasons).
func (s *server) showParty(w http.ResponseWriter, r *http.Request, status int, edit func(*partyPage)) {
	actor := core.ActorFrom(r.Context())
	id := r.PathValue("id")
	pt, err := s.Parties.View(r.Context(), actor, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	contracts, err := s.Parties.Contracts(r.Context(), actor, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rels, err := s.Parties.Relations(r.Context(), actor, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	changes, err := s.Parties.Changes(r.Context(), actor, id, changesShown)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := partyPage{page: s.newPage(r, "party.title"), Party: pt, Contracts: contracts, Relations: rels,
		Changes: changesOf(changes)}
	p.Title = pt.DisplayName
	if actor.Can(core.PermHistoryRead) && s.History != nil {
		p.Filters = filtersOf(r.URL.Query())
		p.Older = r.URL.Query().Get("cursor") // a page of older lines, opened without JavaScript
		tl, err := s.History.Timeline(r.Context(), actor, id, p.Filters.filter(p.Older, p.loc))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Timeline = &tl
	}
	if actor.Can(core.PermReportWrite) && s.History != nil {
		p.Report = s.newReportForm(p.page)
	}
	if actor.Can(core.PermRequestRead) && s.Desk != nil {
		reqs, err := s.Desk.List(r.Context(), actor, desk.Filter{View: desk.ViewAll, PartyID: id, Limit: 10})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Requests, p.Now = &reqs, s.Clock.Now()
	}
	p.Here = contactContext{PartyID: id}
	if actor.Can(core.PermCaseManage) && s.Cases != nil {
		if p.Cases, err = s.partyCases(r, id, p.Lang); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if s.Surveys != nil {
		if p.Surveys, err = s.partySurveys(r, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	edit(&p)
	s.render(w, r, status, "party", "", p)
}

// partyConvert turns a prospect into a client.
func (s *server) partyConvert(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	pt, err := s.Parties.ConvertToClient(r.Context(), core.ActorFrom(r.Context()), id, r.FormValue("client_number"))
	if err != nil {
		if core.ErrorCode(err) == core.Invalid || core.ErrorCode(err) == core.Conflict {
			s.redirect(w, r, "/parties/"+id, core.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "party.title")
	s.redirect(w, r, "/parties/"+id, p.T("party.converted", "Number", pt.ClientNumber))
}

// partyAddRelation links another party found by client number.
func (s *server) partyAddRelation(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	id := r.PathValue("id")
	related := r.FormValue("related_id")
	if related == "" && r.FormValue("related_client_number") != "" {
		res, err := s.Parties.QuickSearch(r.Context(), actor, r.FormValue("related_client_number"), 2)
		if err == nil && len(res) == 1 {
			related = res[0].ID
		}
	}
	p := s.newPage(r, "party.title")
	if related == "" {
		s.redirect(w, r, "/parties/"+id, p.T("party.relation_not_found"))
		return
	}
	if err := s.Parties.AddRelation(r.Context(), actor, id, r.FormValue("kind"), related); err != nil {
		if code := core.ErrorCode(err); code == core.Invalid || code == core.NotFound || code == core.Conflict {
			s.redirect(w, r, "/parties/"+id, core.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/parties/"+id, p.T("party.relation_added"))
}
