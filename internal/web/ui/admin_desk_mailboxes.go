package ui

import (
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/org"
)

type deskMailboxesPage struct {
	adminBase
	Mailboxes []desk.Mailbox
}

// deskMailboxPage is a mailbox's form (new when Mailbox.ID is empty), with
// the result of a connection test when one ran.
type deskMailboxPage struct {
	adminBase
	Mailbox     desk.Mailbox
	Units       []org.Unit
	Securities  []string
	AfterMode   string // leave, seen, move
	AfterFolder string
	Check       *desk.ConnectionCheck
}

func (s *server) adminDeskMailboxes(w http.ResponseWriter, r *http.Request) {
	list, err := s.Desk.Mailboxes(r.Context(), core.ActorFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_desk_mailboxes", "", deskMailboxesPage{
		adminBase: s.adminPage(r, "deskadmin.mailboxes", "desk_mailboxes"), Mailboxes: list})
}

func (s *server) adminDeskMailboxNew(w http.ResponseWriter, r *http.Request) {
	m := desk.Mailbox{Active: true, IMAP: desk.IMAPSettings{Port: 993, Security: "tls", Folder: "INBOX"},
		SMTP: desk.SMTPSettings{Port: 465, Security: "tls"}, AfterFetch: "seen"}
	s.showDeskMailbox(w, r, http.StatusOK, m, nil, "", nil)
}

func (s *server) adminDeskMailbox(w http.ResponseWriter, r *http.Request) {
	m, err := s.Desk.Mailbox(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showDeskMailbox(w, r, http.StatusOK, m, nil, "", nil)
}

func (s *server) showDeskMailbox(w http.ResponseWriter, r *http.Request, status int, m desk.Mailbox, check *desk.ConnectionCheck,
	msg string, fields core.Fields) {
	units, err := s.scopeUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "deskadmin.mailbox_new"
	if m.ID != "" {
		title = "deskadmin.mailbox"
	}
	p := deskMailboxPage{adminBase: s.adminPage(r, title, "desk_mailboxes"), Mailbox: m, Units: units,
		Securities: desk.Securities, AfterMode: "leave", Check: check}
	switch {
	case m.AfterFetch == "seen":
		p.AfterMode = "seen"
	case strings.HasPrefix(m.AfterFetch, "move:"):
		p.AfterMode, p.AfterFolder = "move", strings.TrimPrefix(m.AfterFetch, "move:")
	}
	if m.ID != "" {
		p.Title = p.T("deskadmin.mailbox") + " · " + m.Address
	}
	// Passwords are never sent back to the browser.
	p.Mailbox.IMAP.Password, p.Mailbox.SMTP.Password = "", ""
	p.Error, p.Fields = msg, fields
	s.render(w, r, status, "admin_desk_mailbox", "", p)
}

func (s *server) adminDeskMailboxSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := core.ActorFrom(ctx)
	local := core.Fields{}
	in := desk.Mailbox{ID: r.PathValue("id"), Address: r.FormValue("address"), Name: r.FormValue("name"),
		Signature: r.FormValue("signature"), Active: r.PathValue("id") == "" || r.FormValue("active") == "on",
		IMAP: desk.IMAPSettings{Host: r.FormValue("imap_host"), Port: formInt(r, "imap_port", local),
			Security: r.FormValue("imap_security"), Login: r.FormValue("imap_login"), Password: r.FormValue("imap_password"),
			Folder: r.FormValue("imap_folder")},
		SMTP: desk.SMTPSettings{Host: r.FormValue("smtp_host"), Port: formInt(r, "smtp_port", local),
			Security: r.FormValue("smtp_security"), Login: r.FormValue("smtp_login"), Password: r.FormValue("smtp_password")}}
	if why, ok := local["imap_port"]; ok {
		local["imap.port"] = why
	}
	if why, ok := local["smtp_port"]; ok {
		local["smtp.port"] = why
	}
	units, err := s.scopeUnits(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u, ok := unitByCodeIn(units, r.FormValue("unit_code")); ok {
		in.UnitID, in.UnitCode, in.UnitName = u.ID, u.Code, u.Name
	}
	switch folder := strings.TrimSpace(r.FormValue("after_fetch_folder")); r.FormValue("after_fetch") {
	case "seen":
		in.AfterFetch = "seen"
	case "move":
		in.AfterFetch = "move:" + folder
		if folder == "" {
			local.Add("after_fetch", core.Required())
		}
	}
	saved, err := s.Desk.SaveMailbox(ctx, actor, in)
	if err == nil && len(local) > 0 {
		err = local.Err() // cannot happen: a wrong port is out of range for the store too
	}
	if err != nil {
		s.formFail(w, r, err, func(status int, msg string, fields core.Fields) {
			for k, why := range local {
				fields[k] = why
			}
			s.showDeskMailbox(w, r, status, in, nil, msg, fields)
		})
		return
	}
	p := s.newPage(r, "deskadmin.mailboxes")
	s.redirect(w, r, "/admin/desk/mailboxes/"+saved.ID, p.T("admin.saved"))
}

// adminDeskMailboxTest connects to the mailbox's servers and shows which
// step failed.
func (s *server) adminDeskMailboxTest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actor := core.ActorFrom(ctx)
	check, err := s.Desk.TestMailbox(ctx, actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.Desk.Mailbox(ctx, actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showDeskMailbox(w, r, http.StatusOK, m, &check, "", nil)
}
