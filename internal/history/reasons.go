package history

import (
	"context"
	"strings"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Media are the channels a meeting report can name.
var Media = []string{"phone", "email", "face_to_face", "video", "letter", "sms", "chat"}

// catalogueOf returns the catalogues (report reasons, products…) of the
// establishment of an agent's unit: a report's reason is one its author's
// establishment offers.
func (s *Store) catalogueOf(ctx context.Context, q db.Querier, agentID string) (*catalogue.Book, error) {
	var unitID string
	if agentID != "" {
		if err := q.QueryRow(ctx, "SELECT unit_id FROM agents WHERE id = ?", agentID).Scan(&unitID); err != nil {
			return nil, err
		}
	}
	return s.books.ForUnit(ctx, q, unitID)
}

// readerCatalogue loads the catalogues labels are read from, for the
// reader's establishment, on first use.
type readerCatalogue struct {
	books *catalogue.Books
	q     db.Querier
	actor *core.Actor
	book  *catalogue.Book
}

// load reads the reader's catalogues once; nil when they cannot be read
// (labels then fall back to codes).
func (r *readerCatalogue) load(ctx context.Context) *catalogue.Book {
	if r.book == nil {
		b, err := r.books.ForUnit(ctx, r.q, r.actor.UnitID)
		if err != nil {
			return nil
		}
		r.book = b
	}
	return r.book
}

// label names code of kind in the reader's language; when the catalogue
// cannot be read the code is shown.
func (r *readerCatalogue) label(ctx context.Context, kind catalogue.Kind, code string) string {
	return r.load(ctx).Label(kind, code, r.actor.Locale)
}

// letterLabel is a letter type's label in the reader's language, unless
// the establishment's settings gave the type a label of their own (not the
// catalogue's French one), which is kept.
func (r *readerCatalogue) letterLabel(ctx context.Context, code, settingsLabel string) string {
	t, ok := r.load(ctx).Term(catalogue.LetterTypes, strings.ToUpper(code))
	if !ok || settingsLabel != t.LabelFR {
		return settingsLabel
	}
	return t.Label(r.actor.Locale)
}

// labelEntries labels the reports' reasons and the letters' types of a
// timeline page in the reader's language.
func (r *readerCatalogue) labelEntries(ctx context.Context, items []Entry) {
	for i := range items {
		e := &items[i]
		if e.Report != nil {
			e.Report.ReasonLabel = r.label(ctx, catalogue.ReportReasons, e.Report.Reason)
		}
		if e.LetterType != "" && e.Label != "" {
			e.Label = r.letterLabel(ctx, e.LetterType, e.Label)
		}
	}
}

// labelDetail labels an interaction's report reason and letter type.
func (r *readerCatalogue) labelDetail(ctx context.Context, d *Detail) {
	if d.Report != nil {
		d.Report.ReasonLabel = r.label(ctx, catalogue.ReportReasons, d.Report.Reason)
	}
	if d.LetterType != "" && d.Label != "" {
		d.Label = r.letterLabel(ctx, d.LetterType, d.Label)
	}
}
