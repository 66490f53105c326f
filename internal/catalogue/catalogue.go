// Package catalogue holds the labelled lists the application shows by code —
// contract products, meeting-report reasons, letter types, notification
// categories, customer segments — as data with a French and an English
// label. Every establishment shares the entries seeded by the migration; an
// establishment's own entries (a new code, a shared code relabelled or
// deactivated) stand over the shared ones, and administrators edit the
// report-reason catalogue of their establishment. Terms are never
// deleted: reports keep the codes they were written with.
package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/db"
)

// Kind names a catalogue.
type Kind string

// The catalogues.
const (
	Products               Kind = "product"
	ReportReasons          Kind = "report_reason"
	LetterTypes            Kind = "letter_type"
	NotificationCategories Kind = "notification_category"
	Segments               Kind = "segment"
	RequestReasons         Kind = "request_reason"
)

// Kinds lists every catalogue.
var Kinds = []Kind{Products, ReportReasons, LetterTypes, NotificationCategories, Segments, RequestReasons}

// Term is one code of a catalogue with its labels.
type Term struct {
	Kind     Kind   `json:"kind"`
	Code     string `json:"code"`
	LabelFR  string `json:"label_fr"`
	LabelEN  string `json:"label_en"`
	Position int    `json:"position"`
	Active   bool   `json:"active"`
	Own      bool   `json:"own" doc:"Defined or changed by this establishment; false for an entry every establishment shares."`
}

// Label returns the entry's label in lang ("en", else French).
func (e Term) Label(lang string) string {
	if lang == "en" {
		return e.LabelEN
	}
	return e.LabelFR
}

// Book is the catalogues as one establishment sees them: the shared entries
// with the establishment's own over them, in display order.
type Book struct {
	lists map[Kind][]Term
}

// Terms returns a catalogue's terms, inactive ones included.
func (b *Book) Terms(kind Kind) []Term {
	if b == nil {
		return nil
	}
	return b.lists[kind]
}

// Active returns a catalogue's active entries, to offer in forms.
func (b *Book) Active(kind Kind) []Term {
	var out []Term
	for _, e := range b.Terms(kind) {
		if e.Active {
			out = append(out, e)
		}
	}
	return out
}

// Term finds a code in a catalogue, active or not.
func (b *Book) Term(kind Kind, code string) (Term, bool) {
	for _, e := range b.Terms(kind) {
		if e.Code == code {
			return e, true
		}
	}
	return Term{}, false
}

// Label names a code in lang; a code the catalogue lacks is returned as is.
func (b *Book) Label(kind Kind, code, lang string) string {
	if e, ok := b.Term(kind, code); ok {
		return e.Label(lang)
	}
	return code
}

// IsActive reports whether code may be chosen now.
func (b *Book) IsActive(kind Kind, code string) bool {
	e, ok := b.Term(kind, code)
	return ok && e.Active
}

// Codes returns the codes of a catalogue's active entries.
func (b *Book) Codes(kind Kind) []string {
	var out []string
	for _, e := range b.Active(kind) {
		out = append(out, e.Code)
	}
	return out
}

// Load reads the catalogues establishmentID sees ("" for the shared
// entries alone) through q.
func Load(ctx context.Context, q db.Querier, establishmentID string) (*Book, error) {
	rows, err := q.Query(ctx, `SELECT kind, establishment_id, code, label_fr, label_en, position, active
		FROM catalogue_entries WHERE establishment_id IN ('', ?)`, establishmentID)
	if err != nil {
		return nil, fmt.Errorf("load catalogues: %w", err)
	}
	defer rows.Close()
	byCode := map[Kind]map[string]Term{}
	for rows.Next() {
		var e Term
		var est string
		if err := rows.Scan(&e.Kind, &est, &e.Code, &e.LabelFR, &e.LabelEN, &e.Position, &e.Active); err != nil {
			return nil, fmt.Errorf("load catalogues: %w", err)
		}
		e.Own = est != ""
		if byCode[e.Kind] == nil {
			byCode[e.Kind] = map[string]Term{}
		}
		if old, ok := byCode[e.Kind][e.Code]; !ok || !old.Own {
			byCode[e.Kind][e.Code] = e
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load catalogues: %w", err)
	}
	b := &Book{lists: map[Kind][]Term{}}
	for kind, m := range byCode {
		list := make([]Term, 0, len(m))
		for _, e := range m {
			list = append(list, e)
		}
		slices.SortFunc(list, func(a, b Term) int {
			if a.Position != b.Position {
				return a.Position - b.Position
			}
			return strings.Compare(a.Code, b.Code)
		})
		b.lists[kind] = list
	}
	return b, nil
}

// EstablishmentOf returns the establishment (root unit) of a unit, "" for
// none (a unit unknown, or an actor without unit).
func EstablishmentOf(ctx context.Context, q db.Querier, unitID string) (string, error) {
	if unitID == "" {
		return "", nil
	}
	var path string
	err := q.QueryRow(ctx, "SELECT path FROM units WHERE id = ?", unitID).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("establishment of unit %s: %w", unitID, err)
	}
	root, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return root, nil
}

// ForUnit loads the catalogues of the establishment of unitID.
func ForUnit(ctx context.Context, q db.Querier, unitID string) (*Book, error) {
	est, err := EstablishmentOf(ctx, q, unitID)
	if err != nil {
		return nil, err
	}
	return Load(ctx, q, est)
}
