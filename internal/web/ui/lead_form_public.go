package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// leadFormMaxBody caps a lead form's post: a few short fields and a message.
const leadFormMaxBody = 64 << 10

// leadFormPage is the public lead form of an establishment as a prospect
// sees it: empty, refused with what was typed, or its thank-you.
type leadFormPage struct {
	page
	Establishment org.Unit
	Values        leads.Input
	Consent       bool
	Action        string // the form's URL with its source, group and language
	Sent          bool
	Limited       bool // too many posts from this address
}

// leadFormPublicRoutes mounts the public lead form: no session, the app's
// cross-origin protection bypassed for its POST (web.New) so other sites
// can link to or embed it; the desk's web form guard limits posts per address.
func (s *server) leadFormPublicRoutes(mux *http.ServeMux) {
	if s.Leads == nil {
		return
	}
	g := newWebFormGuard(s.Metrics)
	mux.HandleFunc("GET /lead-forms/{code}", s.leadFormShow)
	mux.HandleFunc("POST /lead-forms/{code}", func(w http.ResponseWriter, r *http.Request) { s.leadFormPost(w, r, g) })
}

// newLeadFormPage starts the form of the establishment named in the path,
// in the visitor's language, with the source, group, product and unit
// (an agency's own form) of its query.
func (s *server) newLeadFormPage(r *http.Request) (leadFormPage, error) {
	u, err := s.Orgs.UnitByCode(r.Context(), r.PathValue("code"))
	if err == nil && u.Depth != 0 {
		err = core.Errorf(core.NotFound, "establishment %q not found", r.PathValue("code"))
	}
	if err != nil {
		return leadFormPage{}, err
	}
	p := leadFormPage{page: s.newPage(r, "leadform.title"), Establishment: u}
	p.Actor = nil
	p.Lang = publicLang(r)
	p.Title = p.T("leadform.title_of", "Name", u.Name)
	p.cat = &pageCatalogue{ctx: r.Context(), store: s.Catalogues, actor: &core.Actor{UnitID: u.ID}}
	q := r.URL.Query()
	p.Values = leads.Input{Source: strings.TrimSpace(q.Get("source")), SourceGroup: strings.TrimSpace(q.Get("group")),
		Product: strings.TrimSpace(q.Get("product")), UnitCode: strings.TrimSpace(q.Get("unit"))}
	if p.Values.Source == "" {
		p.Values.Source = p.T("leadform.default_source")
	}
	keep := url.Values{}
	for _, k := range []string{"source", "group", "product", "unit"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	if p.Lang != "fr" {
		keep.Set("lang", p.Lang)
	}
	p.Action = "/lead-forms/" + url.PathEscape(u.Code)
	if len(keep) > 0 {
		p.Action += "?" + keep.Encode()
	}
	return p, nil
}

// LangURL is the form in the other language.
func (p leadFormPage) LangURL(lang string) string {
	u, _ := url.Parse(p.Action)
	q := u.Query()
	q.Set("lang", lang)
	u.RawQuery = q.Encode()
	return u.String()
}

func (s *server) leadFormShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.newLeadFormPage(r)
	if err != nil {
		s.publicFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "lead_form_public", "", p)
}

func (s *server) leadFormPost(w http.ResponseWriter, r *http.Request, g *webFormGuard) {
	r.Body = http.MaxBytesReader(w, r.Body, leadFormMaxBody)
	p, err := s.newLeadFormPage(r)
	if err != nil {
		s.publicFail(w, r, err)
		return
	}
	ip, now := httpx.ClientIP(r), s.Clock.Now()
	if g.attempts.full(ip, now) || g.submissions.full(ip, now) {
		g.refused.WithLabelValues("rate_limit").Inc()
		w.Header().Set("Retry-After", "600")
		p.Limited, p.Error = true, p.T("webform.rate_limited")
		s.render(w, r, http.StatusTooManyRequests, "lead_form_public", "", p)
		return
	}
	g.attempts.add(ip, now)
	if err := r.ParseForm(); err != nil {
		status, msg := http.StatusBadRequest, p.T("webform.unreadable")
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			g.refused.WithLabelValues("too_large").Inc()
			status, msg = http.StatusRequestEntityTooLarge, p.T("webform.too_large")
		}
		p.Error = msg
		s.render(w, r, status, "lead_form_public", "", p)
		return
	}
	if r.PostFormValue("website") != "" { // the honeypot: only robots fill it
		g.refused.WithLabelValues("honeypot").Inc()
		g.submissions.add(ip, now)
		s.Logger.Info("lead form honeypot filled", "establishment", p.Establishment.Code)
		p.Sent = true
		s.render(w, r, http.StatusOK, "lead_form_public", "", p)
		return
	}
	in := p.Values
	in.FirstName, in.LastName = r.PostFormValue("first_name"), r.PostFormValue("last_name")
	in.Email, in.Phone = r.PostFormValue("email"), r.PostFormValue("phone")
	in.PostalCode, in.Product, in.Message = r.PostFormValue("postal_code"), r.PostFormValue("product"), r.PostFormValue("message")
	p.Consent = r.PostFormValue("consent") != ""
	if !p.Consent {
		p.Values, p.Fields, p.Error = shownLead(in), core.Fields{"consent": core.Required()}, p.T("webform.invalid")
		s.render(w, r, http.StatusUnprocessableEntity, "lead_form_public", "", p)
		return
	}
	if _, err := s.Leads.CreateFromForm(r.Context(), p.Establishment.Code, in); err != nil {
		if core.ErrorCode(err) != core.Invalid {
			s.publicFail(w, r, err)
			return
		}
		p.Values, p.Fields, p.Error = shownLead(in), fieldsOf(err), p.T("webform.invalid")
		s.render(w, r, http.StatusUnprocessableEntity, "lead_form_public", "", p)
		return
	}
	g.submissions.add(ip, now)
	p.Sent = true
	s.render(w, r, http.StatusOK, "lead_form_public", "", p)
}

// shownLead is what the prospect typed, made printable to show it again
// (invalid UTF-8 and NUL characters replaced).
func shownLead(in leads.Input) leads.Input {
	clean := func(v string) string {
		return strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "\uFFFD")
	}
	return leads.Input{Source: clean(in.Source), SourceGroup: clean(in.SourceGroup), UnitCode: clean(in.UnitCode), FirstName: clean(in.FirstName),
		LastName: clean(in.LastName), Email: clean(in.Email), Phone: clean(in.Phone), PostalCode: clean(in.PostalCode),
		Product: clean(in.Product), Message: clean(in.Message)}
}

// leadFieldData is one input of the public lead form.
type leadFieldData struct {
	Page                    leadFormPage
	Name, Type, Auto, Value string
	Required                bool
}

func init() {
	funcs["leadField"] = func(p leadFormPage, name, typ, auto, value string, required bool) leadFieldData {
		return leadFieldData{Page: p, Name: name, Type: typ, Auto: auto, Value: value, Required: required}
	}
}
