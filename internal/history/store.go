package history

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// Store keeps the interaction history.
type Store struct {
	db      *db.DB
	clock   core.Clock
	log     *audit.Log
	parties *party.Store // checks a party is in the reader's scope
	rules   Rules
	// OnExcluded, when set, is told of every item a rule kept out, for the
	// counts per rule in /metrics (excluded items are not stored at all).
	OnExcluded func(Exclusion)
}

// NewStore returns the history store applying rules.
func NewStore(d *db.DB, clock core.Clock, log *audit.Log, parties *party.Store, rules Rules) *Store {
	return &Store{db: d, clock: clock, log: log, parties: parties, rules: rules}
}

// Ingest stores a batch of items in one transaction and says what became of
// each, in order: rejected (a bad field, named), excluded by a restitution
// rule (not stored), duplicate of an item already stored from the same
// source with the same external id, or stored with the parties it concerns.
// A rejected item never makes the others fail. Requires history.write.
func (s *Store) Ingest(ctx context.Context, actor *core.Actor, items []Item) ([]Result, error) {
	if err := actor.Require(core.PermHistoryWrite); err != nil {
		return nil, err
	}
	results := make([]Result, len(items))
	var todo []int
	var valid []checked
	seen := map[string]int{} // source/external id → index of its first item in this batch
	for i, it := range items {
		results[i] = Result{ExternalID: it.ExternalID, PartyIDs: []string{}}
		c, err := check(it)
		if err != nil {
			results[i].Status, results[i].Reason = Rejected, describe(err)
			continue
		}
		if ex := s.rules.exclusion(c); ex != Shown {
			results[i].Status, results[i].Reason = Excluded, string(ex)
			if s.OnExcluded != nil {
				s.OnExcluded(ex)
			}
			continue
		}
		key := c.Source + "\x00" + c.ExternalID
		if _, dup := seen[key]; dup {
			results[i].Status, results[i].Reason = Duplicate, "sent twice in this batch"
			continue
		}
		seen[key] = i
		todo = append(todo, i)
		valid = append(valid, c)
	}
	if len(valid) == 0 {
		return results, nil
	}
	write := func() error {
		return s.db.WithTx(ctx, func(tx *db.Tx) error {
			return s.write(ctx, tx, valid, todo, results)
		})
	}
	err := write()
	if db.IsUniqueViolation(err) {
		// The same item arrived concurrently: this time it reads as a duplicate.
		err = write()
	}
	if err != nil {
		return nil, fmt.Errorf("ingest interactions: %w", err)
	}
	return results, nil
}

// describe turns a validation error into the one-line reason of a result.
func describe(err error) string {
	var e *core.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		parts := make([]string, 0, len(e.Fields))
		for k, v := range e.Fields {
			parts = append(parts, k+": "+v)
		}
		slices.Sort(parts)
		return strings.Join(parts, "; ")
	}
	return core.ErrorMessage(err)
}

