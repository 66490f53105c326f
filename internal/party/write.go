package party

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// partyColumns are the columns every party insert writes, in order.
const partyColumns = "id, kind, status, client_number, first_name, last_name, name, sort_name, birth_date, segment, agency_id, advisor_id, consent_email, consent_sms, consent_phone, created_at, updated_at, version"

// partyArgs returns p's values in the order of partyColumns.
func partyArgs(p *Party) []any {
	return []any{p.ID, p.Kind, p.Status, nullable(p.ClientNumber), p.FirstName, p.LastName, p.Name,
		sortName(p.Kind, p.FirstName, p.LastName, p.Name), nullable(p.BirthDate), p.Segment, p.AgencyID,
		nullable(p.AdvisorID), p.Consents.Email, p.Consents.SMS, p.Consents.Phone,
		core.Millis(p.CreatedAt), core.Millis(p.UpdatedAt), p.Version}
}

// insertParties writes new parties with their coordinates and name index
// entries, using multi-row statements.
func (s *Store) insertParties(ctx context.Context, q db.Querier, ps []*Party) error {
	if len(ps) == 0 {
		return nil
	}
	rows := make([][]any, len(ps))
	columns, tuple := partyColumns, db.Placeholders(18)
	indexColumn, indexValue := s.index.rowColumn()
	if indexColumn != "" {
		columns, tuple = columns+", "+indexColumn, tuple+", "+indexValue
	}
	for i, p := range ps {
		rows[i] = partyArgs(p)
		if indexColumn != "" {
			rows[i] = append(rows[i], searchTerms(p.FirstName, p.LastName, p.Name))
		}
	}
	if err := db.InsertMany(ctx, q, "INSERT INTO parties ("+columns+") VALUES ", "("+tuple+")", rows); err != nil {
		return fmt.Errorf("insert parties: %w", err)
	}
	if err := s.index.added(ctx, q, ps); err != nil {
		return err
	}
	return insertCoordinates(ctx, q, ps)
}

// insertCoordinates writes the emails, phones and addresses of ps, giving
// each a new id.
func insertCoordinates(ctx context.Context, q db.Querier, ps []*Party) error {
	var emails, phones, addrs [][]any
	for _, p := range ps {
		for i := range p.Emails {
			e := &p.Emails[i]
			e.ID = core.NewID()
			emails = append(emails, []any{e.ID, p.ID, e.Address, e.Kind, e.Favorite})
		}
		for i := range p.Phones {
			ph := &p.Phones[i]
			ph.ID = core.NewID()
			phones = append(phones, []any{ph.ID, p.ID, ph.Number, ph.Kind})
		}
		for i := range p.Addresses {
			a := &p.Addresses[i]
			a.ID = core.NewID()
			addrs = append(addrs, []any{a.ID, p.ID, a.Line1, a.Line2, a.PostalCode, a.City, Fold(a.City), a.Country})
		}
	}
	if err := db.InsertMany(ctx, q, "INSERT INTO party_emails (id, party_id, address, kind, favorite) VALUES ",
		"(?, ?, ?, ?, ?)", emails); err != nil {
		return fmt.Errorf("insert emails: %w", err)
	}
	if err := db.InsertMany(ctx, q, "INSERT INTO party_phones (id, party_id, number, kind) VALUES ",
		"(?, ?, ?, ?)", phones); err != nil {
		return fmt.Errorf("insert phones: %w", err)
	}
	if err := db.InsertMany(ctx, q, "INSERT INTO party_addresses (id, party_id, line1, line2, postal_code, city, city_folded, country) VALUES ",
		"(?, ?, ?, ?, ?, ?, ?, ?)", addrs); err != nil {
		return fmt.Errorf("insert addresses: %w", err)
	}
	return nil
}

// errModified is the Conflict of an update based on a stale version.
func errModified(id string) error {
	return core.Errorf(core.Conflict, "party %s was modified by someone else: reload and try again", id)
}

// updateParty rewrites p's row and name index entry, and replaces the
// coordinate lists that differ from old.
func (s *Store) updateParty(ctx context.Context, q db.Querier, old, p *Party) error {
	set := `kind = ?, status = ?, client_number = ?, first_name = ?, last_name = ?, name = ?, sort_name = ?,
		birth_date = ?, segment = ?, agency_id = ?, advisor_id = ?, consent_email = ?, consent_sms = ?,
		consent_phone = ?, updated_at = ?, version = ?`
	args := []any{p.Kind, p.Status, nullable(p.ClientNumber), p.FirstName, p.LastName, p.Name,
		sortName(p.Kind, p.FirstName, p.LastName, p.Name), nullable(p.BirthDate), p.Segment, p.AgencyID,
		nullable(p.AdvisorID), p.Consents.Email, p.Consents.SMS, p.Consents.Phone,
		core.Millis(p.UpdatedAt), p.Version}
	if column, value := s.index.rowColumn(); column != "" {
		set += ", " + column + " = " + value
		args = append(args, searchTerms(p.FirstName, p.LastName, p.Name))
	}
	args = append(args, p.ID, old.Version)
	res, err := q.Exec(ctx, "UPDATE parties SET "+set+" WHERE id = ? AND version = ?", args...)
	if err != nil {
		return fmt.Errorf("update party %s: %w", p.ID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errModified(p.ID)
	}
	if err := s.index.changed(ctx, q, old, p); err != nil {
		return err
	}
	return replaceCoordinates(ctx, q, old, p)
}

// replaceCoordinates rewrites the lists of p that differ from old's, keeping
// the rows (and ids) of unchanged lists.
func replaceCoordinates(ctx context.Context, q db.Querier, old, p *Party) error {
	np := &Party{ID: p.ID}
	if !sameEmails(old.Emails, p.Emails) {
		if _, err := q.Exec(ctx, "DELETE FROM party_emails WHERE party_id = ?", p.ID); err != nil {
			return fmt.Errorf("replace emails: %w", err)
		}
		np.Emails = p.Emails
	} else {
		p.Emails = old.Emails
	}
	if !samePhones(old.Phones, p.Phones) {
		if _, err := q.Exec(ctx, "DELETE FROM party_phones WHERE party_id = ?", p.ID); err != nil {
			return fmt.Errorf("replace phones: %w", err)
		}
		np.Phones = p.Phones
	} else {
		p.Phones = old.Phones
	}
	if !sameAddresses(old.Addresses, p.Addresses) {
		if _, err := q.Exec(ctx, "DELETE FROM party_addresses WHERE party_id = ?", p.ID); err != nil {
			return fmt.Errorf("replace addresses: %w", err)
		}
		np.Addresses = p.Addresses
	} else {
		p.Addresses = old.Addresses
	}
	if err := insertCoordinates(ctx, q, []*Party{np}); err != nil {
		return err
	}
	// insertCoordinates gave new ids to the copies' elements, which share p's arrays.
	return nil
}
