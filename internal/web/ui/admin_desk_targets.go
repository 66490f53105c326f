package ui

import (
	"net/http"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/org"
)

// unitTargets is a unit's row on the targets page.
type unitTargets struct {
	Unit    org.Unit
	Targets desk.Targets
	Own     bool // false: the defaults apply
}

// deskTargetsPage lists the units' targets and the form of the one edited.
type deskTargetsPage struct {
	adminBase
	Units    []unitTargets
	Edited   *unitTargets
	Defaults desk.Targets
}

func (s *server) adminDeskTargets(w http.ResponseWriter, r *http.Request) {
	s.showDeskTargets(w, r, http.StatusOK, r.URL.Query().Get("edit"), nil, "", nil)
}

func (s *server) showDeskTargets(w http.ResponseWriter, r *http.Request, status int, edit string, typed *desk.Targets,
	msg string, fields core.Fields) {
	ctx := r.Context()
	units, err := s.scopeUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := deskTargetsPage{adminBase: s.adminPage(r, "deskadmin.targets", "desk_targets"), Defaults: desk.DefaultTargets}
	for _, u := range units {
		t, own, err := s.Desk.UnitTargets(ctx, core.ActorFrom(ctx), u.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Units = append(p.Units, unitTargets{Unit: u, Targets: t, Own: own})
	}
	for i := range p.Units {
		if p.Units[i].Unit.Code == edit {
			e := p.Units[i]
			if typed != nil {
				e.Targets = *typed
			}
			p.Edited = &e
		}
	}
	if edit != "" && p.Edited == nil {
		s.fail(w, r, core.Errorf(core.NotFound, "unit %s not found", edit))
		return
	}
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_desk_targets", "", p)
}

func (s *server) adminDeskTargetsSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	code := r.PathValue("code")
	units, err := s.scopeUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, ok := unitByCodeIn(units, code)
	if !ok {
		s.fail(w, r, core.Errorf(core.NotFound, "unit %s not found", code))
		return
	}
	local := core.Fields{}
	t := desk.Targets{FirstResponseMinutes: formInt(r, "first_response_minutes", local),
		ResolutionMinutes: formInt(r, "resolution_minutes", local), ReopenDays: formInt(r, "reopen_days", local)}
	err = local.Err()
	if err == nil {
		err = s.Desk.SetTargets(ctx, core.ActorFrom(ctx), u.ID, t)
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			s.showDeskTargets(w, r, status, code, &t, msg, fields)
		})
		return
	}
	p := s.newPage(r, "deskadmin.targets")
	s.redirect(w, r, "/admin/desk/targets", p.T("admin.saved"))
}
