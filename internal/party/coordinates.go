package party

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/db"
)

// Owners maps each coordinate (a lower-case email or an E.164 phone) to the
// parties that hold it; a coordinate nobody holds is absent.
type Owners map[string][]string

// OwnersOf finds, across the whole organisation, the parties holding each
// of the given emails (any case) and E.164 phones, personal or professional,
// favourite or not, with or without consent. It is for the system's own
// work — attaching an ingested interaction to every party it concerns — and
// applies no scope: never show its answer to an agent as such.
func OwnersOf(ctx context.Context, q db.Querier, emails, phones []string) (Owners, error) {
	out := Owners{}
	for _, list := range []struct {
		query string
		keys  []string
	}{
		{"SELECT address, party_id FROM party_emails WHERE address IN (%s) ORDER BY party_id", lowerAll(emails)},
		{"SELECT number, party_id FROM party_phones WHERE number IN (%s) ORDER BY party_id", phones},
	} {
		for start := 0; start < len(list.keys); start += 500 {
			chunk := list.keys[start:min(start+500, len(list.keys))]
			args := make([]any, len(chunk))
			for i, k := range chunk {
				args[i] = k
			}
			rows, err := q.Query(ctx, fmt.Sprintf(list.query, db.Placeholders(len(chunk))), args...)
			if err != nil {
				return nil, fmt.Errorf("find coordinate owners: %w", err)
			}
			for rows.Next() {
				var key, id string
				if err := rows.Scan(&key, &id); err != nil {
					rows.Close()
					return nil, err
				}
				if ids := out[key]; len(ids) == 0 || ids[len(ids)-1] != id {
					out[key] = append(ids, id)
				}
			}
			err = rows.Err()
			rows.Close()
			if err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// IDByClientNumber returns the party with this client number, whatever the
// scope (for the system's own work, like OwnersOf), or "" when none has it.
func IDByClientNumber(ctx context.Context, q db.Querier, number string) (string, error) {
	rows, err := q.Query(ctx, "SELECT id FROM parties WHERE client_number = ?", strings.TrimSpace(number))
	if err != nil {
		return "", fmt.Errorf("find client number: %w", err)
	}
	defer rows.Close()
	var id string
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
	}
	return id, rows.Err()
}

func lowerAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}
