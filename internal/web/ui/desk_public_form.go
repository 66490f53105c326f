package ui

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// publicFormPage is a web form as a customer sees it: empty, refused with
// the typed values, or its confirmation once sent.
type publicFormPage struct {
	page
	Form       desk.Form
	Values     desk.Submission
	FileErrors []string // the attachments' reasons, each naming its file
	Sent       bool
	Reference  string
	Action     string // the form's URL, with the language
	Limited    bool   // too many submissions from this address
}

// deskPublicRoutes mounts the public web forms: no session, the app's
// cross-origin protection bypassed for their POST (web.New) so the
// embeddable snippet can post from other sites.
func (s *server) deskPublicRoutes(mux *http.ServeMux) {
	g := newWebFormGuard(s.Metrics)
	mux.HandleFunc("GET /forms/{code}", s.publicFormShow)
	mux.HandleFunc("POST /forms/{code}", func(w http.ResponseWriter, r *http.Request) { s.publicFormPost(w, r, g) })
	mux.HandleFunc("GET /forms/{code}/embed.js", s.publicFormScript)
}

// publicLang is the language of a public page: ?lang=, else the browser's,
// else French. It never reads a posted body (which is read once, capped).
func publicLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); valid(l) {
		return l
	}
	return requestLanguage(r, "")
}

func (s *server) newPublicFormPage(r *http.Request, form desk.Form) publicFormPage {
	p := publicFormPage{page: s.newPage(r, "webform.title"), Form: form}
	p.Actor = nil
	p.Lang = publicLang(r)
	p.Title = form.Name
	p.Action = "/forms/" + form.Code
	if p.Lang != "fr" {
		p.Action += "?lang=" + p.Lang
	}
	return p
}

func (s *server) publicFormShow(w http.ResponseWriter, r *http.Request) {
	form, err := s.Desk.FormByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.publicFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "webform", "", s.newPublicFormPage(r, form))
}

// publicFail shows the error page without the agents' menu.
func (s *server) publicFail(w http.ResponseWriter, r *http.Request, err error) {
	r = r.WithContext(core.WithActor(r.Context(), nil))
	s.fail(w, r, err)
}

// wantsJSON reports whether the embeddable script posted (it asks for JSON).
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func (s *server) publicFormPost(w http.ResponseWriter, r *http.Request, g *webFormGuard) {
	if wantsJSON(r) {
		// The snippet posts from other sites: it may read the answer, never with credentials.
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}
	r.Body = http.MaxBytesReader(w, r.Body, webFormMaxBody)
	ctx := r.Context()
	form, err := s.Desk.FormByCode(ctx, r.PathValue("code"))
	if err != nil {
		s.publicFormAnswer(w, r, http.StatusNotFound, publicFormPage{}, err)
		return
	}
	p := s.newPublicFormPage(r, form)
	ip, now := httpx.ClientIP(r), s.Clock.Now()
	if g.attempts.full(ip, now) || g.submissions.full(ip, now) {
		g.refused.WithLabelValues("rate_limit").Inc()
		w.Header().Set("Retry-After", "600")
		p.Limited = true
		p.Error = p.T("webform.rate_limited")
		s.publicFormAnswer(w, r, http.StatusTooManyRequests, p, nil)
		return
	}
	g.attempts.add(ip, now)
	sub, err := readSubmission(r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			g.refused.WithLabelValues("too_large").Inc()
			p.Error = p.T("webform.too_large")
			s.publicFormAnswer(w, r, http.StatusRequestEntityTooLarge, p, nil)
			return
		}
		p.Error = p.T("webform.unreadable")
		s.publicFormAnswer(w, r, http.StatusBadRequest, p, nil)
		return
	}
	sub.Lang = p.Lang
	if r.PostFormValue("website") != "" { // the honeypot: only robots fill it
		g.refused.WithLabelValues("honeypot").Inc()
		g.submissions.add(ip, now)
		s.Logger.Info("web form honeypot filled", "form", form.Code)
		p.Sent = true
		s.publicFormAnswer(w, r, http.StatusOK, p, nil)
		return
	}
	req, err := s.Desk.Submit(ctx, form.Code, sub)
	if err != nil {
		p.Values = shownAgain(sub)
		if core.ErrorCode(err) == core.Invalid {
			p.Error, p.Fields = p.T("webform.invalid"), fieldsOf(err)
			p.FileErrors = attachmentErrors(p.page, p.Fields, sub.Files)
			s.publicFormAnswer(w, r, http.StatusUnprocessableEntity, p, err)
			return
		}
		s.publicFormAnswer(w, r, httpx.Status(httpx.Code(err)), p, err)
		return
	}
	g.submissions.add(ip, now)
	p.Sent, p.Reference = true, req.Reference
	s.publicFormAnswer(w, r, http.StatusOK, p, nil)
}

