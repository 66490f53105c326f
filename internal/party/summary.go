package party

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/db"
)

// selectSummary reads the columns scanSummary expects, from parties p joined
// to their agency u; the city is the one of the party's first address.
const selectSummary = `SELECT p.id, p.kind, p.status, COALESCE(p.client_number, ''), p.first_name, p.last_name, p.name,
	COALESCE(p.birth_date, ''), u.code, u.name,
	COALESCE((SELECT ad.city FROM party_addresses ad WHERE ad.party_id = p.id ORDER BY ad.id LIMIT 1), ''),
	COALESCE((SELECT ad.postal_code FROM party_addresses ad WHERE ad.party_id = p.id ORDER BY ad.id LIMIT 1), '')`

func scanSummary(r scanner) (Summary, error) {
	var m Summary
	var first, last, name string
	err := r.Scan(&m.ID, &m.Kind, &m.Status, &m.ClientNumber, &first, &last, &name, &m.BirthDate,
		&m.AgencyCode, &m.AgencyName, &m.City, &m.PostalCode)
	m.DisplayName = displayName(m.Kind, first, last, name)
	return m, err
}

// querySummaries runs a query starting with selectSummary and returns its
// rows, each marked with what matched.
func querySummaries(ctx context.Context, q db.Querier, match, query string, args ...any) ([]Summary, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("search parties by %s: %w", match, err)
	}
	out := []Summary{}
	err = eachRow(rows, func() error {
		m, err := scanSummary(rows)
		if err != nil {
			return err
		}
		m.Match = match
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search parties by %s: %w", match, err)
	}
	return out, nil
}