// write stores the valid items of a batch within tx, filling their results.
func (s *Store) write(ctx context.Context, tx *db.Tx, items []checked, idx []int, results []Result) error {
	agents := map[string]string{}
	now := core.Millis(s.clock.Now())
	for n, c := range items {
		res := &results[idx[n]]
		res.PartyIDs = []string{}
		if id, parties, ok, err := existing(ctx, tx, c.Source, c.ExternalID); err != nil {
			return err
		} else if ok {
			res.Status, res.InteractionID, res.PartyIDs = Duplicate, id, parties
			continue
		}
		var flags []string
		agentID, err := agentOf(ctx, tx, agents, c.Agent)
		if err != nil {
			return err
		}
		if c.Agent != "" && agentID == "" {
			flags = append(flags, "unknown_agent")
		}
		links, unmatched, err := identify(ctx, tx, c.Item)
		if err != nil {
			return err
		}
		if len(links) == 0 {
			flags = append(flags, "unattached")
		}
		id := core.NewID()
		var duration any
		if c.DurationSeconds != nil {
			duration = *c.DurationSeconds
		}
		var agent any
		if agentID != "" {
			agent = agentID
		}
		at := core.Millis(c.at)
		if _, err := tx.Exec(ctx, `INSERT INTO interactions (id, source, external_id, channel, direction, outcome,
			occurred_at, duration_seconds, agent_id, agent_login_raw, flags, subject, body, category, letter_type, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, c.Source, c.ExternalID, c.Channel, c.Direction, c.Outcome, at, duration, agent, c.Agent,
			strings.Join(flags, " "), DecodeSubject(c.Subject), c.Body, c.Category, strings.ToUpper(c.LetterType), now); err != nil {
			return fmt.Errorf("insert interaction %s/%s: %w", c.Source, c.ExternalID, err)
		}
		for _, l := range links {
			if _, err := tx.Exec(ctx, "INSERT INTO interaction_parties (party_id, occurred_at, interaction_id, role) VALUES (?, ?, ?, ?)",
				l.partyID, at, id, l.role); err != nil {
				return fmt.Errorf("link interaction %s: %w", id, err)
			}
			res.PartyIDs = append(res.PartyIDs, l.partyID)
		}
		for _, u := range unmatched {
			if _, err := tx.Exec(ctx, "INSERT INTO interaction_unmatched (coordinate, interaction_id, role) VALUES (?, ?, ?)",
				u.coordinate, id, u.role); err != nil {
				return fmt.Errorf("keep unmatched coordinate of %s: %w", id, err)
			}
		}
		res.Status, res.InteractionID, res.Reason = Stored, id, strings.Join(flags, " ")
	}
	return nil
}

// existing finds an interaction already stored from source with externalID.
func existing(ctx context.Context, q db.Querier, source, externalID string) (string, []string, bool, error) {
	var id string
	rows, err := q.Query(ctx, `SELECT i.id, COALESCE(ip.party_id, '') FROM interactions i
		LEFT JOIN interaction_parties ip ON ip.interaction_id = i.id
		WHERE i.source = ? AND i.external_id = ? ORDER BY ip.party_id`, source, externalID)
	if err != nil {
		return "", nil, false, fmt.Errorf("find interaction %s/%s: %w", source, externalID, err)
	}
	defer rows.Close()
	parties := []string{}
	found := false
	for rows.Next() {
		var pid string
		if err := rows.Scan(&id, &pid); err != nil {
			return "", nil, false, err
		}
		found = true
		if pid != "" {
			parties = append(parties, pid)
		}
	}
	return id, parties, found, rows.Err()
}

// agentOf resolves a login to an agent id ("" when nobody has it), caching
// the answers of the batch.
func agentOf(ctx context.Context, q db.Querier, cache map[string]string, login string) (string, error) {
	login = strings.TrimSpace(login)
	if login == "" {
		return "", nil
	}
	if id, ok := cache[login]; ok {
		return id, nil
	}
	rows, err := q.Query(ctx, "SELECT id FROM agents WHERE login = ?", strings.ToLower(login))
	if err != nil {
		return "", fmt.Errorf("find agent %q: %w", login, err)
	}
	defer rows.Close()
	var id string
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
	}
	cache[login] = id
	return id, rows.Err()
}

// link is a party an interaction concerns, and how.
type link struct{ partyID, role string }

// unmatchedCoordinate is a coordinate of an interaction no party holds yet.
type unmatchedCoordinate struct{ coordinate, role string }

// identify finds the parties an item concerns: the party named by id or
// client number, and every party holding its sender's or a recipient's
// email or phone. Each party is linked once, with its first role.
func identify(ctx context.Context, q db.Querier, it Item) ([]link, []unmatchedCoordinate, error) {
	var links []link
	has := map[string]bool{}
	add := func(id, role string) {
		if id != "" && !has[id] {
			has[id] = true
			links = append(links, link{id, role})
		}
	}
	if id := strings.TrimSpace(it.PartyID); id != "" {
		var n int
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM parties WHERE id = ?", id).Scan(&n); err != nil {
			return nil, nil, fmt.Errorf("find party %s: %w", id, err)
		}
		if n > 0 {
			add(id, "party")
		}
	}
	if num := strings.TrimSpace(it.ClientNumber); num != "" {
		id, err := party.IDByClientNumber(ctx, q, num)
		if err != nil {
			return nil, nil, err
		}
		add(id, "party")
	}
	type coord struct{ key, role string }
	var coords []coord
	var emails, phones []string
	addCoord := func(raw, role string) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return
		}
		if strings.Contains(raw, "@") {
			key := strings.ToLower(raw)
			coords, emails = append(coords, coord{key, role}), append(emails, key)
			return
		}
		if e164, err := party.NormalizePhone(raw); err == nil {
			coords, phones = append(coords, coord{e164, role}), append(phones, e164)
		}
	}
	addCoord(it.From, "from")
	for _, t := range it.To {
		addCoord(t, "to")
	}
	for _, c := range it.Cc {
		addCoord(c, "cc")
	}
	if len(coords) == 0 {
		return links, nil, nil
	}
	owners, err := party.OwnersOf(ctx, q, emails, phones)
	if err != nil {
		return nil, nil, err
	}
	var unmatched []unmatchedCoordinate
	kept := map[string]bool{}
	for _, c := range coords {
		ids := owners[c.key]
		for _, id := range ids {
			add(id, c.role)
		}
		if len(ids) == 0 && !kept[c.key] {
			kept[c.key] = true
			unmatched = append(unmatched, unmatchedCoordinate{c.key, c.role})
		}
	}
	return links, unmatched, nil
}
