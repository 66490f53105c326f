package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/party"
)

type contractPage struct {
	page
	Contract   party.Contract
	Party      party.Party
	Prev, Next *party.Contract
	Position   int
	Count      int
}

// contractView shows one contract; opened from a party's page it offers the
// previous and next contracts of that party.
func (s *server) contractView(w http.ResponseWriter, r *http.Request) {
	actor := core.ActorFrom(r.Context())
	c, err := s.Parties.Contract(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := contractPage{page: s.newPage(r, "contract.title"), Contract: c}
	p.Title = c.Number
	p.Here = contactContext{ContractID: c.ID}
	if pid := r.URL.Query().Get("party"); pid != "" {
		if pt, err := s.Parties.Get(r.Context(), actor, pid); err == nil {
			p.Party = pt
			p.Here.PartyID = pt.ID
			if list, err := s.Parties.Contracts(r.Context(), actor, pid); err == nil {
				p.Count = len(list)
				for i := range list {
					if list[i].ID == c.ID {
						p.Position = i + 1
						if i > 0 {
							p.Prev = &list[i-1]
						}
						if i+1 < len(list) {
							p.Next = &list[i+1]
						}
					}
				}
			}
		}
	}
	s.render(w, r, http.StatusOK, "contract", "", p)
}
