package leads

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// partyOf is the party a lead of est is about: a party of the establishment
// holding the lead's email, else one holding its phone (E.164), the first
// recorded when several do; else a prospect created for it, in the agency
// the lead was routed to (or the first agency below that unit, else of the
// establishment, by code). The prospect is created on the lead's behalf:
// its agency is the lead's, whatever the sender's own scope.
func (s *Store) partyOf(ctx context.Context, tx *db.Tx, actor *core.Actor, est unitRow, unitID string, in Input) (string, error) {
	var emails, phones []string
	if in.Email != "" {
		emails = []string{in.Email}
	}
	if in.Phone != "" {
		phones = []string{in.Phone}
	}
	owners, err := party.OwnersOf(ctx, tx, emails, phones)
	if err != nil {
		return "", err
	}
	for _, coordinate := range []string{in.Email, in.Phone} {
		if coordinate == "" || len(owners[coordinate]) == 0 {
			continue
		}
		id, err := firstOfEstablishment(ctx, tx, est, owners[coordinate])
		if err != nil || id != "" {
			return id, err
		}
	}
	agency, err := prospectAgency(ctx, tx, est, unitID)
	if err != nil {
		return "", err
	}
	p := party.Input{Kind: string(party.Person), Status: string(party.Prospect), FirstName: in.FirstName,
		LastName: in.LastName, AgencyCode: agency}
	if in.Email != "" {
		p.Emails = []party.Email{{Address: in.Email, Kind: "personal", Favorite: true}}
	}
	if in.Phone != "" {
		p.Phones = []party.Phone{{Number: in.Phone, Kind: "mobile"}}
	}
	onBehalf := *actor
	onBehalf.Scope = core.Scope{All: true}
	created, err := s.parties.CreateIn(ctx, tx, &onBehalf, p)
	if err != nil {
		return "", err
	}
	return created.ID, nil
}

// firstOfEstablishment returns the first of ids (UUIDv7: the first
// recorded) whose agency is in est, or "".
func firstOfEstablishment(ctx context.Context, q db.Querier, est unitRow, ids []string) (string, error) {
	first := ""
	err := db.EachIn(ctx, q, `SELECT p.id FROM parties p JOIN units u ON u.id = p.agency_id
		WHERE u.path LIKE ? AND p.id IN (%s) ORDER BY p.id`, []any{est.Path + "%"}, ids, func(rows *sql.Rows) error {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if first == "" || id < first {
			first = id
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("parties of the lead's coordinates: %w", err)
	}
	return first, nil
}

// prospectAgency is the code of the agency a new prospect of a lead routed
// to unitID belongs to: that unit when it is an agency, else the first
// agency below it by code, else the establishment's first.
func prospectAgency(ctx context.Context, q db.Querier, est unitRow, unitID string) (string, error) {
	u, err := unitWhere(ctx, q, "id = ?", unitID)
	if err != nil {
		return "", err
	}
	if u.Kind == "agency" {
		return u.Code, nil
	}
	for _, under := range []string{u.Path, est.Path} {
		var code string
		err := q.QueryRow(ctx, "SELECT code FROM units WHERE kind = 'agency' AND path LIKE ? ORDER BY code LIMIT 1",
			under+"%").Scan(&code)
		if err == nil {
			return code, nil
		}
		if !db.IsNoRows(err) {
			return "", fmt.Errorf("agency of the prospect: %w", err)
		}
	}
	return "", core.Errorf(core.Invalid, "establishment %s has no agency to hold the lead's prospect", est.Code)
}
