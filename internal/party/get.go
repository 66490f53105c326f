package party

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// selectParty reads the columns scanParty expects.
const selectParty = `SELECT p.id, p.kind, p.status, COALESCE(p.client_number, ''), p.first_name, p.last_name, p.name,
	COALESCE(p.birth_date, ''), p.segment, p.agency_id, u.code, u.name, COALESCE(p.advisor_id, ''),
	COALESCE(a.login, ''), COALESCE(a.name, ''), p.consent_email, p.consent_sms, p.consent_phone,
	p.created_at, p.updated_at, p.version
	FROM parties p JOIN units u ON u.id = p.agency_id LEFT JOIN agents a ON a.id = p.advisor_id`

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface{ Scan(dest ...any) error }

func scanParty(r scanner) (*Party, error) {
	var p Party
	var created, updated int64
	err := r.Scan(&p.ID, &p.Kind, &p.Status, &p.ClientNumber, &p.FirstName, &p.LastName, &p.Name,
		&p.BirthDate, &p.Segment, &p.AgencyID, &p.AgencyCode, &p.AgencyName, &p.AdvisorID,
		&p.AdvisorLogin, &p.AdvisorName, &p.Consents.Email, &p.Consents.SMS, &p.Consents.Phone,
		&created, &updated, &p.Version)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = core.FromMillis(created), core.FromMillis(updated)
	p.DisplayName = displayName(p.Kind, p.FirstName, p.LastName, p.Name)
	p.Emails, p.Phones, p.Addresses = []Email{}, []Phone{}, []Address{}
	return &p, nil
}

// load reads party id with its coordinates when it is in scope; otherwise
// it answers NotFound, never revealing that the party exists.
func load(ctx context.Context, q db.Querier, id string, scope core.Scope) (*Party, error) {
	if !core.ValidID(id) {
		return nil, core.Errorf(core.NotFound, "party %s not found", id)
	}
	cond, args := scopeFilter("p.agency_id", scope)
	p, err := scanParty(q.QueryRow(ctx, selectParty+" WHERE p.id = ?"+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf(core.NotFound, "party %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load party %s: %w", id, err)
	}
	if err := loadCoordinates(ctx, q, []*Party{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// loadCoordinates fills the emails, phones and addresses of ps.
func loadCoordinates(ctx context.Context, q db.Querier, ps []*Party) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[string]*Party, len(ps))
	ids := make([]any, len(ps))
	for i, p := range ps {
		byID[p.ID] = p
		ids[i] = p.ID
	}
	in := " WHERE party_id IN (" + db.Placeholders(len(ids)) + ") ORDER BY party_id, id"
	rows, err := q.Query(ctx, "SELECT party_id, id, address, kind, favorite FROM party_emails"+in, ids...)
	if err != nil {
		return fmt.Errorf("load emails: %w", err)
	}
	err = eachRow(rows, func() error {
		var pid string
		var e Email
		if err := rows.Scan(&pid, &e.ID, &e.Address, &e.Kind, &e.Favorite); err != nil {
			return err
		}
		byID[pid].Emails = append(byID[pid].Emails, e)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load emails: %w", err)
	}
	rows, err = q.Query(ctx, "SELECT party_id, id, number, kind FROM party_phones"+in, ids...)
	if err != nil {
		return fmt.Errorf("load phones: %w", err)
	}
	err = eachRow(rows, func() error {
		var pid string
		var ph Phone
		if err := rows.Scan(&pid, &ph.ID, &ph.Number, &ph.Kind); err != nil {
			return err
		}
		ph.Display = displayPhone(ph.Number)
		byID[pid].Phones = append(byID[pid].Phones, ph)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load phones: %w", err)
	}
	rows, err = q.Query(ctx, "SELECT party_id, id, line1, line2, postal_code, city, country FROM party_addresses"+in, ids...)
	if err != nil {
		return fmt.Errorf("load addresses: %w", err)
	}
	err = eachRow(rows, func() error {
		var pid string
		var a Address
		if err := rows.Scan(&pid, &a.ID, &a.Line1, &a.Line2, &a.PostalCode, &a.City, &a.Country); err != nil {
			return err
		}
		byID[pid].Addresses = append(byID[pid].Addresses, a)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load addresses: %w", err)
	}
	return nil
}

// eachRow calls fn for every row, then closes rows and reports any error.
func eachRow(rows *sql.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Visible answers nil when the actor may read party id — party.read and
// the party in scope — and NotFound otherwise, exactly as for a party that
// does not exist. It reads one indexed row: the check to make before
// reading what hangs off a party (contracts, relations, history).
func (s *Store) Visible(ctx context.Context, actor *core.Actor, id string) error {
	if err := actor.Require(core.PermPartyRead); err != nil {
		return err
	}
	return visible(ctx, s.db, id, actor.Scope)
}

func visible(ctx context.Context, q db.Querier, id string, scope core.Scope) error {
	if !core.ValidID(id) {
		return core.Errorf(core.NotFound, "party %s not found", id)
	}
	cond, args := scopeFilter("p.agency_id", scope)
	var one int
	err := q.QueryRow(ctx, "SELECT 1 FROM parties p WHERE p.id = ?"+cond, append([]any{id}, args...)...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return core.Errorf(core.NotFound, "party %s not found", id)
	}
	if err != nil {
		return fmt.Errorf("find party %s: %w", id, err)
	}
	return nil
}

// Get returns party id when it is in the actor's scope, NotFound otherwise
// (absent and out of scope look the same). It is not audited: use View for
// what a person looks at.
func (s *Store) Get(ctx context.Context, actor *core.Actor, id string) (Party, error) {
	if err := actor.Require(core.PermPartyRead); err != nil {
		return Party{}, err
	}
	p, err := load(ctx, s.db, id, actor.Scope)
	if err != nil {
		return Party{}, err
	}
	return *p, nil
}

// View is Get for a person opening the party's page: it records in the audit
// log who looked at whom.
func (s *Store) View(ctx context.Context, actor *core.Actor, id string) (Party, error) {
	p, err := s.Get(ctx, actor, id)
	if err != nil {
		return Party{}, err
	}
	if err := s.log.Record(ctx, s.db.Traces(), actor, "party.view", "party", p.ID, p.ID, nil); err != nil {
		return Party{}, err
	}
	return p, nil
}

// Changes returns the latest recorded changes of a party in the actor's
// scope — who created, changed, converted or linked it, when, and what —
// newest first, consultations left out. Requires party.read.
func (s *Store) Changes(ctx context.Context, actor *core.Actor, id string, limit int) ([]audit.Entry, error) {
	if err := s.Visible(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.log.PartyChanges(ctx, id, limit)
}
