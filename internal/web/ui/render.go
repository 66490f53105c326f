package ui

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// pageTemplate is one page, parsed together with the layout and partials
// the first time it is shown: parsing the sixty pages at start held 16 MB
// of parse trees (each page a copy of the layout), a third of an idle
// server's heap, whether or not anyone opened them.
type pageTemplate struct {
	base *pageBase
	file string
	once sync.Once
	tmpl *template.Template
	err  error
}

// pageBase is the layout and partials each page is parsed onto, cloned
// under a lock.
type pageBase struct {
	mu   sync.Mutex
	tmpl *template.Template
}

// template returns the page parsed, parsing it the first time.
func (p *pageTemplate) template() (*template.Template, error) {
	p.once.Do(func() {
		p.base.mu.Lock()
		t, err := p.base.tmpl.Clone()
		p.base.mu.Unlock()
		if err == nil {
			t, err = t.ParseFS(assets, p.file)
		}
		p.tmpl, p.err = t, err
	})
	return p.tmpl, p.err
}

// page is what every template receives; page data structs embed it.
type page struct {
	Title   string
	Lang    string
	Actor   *core.Actor
	Path    string
	Query   string // the quick-search box's current text
	Flash   string
	Error   string
	Fields  core.Fields
	tr      *translator
	Current string         // the navigation entry to highlight
	Here    contactContext // the party and contract on screen, which "New contact" starts from
	loc     *time.Location // the agent's unit's time zone, in which times are shown
	cat     *pageCatalogue // the agent's establishment's catalogues, read on the first label
}

// T translates a message id into the page's language.
func (p page) T(id string, args ...any) string { return p.tr.T(p.Lang, id, args...) }

// Can reports whether the signed-in agent holds a permission, for menus.
func (p page) Can(perm string) bool { return p.Actor.Can(core.Permission(perm)) }

// FieldError returns the validation message of a form field, if any.
func (p page) FieldError(name string) string { return p.tr.Reason(p.Lang, p.Fields[name]) }

// formMessage is the summary shown above a form the server refused: a
// translated invitation to look at the marked fields for validation errors,
// the field's translated reason for a conflict on one field (a code already
// taken), the message otherwise.
func (p page) formMessage(err error) string {
	fields := fieldsOf(err)
	switch {
	case core.ErrorCode(err) == core.Invalid && len(fields) > 0:
		return p.T("form.invalid")
	case len(fields) == 1:
		for _, why := range fields {
			return p.tr.Reason(p.Lang, why)
		}
	}
	return core.ErrorMessage(err)
}

var funcs = template.FuncMap{
	"query": func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] != "" {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v.Encode()
	},
	"add":       func(a, b int) int { return a + b },
	"pict":      pictogram,
	"icons":     pictogramIcons,
	"ofName":    ofName,
	"hasPrefix": strings.HasPrefix,
	"icon":      icon,
	"duration": func(seconds *int) string {
		if seconds == nil {
			return ""
		}
		d := time.Duration(*seconds) * time.Second
		if d >= time.Hour {
			return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
		}
		return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
	},
	"runes": utf8.RuneCountInString,
	"timelineRows": func(p partyPage, items []history.Entry, next string) timelineRows {
		return timelineRows{page: p.page, PartyID: p.Party.ID, Items: items, Next: next, Filters: p.Filters}
	},
	"list3": func(a, b, c string) []string { return []string{a, b, c} },
	"upper": strings.ToUpper,
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
}

var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// parsePages parses the layout and partials and lists the
// templates/*.html pages, each parsed onto them when first shown.
func parsePages() map[string]*pageTemplate {
	base := &pageBase{tmpl: template.Must(template.New("").Funcs(funcs).ParseFS(assets, "templates/layout/*.html"))}
	files, _ := fs.Glob(assets, "templates/*.html")
	pages := make(map[string]*pageTemplate, len(files))
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		pages[name] = &pageTemplate{base: base, file: f}
	}
	return pages
}

// newPage starts the data of a page for the request's agent and language.
func (s *server) newPage(r *http.Request, titleID string) page {
	actor := core.ActorFrom(r.Context())
	locale := ""
	if actor != nil {
		locale = actor.Locale
	}
	p := page{Lang: requestLanguage(r, locale), Actor: actor, Path: r.URL.Path, tr: s.i18n,
		loc: s.zones.location(actor), cat: &pageCatalogue{ctx: r.Context(), store: s.Catalogues, actor: actor}}
	p.Title = p.T(titleID)
	if c, err := r.Cookie("flash"); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			p.Flash = v
		}
	}
	return p
}

// render executes a page (its "layout" template, or fragment when set)
// into a buffer first, so a template error never sends half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name, fragment string, data any) {
	pt, ok := s.pages[name]
	if !ok {
		s.Logger.Error("unknown page template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	entry := "layout"
	if fragment != "" {
		entry = fragment
	}
	tmpl, err := pt.template()
	if err != nil {
		s.Logger.Error("parse page template", "name", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, entry, data); err != nil {
		s.Logger.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if _, err := r.Cookie("flash"); err == nil && fragment == "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Path: "/", MaxAge: -1})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows the error page for err with the status of its code.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if httpx.ClientGone(r.Context(), err) { // nobody is waiting for a page
		w.WriteHeader(httpx.StatusClientClosed)
		return
	}
	code := httpx.Code(err)
	status := httpx.Status(code)
	if status >= 500 {
		s.Logger.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "err", err)
	}
	if code == core.Unavailable {
		w.Header().Set("Retry-After", httpx.RetryAfter)
	}
	p := s.newPage(r, "error.title")
	switch code {
	case core.NotFound:
		p.Title, p.Error = p.T("error.not_found_title"), p.T("error.not_found")
	case core.Forbidden:
		p.Title, p.Error = p.T("error.forbidden_title"), p.T("error.forbidden")
	case core.Internal:
		p.Error = p.T("error.internal")
	case core.Unavailable:
		p.Error = p.T("error.unavailable")
	default:
		p.Error = core.ErrorMessage(err)
	}
	s.render(w, r, status, "error", "", p)
}

// redirect sends the browser to url after a successful POST, with an
// optional one-time message shown on the next page.
func (s *server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: "flash", Value: url.QueryEscape(flash), Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies, MaxAge: 60})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// fieldsOf returns the validation fields of err, if it is a validation error.
func fieldsOf(err error) core.Fields {
	var e *core.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
