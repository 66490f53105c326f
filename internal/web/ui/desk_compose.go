package ui

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// maxDraftBytes bounds a posted reply, note or solicitation: the body and
// every file, with room for the form's encoding.
const maxDraftBytes = content.MaxFilesSize + core.MaxBody + 1<<20

// draftOf reads a reply, note or solicitation form: the body (HTML from the
// editor or plain text), the subject, the recipient, the attachments
// ("files") and the images pasted into the editor ("inline", each with
// its Content-ID in "inline_cid", in the same order).
func draftOf(w http.ResponseWriter, r *http.Request) (desk.Draft, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDraftBytes)
	if err := r.ParseMultipartForm(8 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return desk.Draft{}, core.Fields{"attachments": core.Because("files_too_large", "max_mib", content.MaxFilesSize>>20)}.Err()
		}
		return desk.Draft{}, core.Errorf(core.Invalid, "the form could not be read: %v", err)
	}
	d := desk.Draft{Body: r.FormValue("body"), Subject: r.FormValue("subject"), To: r.FormValue("to"),
		SeenLast: r.FormValue("seen_last"), Force: r.FormValue("force") != ""}
	if r.MultipartForm == nil {
		return d, nil
	}
	cids := r.MultipartForm.Value["inline_cid"]
	for _, field := range []string{"files", "inline"} {
		for i, fh := range r.MultipartForm.File[field] {
			f, err := fh.Open()
			if err != nil {
				return desk.Draft{}, err
			}
			data, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return desk.Draft{}, err
			}
			if len(data) == 0 && fh.Filename == "" {
				continue // the empty file input of a form sent without a file
			}
			u := desk.Upload{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data}
			if field == "inline" && i < len(cids) && cids[i] != "" {
				u.Inline, u.ContentID = true, strings.TrimSpace(cids[i])
			}
			d.Files = append(d.Files, u)
		}
	}
	return d, nil
}

// deskReply sends a reply to the customer. A reply another agent sent
// since the page was opened is a conflict: the page shows it and offers to
// send anyway.
func (s *server) deskReply(w http.ResponseWriter, r *http.Request) {
	d, err := draftOf(w, r)
	if err == nil {
		_, err = s.Desk.Reply(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), d)
	}
	if err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "reply", Subject: d.Subject, Body: d.Body, SeenLast: d.SeenLast,
			Conflict: core.ErrorCode(err) == core.Conflict})
		return
	}
	s.deskDone(w, r, "#history-end", "desk.replied")
}

// deskNote adds an internal note.
func (s *server) deskNote(w http.ResponseWriter, r *http.Request) {
	d, err := draftOf(w, r)
	if err == nil {
		_, err = s.Desk.Note(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), d)
	}
	if err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "note", Body: d.Body})
		return
	}
	s.deskDone(w, r, "#history-end", "desk.noted")
}

// deskSolicit asks an outside person or service by email.
func (s *server) deskSolicit(w http.ResponseWriter, r *http.Request) {
	d, err := draftOf(w, r)
	if err == nil {
		_, _, err = s.Desk.Solicit(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), d)
	}
	if err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "solicit", Subject: d.Subject, Body: d.Body, To: d.To})
		return
	}
	s.deskDone(w, r, "#solicitations", "desk.solicited")
}

// deskSolicitationReply writes again to a solicited person, in their thread.
func (s *server) deskSolicitationReply(w http.ResponseWriter, r *http.Request) {
	d, err := draftOf(w, r)
	sid := r.PathValue("sid")
	if err == nil {
		_, err = s.Desk.ReplySolicitation(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), sid, d)
	}
	if err != nil {
		s.deskRefused(w, r, err, deskDraft{Form: "solicitation", Solicitation: sid, Subject: d.Subject, Body: d.Body,
			SeenLast: d.SeenLast, Conflict: core.ErrorCode(err) == core.Conflict})
		return
	}
	s.deskDone(w, r, "#s-"+sid, "desk.replied")
}

// deskRecipients suggests addresses already solicited, most used first,
// as the options of the recipient's listbox.
func (s *server) deskRecipients(w http.ResponseWriter, r *http.Request) {
	list, err := s.Desk.Recipients(r.Context(), core.ActorFrom(r.Context()), r.URL.Query().Get("to"), 8)
	if err != nil {
		http.Error(w, core.ErrorMessage(err), statusOf(err))
		return
	}
	p := s.newPage(r, "desk.title")
	s.render(w, r, http.StatusOK, "desk_request", "desk_recipients", struct {
		page
		Recipients []desk.Recipient
	}{p, list})
}

// deskFile sends a file of a message.
func (s *server) deskFile(w http.ResponseWriter, r *http.Request) {
	f, data, err := s.Desk.File(r.Context(), core.ActorFrom(r.Context()), r.PathValue("fid"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteDownload(w, f.Name, f.ContentType, data)
}

// deskTemplateText answers a reply template filled for the request, as
// sanitised HTML the editor takes (the agent then edits it).
func (s *server) deskTemplateText(w http.ResponseWriter, r *http.Request) {
	body, err := s.Desk.RenderTemplate(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), r.PathValue("tid"))
	if err != nil {
		http.Error(w, core.ErrorMessage(err), statusOf(err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, content.SafeOutgoingHTML(body))
}