// readSubmission reads the multipart (or urlencoded) post of a web form.
func readSubmission(r *http.Request) (desk.Submission, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return desk.Submission{}, err
		}
	} else if err := r.ParseForm(); err != nil {
		return desk.Submission{}, err
	}
	sub := desk.Submission{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
		Subject: r.PostFormValue("subject"), Message: r.PostFormValue("message")}
	if r.MultipartForm == nil {
		return sub, nil
	}
	for _, fh := range r.MultipartForm.File["attachments"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue // the file input left empty
		}
		f, err := fh.Open()
		if err != nil {
			return sub, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return sub, err
		}
		sub.Files = append(sub.Files, desk.Upload{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
	}
	return sub, nil
}

// shownAgain is what the customer typed, made printable to show it again
// (invalid UTF-8 and NUL characters replaced); files are chosen again.
func shownAgain(sub desk.Submission) desk.Submission {
	clean := func(v string) string {
		return strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "\uFFFD")
	}
	return desk.Submission{Name: clean(sub.Name), Email: clean(sub.Email), Phone: clean(sub.Phone),
		Subject: clean(sub.Subject), Message: clean(sub.Message)}
}

// attachmentErrors lists the reasons of refused files, each with the
// file's name.
func attachmentErrors(p page, fields core.Fields, files []desk.Upload) []string {
	var keys []string
	for k := range fields {
		if strings.HasPrefix(k, "attachments") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		msg := p.tr.Reason(p.Lang, fields[k])
		var i int
		if n, _ := parseIndex(k); n >= 0 && n < len(files) {
			i = n
			msg = strings.ToValidUTF8(files[i].Name, "?") + " : " + msg
		}
		out = append(out, msg)
	}
	return out
}

// parseIndex reads i in "attachments[i]…"; -1 without one.
func parseIndex(key string) (int, bool) {
	open, end := strings.IndexByte(key, '['), strings.IndexByte(key, ']')
	if open < 0 || end < open {
		return -1, false
	}
	n := 0
	for _, c := range key[open+1 : end] {
		if c < '0' || c > '9' {
			return -1, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// publicFormAnswer answers the page, or JSON to the embeddable script:
// {ok, reference, confirmation} or {error, fields: {field: message}}.
func (s *server) publicFormAnswer(w http.ResponseWriter, r *http.Request, status int, p publicFormPage, err error) {
	if !wantsJSON(r) {
		if p.Form.Code == "" {
			s.publicFail(w, r, err)
			return
		}
		if err != nil && p.Error == "" {
			s.publicFail(w, r, err)
			return
		}
		s.render(w, r, status, "webform", "", p)
		return
	}
	out := map[string]any{}
	switch {
	case p.Sent:
		out["ok"], out["reference"], out["confirmation"] = true, p.Reference, p.Form.Confirmation
	case p.Error != "":
		fields := map[string]string{}
		for k := range p.Fields {
			if !strings.HasPrefix(k, "attachments") {
				fields[k] = p.FieldError(k)
			}
		}
		if len(p.FileErrors) > 0 {
			fields["attachments"] = strings.Join(p.FileErrors, " ; ")
		}
		out["error"], out["fields"] = p.Error, fields
	default:
		out["error"] = httpx.Message(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
}

// webFieldData is one input of the public form.
type webFieldData struct {
	Page                    publicFormPage
	Name, Type, Auto, Value string
	Required                bool
}

func init() {
	funcs["webField"] = func(p publicFormPage, name, typ, auto, value string, required bool) webFieldData {
		return webFieldData{Page: p, Name: name, Type: typ, Auto: auto, Value: value, Required: required}
	}
	funcs["splitParas"] = func(s string) []string {
		var out []string
		for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				out = append(out, para)
			}
		}
		return out
	}
}
