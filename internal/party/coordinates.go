package party

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// The lookups below serve the system's own work — attaching an ingested
// interaction to every party it concerns — across the whole organisation.
// They apply no scope (InScope aside): never show their answers to an
// agent as such.

// Owners maps each coordinate (a lower-case email or an E.164 phone) to the
// parties that hold it; a coordinate nobody holds is absent.
type Owners map[string][]string

// OwnersOf finds the parties holding each of the given lower-case emails and
// E.164 phones, personal or professional, favourite or not, with or without
// consent.
func OwnersOf(ctx context.Context, q db.Querier, emails, phones []string) (Owners, error) {
	out := Owners{}
	scan := func(rows *sql.Rows) error {
		var key, id string
		if err := rows.Scan(&key, &id); err != nil {
			return err
		}
		if ids := out[key]; len(ids) == 0 || ids[len(ids)-1] != id {
			out[key] = append(ids, id)
		}
		return nil
	}
	if err := db.EachIn(ctx, q, "SELECT address, party_id FROM party_emails WHERE address IN (%s) ORDER BY address, party_id",
		nil, emails, scan); err != nil {
		return nil, fmt.Errorf("find email owners: %w", err)
	}
	if err := db.EachIn(ctx, q, "SELECT number, party_id FROM party_phones WHERE number IN (%s) ORDER BY number, party_id",
		nil, phones, scan); err != nil {
		return nil, fmt.Errorf("find phone owners: %w", err)
	}
	return out, nil
}

// ClientIDs maps each of the given client numbers that a party holds to
// that party's id.
func ClientIDs(ctx context.Context, q db.Querier, numbers []string) (map[string]string, error) {
	out := map[string]string{}
	err := db.EachIn(ctx, q, "SELECT client_number, id FROM parties WHERE client_number IN (%s)", nil, numbers,
		func(rows *sql.Rows) error {
			var number, id string
			err := rows.Scan(&number, &id)
			out[number] = id
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find client numbers: %w", err)
	}
	return out, nil
}

// InScope returns which of the given ids are parties within scope: a
// party outside it is absent, like one that does not exist.
func InScope(ctx context.Context, q db.Querier, scope core.Scope, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	cond, args := scopeFilter("agency_id", scope)
	err := db.EachIn(ctx, q, "SELECT id FROM parties WHERE 1 = 1"+cond+" AND id IN (%s)", args, unique(ids), func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		out[id] = true
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find parties: %w", err)
	}
	return out, nil
}

// unique returns the valid ids of ids without repeats, sorted.
func unique(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if core.ValidID(id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
