package ui

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/board"
	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// The board (/board) shows cases (one classification's process) or
// requests as columns of cards. A card moves by drag and drop or by the
// keyboard (board.js posts the move and announces it), and without
// JavaScript by its own small form; a refused move says why.

// boardFilters are the board's filters as the GET form sends them.
type boardFilters struct {
	Kind, Unit, Assignee, Classification, Channel string
}

// URL is the board's address with the filters and the kind given (a whole
// URL: see deskFilters.URL).
func (f boardFilters) URL(kind string) template.URL {
	v := url.Values{}
	for k, x := range map[string]string{"kind": kind, "unit": f.Unit, "assignee": f.Assignee,
		"classification": f.Classification, "channel": f.Channel} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return template.URL("/board?" + v.Encode())
}

// boardPage is a board with its filters.
type boardPage struct {
	page
	Filters         boardFilters
	Board           board.Board
	Kinds           []string
	Units           []org.Unit
	Classifications []cases.Classification
	Back            string // the board as shown, where a move comes back to
}

// Channels are the requests' channels, for the filter.
func (boardPage) Channels() []string { return desk.Channels }

// Count writes a column's count: "1 000+" when capped.
func (p boardPage) Count(c board.Column) string {
	if !c.More {
		return strconv.Itoa(c.Count)
	}
	if p.Lang == "en" {
		return "1,000+"
	}
	return "1\u202f000+"
}

// Initials are the initials of an agent's name.
func (boardPage) Initials(name string) string {
	out := ""
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			out += strings.ToUpper(string(r))
			break
		}
		if len([]rune(out)) == 2 {
			break
		}
	}
	return out
}

// CardURL is the page of a card.
func (p boardPage) CardURL(id string) string {
	if p.Board.Kind == board.KindRequests {
		return "/desk/requests/" + id
	}
	return "/cases/" + id
}

// MoreURL is the list of a column's cards, filtered as the board.
func (p boardPage) MoreURL(status string) string {
	v := url.Values{"status": {status}}
	if p.Filters.Unit != "" {
		v.Set("unit", p.Filters.Unit)
	}
	if p.Filters.Assignee != "" {
		v.Set("assignee", p.Filters.Assignee)
	}
	if p.Board.Kind == board.KindRequests {
		if p.Filters.Channel != "" {
			v.Set("channel", p.Filters.Channel)
		}
		v.Set("view", "all")
		return "/desk?" + v.Encode()
	}
	if p.Board.Classification != "" {
		v.Set("classification", p.Board.Classification)
	}
	return "/cases?" + v.Encode()
}

// boardView shows the board the query asks for (cases by default).
func (s *server) boardView(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	q := r.URL.Query()
	f := boardFilters{Kind: q.Get("kind"), Unit: q.Get("unit"), Assignee: strings.TrimSpace(q.Get("assignee")),
		Classification: q.Get("classification"), Channel: q.Get("channel")}
	if f.Kind != board.KindRequests {
		f.Kind = board.KindCases
	}
	p := boardPage{page: s.newPage(r, "board.title"), Filters: f, Kinds: board.Kinds}
	p.Current = "board"
	p.Back = string(f.URL(f.Kind))
	var err error
	if p.Units, err = s.scopeUnits(r); err != nil {
		s.fail(w, r, err)
		return
	}
	bf := board.Filter{Kind: f.Kind, Classification: f.Classification, Channel: f.Channel, Lang: p.Lang}
	if f.Unit != "" {
		known := false
		for _, u := range p.Units {
			known = known || u.ID == f.Unit
		}
		bf.UnitID = f.Unit
		if !known {
			p.Fields = core.Fields{"unit": core.Because("outside_scope")}
			bf.UnitID = core.NewID() // a unit nobody is in: no card, rather than every one
		}
	}
	if f.Assignee != "" {
		a, err := s.Orgs.AgentByLogin(r.Context(), f.Assignee)
		if err != nil {
			p.Fields = core.Fields{"assignee": core.Because("unknown_agent")}
			bf.AssigneeID = core.NewID() // an agent nobody is: no card, rather than every one
		} else {
			bf.AssigneeID = a.ID
		}
	}
	if f.Kind == board.KindCases {
		if p.Classifications, err = s.ownClassifications(r, p.Units); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p.Board, err = s.boards().Board(r.Context(), actor, bf)
	if core.ErrorCode(err) == core.Invalid {
		p.Fields, p.Error = fieldsOf(err), p.formMessage(err)
		p.Board = board.Board{Kind: f.Kind}
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "board", "", p)
}

// ownClassifications are the classifications of the agent's
// establishment, for the board's filter.
func (s *server) ownClassifications(r *http.Request, units []org.Unit) ([]cases.Classification, error) {
	actor := core.ActorFrom(r.Context())
	root := ""
	all, err := s.Orgs.ListUnits(r.Context())
	if err != nil {
		return nil, err
	}
	for _, u := range all {
		if u.ID == actor.UnitID {
			if parts := strings.Split(strings.Trim(u.Path, "/"), "/"); len(parts) > 0 {
				root = parts[0]
			}
		}
	}
	if root == "" {
		return nil, nil
	}
	list, err := s.Cases.Classifications(r.Context(), actor, root)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, c := range list {
		if c.Active {
			out = append(out, c)
		}
	}
	return out, nil
}

// boards is the board over the cases and the desk.
func (s *server) boards() *board.Store { return board.New(s.Cases, s.Desk) }

// boardBack is where a move form goes back to: the board it came from.
func boardBack(r *http.Request) string {
	back := r.FormValue("back")
	if strings.HasPrefix(back, "/board") && !strings.ContainsAny(back, "\\\r\n") {
		return back
	}
	return "/board"
}

// boardMove moves a card. board.js asks for JSON (the message to
// announce); the form without JavaScript goes back to the board with it.
func (s *server) boardMove(w http.ResponseWriter, r *http.Request) {
	kind, id, to := r.FormValue("kind"), r.FormValue("id"), r.FormValue("to")
	err := s.boards().Move(r.Context(), core.ActorFrom(r.Context()), kind, id, to)
	p := s.newPage(r, "board.title")
	msg := p.T("board.moved")
	switch core.ErrorCode(err) {
	case "":
	case core.Invalid, core.Conflict, core.NotFound, core.Forbidden:
		msg = p.T("board.refused") + " " + reasonsText(p, fieldsOf(err))
		if len(fieldsOf(err)) == 0 {
			msg = p.T("board.refused") + " " + core.ErrorMessage(err)
		}
	default:
		if r.Header.Get("X-Board") == "" {
			s.fail(w, r, err)
			return
		}
	}
	if r.Header.Get("X-Board") != "" {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		status := http.StatusOK
		out := map[string]string{"message": msg}
		if err != nil {
			status = httpx.Status(httpx.Code(err))
			out["error"] = msg
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(out)
		return
	}
	s.redirect(w, r, boardBack(r), strings.TrimSpace(msg))
}
