package ui

import (
	"context"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
)

// This file is the one place pages format what they show: times in the
// signed-in agent's unit time zone, dates, amounts and catalogue labels in
// the page's language. Templates call them as page methods:
// {{$.DateTime .At}}, {{$.Date .BirthDate}}, {{$.Money .Amount}},
// {{$.Label "report_reason" .Reason}}.

// dateLayouts are the formats of a date and of a date with its time, by language.
var dateLayouts = map[string][2]string{
	"fr": {"02/01/2006", "02/01/2006 15:04"},
	"en": {"2 Jan 2006", "2 Jan 2006, 15:04"},
}

// zoneCache keeps the time zones pages were shown in, loaded once each.
type zoneCache struct {
	mu    sync.Mutex
	zones map[string]*time.Location
}

// location returns the time zone pages are shown in for actor: their
// unit's, else Europe/Paris.
func (c *zoneCache) location(actor *core.Actor) *time.Location {
	if actor == nil || actor.TimeZone == "" {
		return paris
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if loc, ok := c.zones[actor.TimeZone]; ok {
		return loc
	}
	loc, err := time.LoadLocation(actor.TimeZone)
	if err != nil {
		loc = paris
	}
	if c.zones == nil {
		c.zones = map[string]*time.Location{}
	}
	c.zones[actor.TimeZone] = loc
	return loc
}

func (p page) layouts() [2]string {
	if l, ok := dateLayouts[p.Lang]; ok {
		return l
	}
	return dateLayouts["fr"]
}

// DateTime writes a moment in the agent's unit time zone, in the page's language.
func (p page) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc := p.loc
	if loc == nil {
		loc = paris
	}
	return t.In(loc).Format(p.layouts()[1])
}

// Date writes a YYYY-MM-DD date in the page's language (a calendar date has
// no time zone); anything else is shown as is.
func (p page) Date(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(p.layouts()[0])
	}
	return s
}

// Money writes an amount as readers of the page's language expect.
func (p page) Money(m core.Money) string { return m.Format(p.Lang) }

// Label names a catalogue code (kind product, report_reason, letter_type,
// notification_category or segment) in the page's language, from the
// catalogue of the agent's establishment; an unknown code is shown as is.
func (p page) Label(kind, code string) string {
	if code == "" {
		return ""
	}
	return p.book().Label(catalogue.Kind(kind), code, p.Lang)
}

// Choice is a catalogue code offered in a form, labelled in the page's language.
type Choice struct{ Code, Label string }

// Choices lists the active codes of a catalogue for a form's select, with
// current kept first when the catalogue does not offer it (a value typed or
// imported before the catalogue, or since deactivated), so saving the form
// does not change it.
func (p page) Choices(kind, current string) []Choice {
	var out []Choice
	found := current == ""
	for _, t := range p.book().Active(catalogue.Kind(kind)) {
		out = append(out, Choice{t.Code, t.Label(p.Lang)})
		found = found || t.Code == current
	}
	if !found {
		out = append([]Choice{{current, p.Label(kind, current)}}, out...)
	}
	return out
}

// book returns the catalogues of the agent's establishment, read once per page.
func (p page) book() *catalogue.Book {
	if p.cat == nil {
		return nil
	}
	return p.cat.get()
}

// pageCatalogue reads the catalogues on a page's first label.
type pageCatalogue struct {
	ctx   context.Context
	store *catalogue.Store
	actor *core.Actor
	book  *catalogue.Book
	read  bool
}

func (c *pageCatalogue) get() *catalogue.Book {
	if !c.read && c.store != nil {
		c.read = true
		c.book, _ = c.store.Book(c.ctx, c.actor) // unreadable: codes are shown instead of labels
	}
	return c.book
}
