package party

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// ConvertToClient turns prospect id into a client. With an empty client
// number a free 10-digit one is generated; a given one must be free
// (Conflict otherwise). Converting a client again is a Conflict. Requires
// party.edit and the party in scope; audited as party.convert.
func (s *Store) ConvertToClient(ctx context.Context, actor *core.Actor, id, clientNumber string) (Party, error) {
	if err := actor.Require(core.PermPartyEdit); err != nil {
		return Party{}, err
	}
	number := normalizeNumber(clientNumber)
	if number != "" && !validNumber(number) {
		return Party{}, core.Fields{"client_number": core.Because("number_format", "max", 32)}.Err()
	}
	now := s.clock.Now()
	var out *Party
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		old, err := load(ctx, tx, id, actor.Scope)
		if err != nil {
			return err
		}
		if old.Status == string(Client) {
			return core.Errorf(core.Conflict, "%s is already a client", old.DisplayName)
		}
		p := *old
		p.ClientNumber = number
		if p.ClientNumber == "" {
			if p.ClientNumber = old.ClientNumber; p.ClientNumber == "" {
				if p.ClientNumber, err = freeClientNumber(ctx, tx); err != nil {
					return err
				}
			}
		}
		p.Status, p.UpdatedAt, p.Version = string(Client), now, old.Version+1
		if err := s.updateParty(ctx, tx, old, &p); err != nil {
			return conflictOnNumber(err, p.ClientNumber)
		}
		out = &p
		return s.log.Record(ctx, tx, actor, "party.convert", "party", p.ID, p.ID, map[string]audit.Change{
			"status":        {Old: old.Status, New: p.Status},
			"client_number": {Old: old.ClientNumber, New: p.ClientNumber},
		})
	})
	if err != nil {
		return Party{}, err
	}
	return *out, nil
}

// freeClientNumber draws random 10-digit numbers until one is unused.
func freeClientNumber(ctx context.Context, q db.Querier) (string, error) {
	for range 20 {
		n, err := rand.Int(rand.Reader, big.NewInt(9_000_000_000))
		if err != nil {
			return "", fmt.Errorf("draw client number: %w", err)
		}
		number := fmt.Sprintf("%010d", n.Int64()+1_000_000_000)
		var used int
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM parties WHERE client_number = ?", number).Scan(&used); err != nil {
			return "", fmt.Errorf("check client number: %w", err)
		}
		if used == 0 {
			return number, nil
		}
	}
	return "", core.Errorf(core.Internal, "no free client number found")
}
