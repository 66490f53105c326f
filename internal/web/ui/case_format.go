package ui

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/history"
)

// What the contact and case pages share to show their links and
// pictograms in the page's language.

// PartyRole names an interlocutor's role: the known ones translated, a
// template's own label (guarantor, notary…) as the administrator wrote it.
func (p page) PartyRole(role string) string {
	key := "contact.party_role." + role
	if s := p.T(key); s != key {
		return s
	}
	return role
}

// MediumPict is the pictogram of a contact's medium and direction, as the
// timeline shows them.
func (p page) MediumPict(medium, direction string) template.HTML {
	e := history.Entry{Channel: medium, Direction: direction}
	label := p.T(prefixed("medium.", medium)) + ", " + p.T(prefixed("contact.direction.", direction))
	return template.HTML(`<span class="pict `+template.HTMLEscapeString(pictogram(e))+`" role="img" aria-label="`+
		template.HTMLEscapeString(label)+`" title="`+template.HTMLEscapeString(label)+`">`) +
		pictogramIcons(e) + template.HTML(`</span>`)
}

// choiceName names a code among choices in lang, the code itself when absent.
func choiceName(choices []cases.Choice, code, lang string) string {
	for _, c := range choices {
		if c.Code == code {
			return c.Name(lang)
		}
	}
	return code
}

// caseLabels names the statuses of the establishment's classifications,
// for the pages that list cases of several classifications.
type caseLabels struct {
	statuses []cases.Choice
	lang     string
}

// CaseStatus names a case's status in the page's language.
func (l caseLabels) CaseStatus(c cases.Case) string { return choiceName(l.statuses, c.Status, l.lang) }

// caseLabelsFor reads the status names once for a page (codes are shown
// when they cannot be read).
func (s *server) caseLabelsFor(r *http.Request, lang string) caseLabels {
	st, _ := s.Cases.StatusNames(r.Context(), core.ActorFrom(r.Context()), lang)
	return caseLabels{statuses: st, lang: lang}
}

// prefixed is the message id of a code under a prefix ("case.kind." and
// "note": "case.kind.note").
func prefixed(prefix, code string) string { return prefix + code }

// ObjectLabel names a business object: a contract by its number and its
// product's label in the page's language, anything else by its label.
func (p page) ObjectLabel(o cases.ObjectRef) string {
	if o.Kind == cases.ObjectContract {
		if number, product, ok := strings.Cut(o.Label, " · "); ok {
			return number + " · " + p.Label("product", product)
		}
	}
	return o.Label
}
