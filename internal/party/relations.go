package party

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Relation is a link from the party being looked at to another party.
// Direction "of" reads "this party is <kind> of Party" (a director of a
// company); "has" reads "this party has Party as <kind>". Household links
// are symmetric and always read "of".
type Relation struct {
	Kind      string  `json:"kind"`
	Direction string  `json:"direction"`
	Party     Summary `json:"party"`
}

// The kinds of relation between parties.
const (
	RelDirector       = "director"       // a person directing an organisation
	RelRepresentative = "representative" // a person representing an organisation
	RelHousehold      = "household"      // two persons sharing a household (foyer)
)

// AddRelation records that party id is <kind> of relatedID: a director or
// representative of an organisation, or in the same household (recorded both
// ways). Both parties must be in the actor's scope (NotFound otherwise).
// Adding an existing relation changes nothing. Requires party.edit; audited
// as party.relate.
func (s *Store) AddRelation(ctx context.Context, actor *core.Actor, id string, kind, relatedID string) error {
	if err := actor.Require(core.PermPartyEdit); err != nil {
		return err
	}
	if kind != RelDirector && kind != RelRepresentative && kind != RelHousehold {
		return core.Fields{"kind": core.OneOf("director", "representative", "household")}.Err()
	}
	if id == relatedID {
		return core.Fields{"related_id": core.Because("self_relation")}.Err()
	}
	now := s.clock.Now()
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := load(ctx, tx, id, actor.Scope)
		if err != nil {
			return err
		}
		r, err := load(ctx, tx, relatedID, actor.Scope)
		if err != nil {
			return err
		}
		if kind != RelHousehold && r.Kind != string(Organization) {
			return core.Fields{"related_id": core.Because("must_be_organization")}.Err()
		}
		if kind == RelHousehold && (p.Kind != string(Person) || r.Kind != string(Person)) {
			return core.Fields{"related_id": core.Because("household_of_persons")}.Err()
		}
		links := [][2]string{{p.ID, r.ID}}
		if kind == RelHousehold {
			links = append(links, [2]string{r.ID, p.ID})
		}
		for _, l := range links {
			var n int
			if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM party_relations WHERE party_id = ? AND related_id = ? AND kind = ?",
				l[0], l[1], kind).Scan(&n); err != nil {
				return fmt.Errorf("check relation: %w", err)
			}
			if n > 0 {
				continue
			}
			if _, err := tx.Exec(ctx, "INSERT INTO party_relations (party_id, related_id, kind, created_at) VALUES (?, ?, ?, ?)",
				l[0], l[1], kind, core.Millis(now)); err != nil {
				return fmt.Errorf("add relation: %w", err)
			}
		}
		return s.log.Record(ctx, tx, actor, "party.relate", "party", p.ID, p.ID,
			map[string]string{"kind": kind, "related_id": r.ID})
	})
}

// Relations lists the parties linked to party id, leaving out those outside
// the actor's scope. Requires party.read and the party in scope.
func (s *Store) Relations(ctx context.Context, actor *core.Actor, id string) ([]Relation, error) {
	if err := s.Visible(ctx, actor, id); err != nil {
		return nil, err
	}
	cond, scopeArgs := scopeFilter("p.agency_id", actor.Scope)
	query := selectSummary + `, r.kind, r.dir FROM (
			SELECT related_id AS other, kind, 'of' AS dir FROM party_relations WHERE party_id = ?
			UNION ALL
			SELECT party_id, kind, 'has' FROM party_relations WHERE related_id = ? AND kind <> 'household'
		) r JOIN parties p ON p.id = r.other JOIN units u ON u.id = p.agency_id
		WHERE 1 = 1` + cond + " ORDER BY r.kind, p.sort_name, p.id"
	rows, err := s.db.Query(ctx, query, append([]any{id, id}, scopeArgs...)...)
	if err != nil {
		return nil, fmt.Errorf("list relations: %w", err)
	}
	out := []Relation{}
	err = eachRow(rows, func() error {
		var rel Relation
		var first, last, name string
		m := &rel.Party
		if err := rows.Scan(&m.ID, &m.Kind, &m.Status, &m.ClientNumber, &first, &last, &name, &m.BirthDate,
			&m.AgencyCode, &m.AgencyName, &m.City, &m.PostalCode, &rel.Kind, &rel.Direction); err != nil {
			return err
		}
		m.DisplayName = displayName(m.Kind, first, last, name)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list relations: %w", err)
	}
	return out, nil
}
