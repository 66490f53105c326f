package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// MaxLabel is the longest label, in characters.
const MaxLabel = 100

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Store reads the catalogues and saves what administrators change.
type Store struct {
	db    *db.DB
	clock core.Clock
	log   *audit.Log
	books *Books // the catalogues read, per establishment, shared with the history (Books)
}

// NewStore returns a catalogue store.
func NewStore(d *db.DB, clock core.Clock, log *audit.Log) *Store {
	return &Store{db: d, clock: clock, log: log, books: &Books{}}
}

// Books is the cache of catalogues this store reads and drops when it
// saves; a store that labels with the catalogues shares it.
func (s *Store) Books() *Books { return s.books }

// Book returns the catalogues of the actor's establishment.
func (s *Store) Book(ctx context.Context, actor *core.Actor) (*Book, error) {
	unit := ""
	if actor != nil {
		unit = actor.UnitID
	}
	return s.books.ForUnit(ctx, s.db, unit)
}

// Establishment is an establishment whose catalogue an administrator edits.
type Establishment struct {
	ID   string `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// establishmentByCode finds a root unit by code; any other unit is NotFound.
func establishmentByCode(ctx context.Context, q db.Querier, code string) (Establishment, error) {
	var e Establishment
	err := q.QueryRow(ctx, "SELECT id, code, name FROM units WHERE code = ? AND parent_id IS NULL",
		strings.TrimSpace(code)).Scan(&e.ID, &e.Code, &e.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return e, core.Errorf(core.NotFound, "no establishment has the code %q", code)
	}
	if err != nil {
		return e, fmt.Errorf("establishment %s: %w", code, err)
	}
	return e, nil
}

// ReportReasons returns an establishment's report-reason catalogue as its
// administrators edit it, inactive entries included. Requires admin.
func (s *Store) ReportReasons(ctx context.Context, actor *core.Actor, establishmentCode string) (Establishment, []Term, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Establishment{}, nil, err
	}
	e, err := establishmentByCode(ctx, s.db, establishmentCode)
	if err != nil {
		return Establishment{}, nil, err
	}
	b, err := Load(ctx, s.db, e.ID)
	if err != nil {
		return Establishment{}, nil, err
	}
	return e, b.Terms(ReportReasons), nil
}

// TermInput is a report reason as an administrator writes it: a new code,
// or an existing code's labels and whether it may still be chosen. A code
// is never renamed nor deleted, as reports keep it.
type TermInput struct {
	Code    string `json:"code"`
	LabelFR string `json:"label_fr"`
	LabelEN string `json:"label_en"`
	Active  bool   `json:"active"`
}

// Validate names every field at fault: a code of 2 to 40 lower-case
// letters, digits or _, and both labels.
func (in TermInput) Validate() error {
	f := core.Fields{}
	if !codePattern.MatchString(in.Code) {
		f.Add("code", core.Because("catalogue_code"))
	}
	for field, label := range map[string]string{"label_fr": in.LabelFR, "label_en": in.LabelEN} {
		if label == "" || utf8.RuneCountInString(label) > MaxLabel {
			f.Add(field, core.RequiredUpTo(MaxLabel))
		}
		core.CheckText(f, field, label, MaxLabel)
	}
	return f.Err()
}

// SaveReportReason adds a reason to an establishment's catalogue, or
// changes the labels or the active flag of one it sees (a shared reason
// gets the establishment's own row, so other establishments keep theirs).
// Audited with before and after. Requires admin.
func (s *Store) SaveReportReason(ctx context.Context, actor *core.Actor, establishmentCode string, in TermInput) (Term, error) {
	if err := actor.Require(core.PermAdmin); err != nil {
		return Term{}, err
	}
	in.Code = strings.TrimSpace(in.Code)
	in.LabelFR, in.LabelEN = strings.TrimSpace(in.LabelFR), strings.TrimSpace(in.LabelEN)
	if err := in.Validate(); err != nil {
		return Term{}, err
	}
	var out Term
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		est, err := establishmentByCode(ctx, tx, establishmentCode)
		if err != nil {
			return err
		}
		if err := cache.Bump(ctx, tx, CacheName); err != nil {
			return err
		}
		tx.AfterCommit(s.books.Drop)
		b, err := Load(ctx, tx, est.ID)
		if err != nil {
			return err
		}
		before, existed := b.Term(ReportReasons, in.Code)
		out = Term{Kind: ReportReasons, Code: in.Code, LabelFR: in.LabelFR, LabelEN: in.LabelEN, Active: in.Active, Own: true}
		now := core.Millis(s.clock.Now())
		switch {
		case existed && before.Own:
			out.Position = before.Position
			_, err = tx.Exec(ctx, `UPDATE catalogue_entries SET label_fr = ?, label_en = ?, active = ?, updated_at = ?
				WHERE kind = ? AND establishment_id = ? AND code = ?`,
				in.LabelFR, in.LabelEN, in.Active, now, string(ReportReasons), est.ID, in.Code)
		default:
			out.Position = before.Position
			if !existed {
				out.Position = len(b.Terms(ReportReasons)) + 1
			}
			_, err = tx.Exec(ctx, `INSERT INTO catalogue_entries (kind, establishment_id, code, label_fr, label_en, position,
				active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				string(ReportReasons), est.ID, in.Code, in.LabelFR, in.LabelEN, out.Position, in.Active, now, now)
		}
		if err != nil {
			return fmt.Errorf("save report reason %s of %s: %w", in.Code, est.Code, err)
		}
		detail := map[string]audit.Change{}
		if !existed {
			detail["code"] = audit.Change{New: in.Code}
		}
		for field, c := range map[string]audit.Change{
			"label_fr": {Old: before.LabelFR, New: in.LabelFR},
			"label_en": {Old: before.LabelEN, New: in.LabelEN},
			"active":   {Old: existed && before.Active, New: in.Active},
		} {
			if c.Old != c.New || !existed {
				detail[field] = c
			}
		}
		return s.log.Record(ctx, tx, actor, "catalogue.report_reason.save", "unit", est.ID, "",
			map[string]any{"code": in.Code, "changes": detail})
	})
	if db.IsUniqueViolation(err) {
		// Added at the same moment by another administrator: save over it.
		return s.SaveReportReason(ctx, actor, establishmentCode, in)
	}
	return out, err
}
