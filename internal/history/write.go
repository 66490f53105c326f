package history

import (
	"context"
	"database/sql"
	"fmt"
	"mime"
	netmail "net/mail"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// interactionColumns and linkColumns are the columns the ingestion writes
// to interactions and interaction_parties, in the order of its rows.
var (
	interactionColumns = []string{"id", "source", "external_id", "channel", "direction", "outcome", "occurred_at",
		"duration_seconds", "agent_id", "agent_login_raw", "flags", "subject", "body", "category", "letter_type",
		"created_at", "establishment_id", "party_count"}
	linkColumns = []string{"party_id", "occurred_at", "interaction_id", "role", "coordinate"}
)

// stored is an interaction already in the history, with its parties.
type stored struct {
	id      string
	parties []string
}

// write stores the valid items of a batch within tx, filling their results.
// What it needs to know — items already stored, agents, parties named and
// holders of the coordinates — is read once for the whole batch, and the
// rows are written with COPY on PostgreSQL (in the bulk transaction Ingest
// opens) and multi-row inserts otherwise (db.InsertRows).
//
// The pushing actor's scope applies: a party_id outside it is refused as
// if it did not exist, and the answer names only the parties within it.
// An interaction is still linked to every party holding one of its
// coordinates, in scope or not (one exchange appears in the history of
// everyone it concerns, so their own advisors see it); the pusher just
// does not learn who they are.
func (s *Store) write(ctx context.Context, tx *db.Tx, actor *core.Actor, establishment string, items []checked, idx []int, results []Result) error {
	known, err := alreadyStored(ctx, tx, items)
	if err != nil {
		return err
	}
	agents, err := agentIDs(ctx, tx, items)
	if err != nil {
		return err
	}
	who, err := newIdentifier(ctx, tx, actor.Scope, items, known)
	if err != nil {
		return err
	}
	now := core.Millis(s.clock.Now())
	var interactions, links, unmatched [][]any
	var arrivals []arrival
	var fresh []StoredInteraction
	for n, c := range items {
		res := &results[idx[n]]
		res.PartyIDs, res.Reasons = []string{}, nil
		if st, ok := known[c.Source+"\x00"+c.ExternalID]; ok {
			res.Status, res.InteractionID, res.PartyIDs = Duplicate, st.id, who.shown(st.parties)
			continue
		}
		if id := strings.TrimSpace(c.PartyID); id != "" && !who.visible[id] {
			why := core.Fields{"party_id": core.Because("party_not_found")}
			res.Status, res.Reason, res.Reasons = Rejected, core.Summary(why.Err()), why
			continue
		}
		var flags []string
		agentID := agents[strings.ToLower(strings.TrimSpace(c.Agent))]
		if c.Agent != "" && agentID == "" {
			flags = append(flags, "unknown_agent")
		}
		ls, um := who.identify(c.Item)
		if len(ls) == 0 {
			flags = append(flags, "unattached")
		}
		id, at := core.NewID(), core.Millis(c.at)
		var duration, agent any
		if c.DurationSeconds != nil {
			duration = *c.DurationSeconds
		}
		if agentID != "" {
			agent = agentID
		}
		interactions = append(interactions, []any{id, c.Source, c.ExternalID, c.Channel, c.Direction, c.Outcome, at,
			duration, agent, c.Agent, strings.Join(flags, " "), DecodeSubject(c.Subject), c.Body, c.Category,
			strings.ToUpper(c.LetterType), now, establishment, len(ls)})
		linked := make([]string, 0, len(ls))
		for _, l := range ls {
			links = append(links, []any{l.partyID, at, id, l.role, l.coordinate})
			linked = append(linked, l.partyID)
		}
		res.PartyIDs = who.shown(linked)
		for _, u := range um {
			unmatched = append(unmatched, []any{u.coordinate, id, u.role})
		}
		res.Status, res.InteractionID, res.Reason = Stored, id, strings.Join(flags, " ")
		if len(res.PartyIDs) == 0 && len(linked) > 0 {
			// Linked only to parties the pusher may not know of: to the
			// pusher it reads as unattached, so it cannot tell them apart.
			res.Reason = strings.TrimSpace(res.Reason + " unattached")
		}
		arrivals = append(arrivals, arrival{id, agentID, c.Channel, c.Direction, c.at, linked})
		fresh = append(fresh, StoredInteraction{InteractionID: id, Source: c.Source, Channel: c.Channel, Direction: c.Direction,
			Outcome: c.Outcome, AgentID: agentID, At: c.at, PartyIDs: linked})
	}
	if err := db.InsertRows(ctx, tx, "interactions", interactionColumns, interactions); err != nil {
		return fmt.Errorf("insert interactions: %w", err)
	}
	if err := db.InsertRows(ctx, tx, "interaction_parties", linkColumns, links); err != nil {
		return fmt.Errorf("link interactions: %w", err)
	}
	if err := db.InsertRows(ctx, tx, "interaction_unmatched", []string{"coordinate", "interaction_id", "role"}, unmatched); err != nil {
		return fmt.Errorf("keep unmatched coordinates: %w", err)
	}
	if err := insertAttachments(ctx, tx, items, idx, results); err != nil {
		return fmt.Errorf("store attachments: %w", err)
	}
	if err := s.reconcileArrivals(ctx, tx, arrivals); err != nil {
		return err
	}
	return s.tellStored(ctx, tx, fresh)
}

// alreadyStored finds the items of the batch stored before, by source and
// external id, with their parties in id order.
func alreadyStored(ctx context.Context, q db.Querier, items []checked) (map[string]*stored, error) {
	bySource := map[string][]string{}
	for _, c := range items {
		bySource[c.Source] = append(bySource[c.Source], c.ExternalID)
	}
	out := map[string]*stored{}
	for source, ids := range bySource {
		err := db.EachIn(ctx, q, `SELECT i.external_id, i.id, COALESCE(ip.party_id, '') FROM interactions i
			LEFT JOIN interaction_parties ip ON ip.interaction_id = i.id
			WHERE i.source = ? AND i.external_id IN (%s) ORDER BY i.external_id, ip.party_id`, []any{source}, ids,
			func(rows *sql.Rows) error {
				var ext, id, pid string
				if err := rows.Scan(&ext, &id, &pid); err != nil {
					return err
				}
				key := source + "\x00" + ext
				st := out[key]
				if st == nil {
					st = &stored{id: id, parties: []string{}}
					out[key] = st
				}
				if pid != "" {
					st.parties = append(st.parties, pid)
				}
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("find stored interactions of %s: %w", source, err)
		}
	}
	return out, nil
}

// agentIDs maps the lower-cased logins the items name to agent ids; a
// login nobody has is absent.
func agentIDs(ctx context.Context, q db.Querier, items []checked) (map[string]string, error) {
	var logins []string
	seen := map[string]bool{}
	for _, c := range items {
		if l := strings.ToLower(strings.TrimSpace(c.Agent)); l != "" && !seen[l] {
			seen[l] = true
			logins = append(logins, l)
		}
	}
	out := map[string]string{}
	err := db.EachIn(ctx, q, "SELECT login, id FROM agents WHERE login IN (%s)", nil, logins, func(rows *sql.Rows) error {
		var login, id string
		err := rows.Scan(&login, &id)
		out[login] = id
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find agents: %w", err)
	}
	return out, nil
}

// link is a party an interaction concerns, how, and through which
// coordinate (empty when named by id or client number).
type link struct{ partyID, role, coordinate string }

// unmatchedCoordinate is a coordinate of an interaction no party holds yet.
type unmatchedCoordinate struct{ coordinate, role string }

// identifier knows, for a batch, which client numbers are named, who
// holds each coordinate and which of those parties are in the pushing
// actor's scope.
type identifier struct {
	visible map[string]bool // party id → in scope (absent: not in scope or not a party)
	clients map[string]string
	owners  party.Owners
}

// shown keeps the parties of ids the pushing actor may know of.
func (w *identifier) shown(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if w.visible[id] {
			out = append(out, id)
		}
	}
	return out
}

// newIdentifier reads at once what identifying the items of a batch needs:
// client numbers, holders of coordinates, and which parties (those, the
// ids named and the parties of known items) are within scope.
func newIdentifier(ctx context.Context, q db.Querier, scope core.Scope, items []checked, known map[string]*stored) (*identifier, error) {
	var ids, numbers, emails, phones []string
	for _, c := range items {
		if id := strings.TrimSpace(c.PartyID); id != "" {
			ids = append(ids, id)
		}
		if n := strings.TrimSpace(c.ClientNumber); n != "" {
			numbers = append(numbers, n)
		}
		for _, co := range coordinates(c.Item) {
			if strings.Contains(co.coordinate, "@") {
				emails = append(emails, co.coordinate)
			} else {
				phones = append(phones, co.coordinate)
			}
		}
	}
	var w identifier
	var err error
	if w.clients, err = party.ClientIDs(ctx, q, numbers); err != nil {
		return nil, err
	}
	if w.owners, err = party.OwnersOf(ctx, q, emails, phones); err != nil {
		return nil, err
	}
	// Parties found through the database exist; only the ids items name
	// must be looked up, and the others too only when the scope is limited.
	var found []string
	for _, id := range w.clients {
		found = append(found, id)
	}
	for _, owners := range w.owners {
		found = append(found, owners...)
	}
	for _, st := range known {
		found = append(found, st.parties...)
	}
	if !scope.All {
		ids = append(ids, found...)
	}
	if w.visible, err = party.InScope(ctx, q, scope, ids); err != nil {
		return nil, err
	}
	if scope.All {
		for _, id := range found {
			w.visible[id] = true
		}
	}
	return &w, nil
}

// coordinates lists an item's sender and recipients as lower-case emails
// and E.164 phones, with their roles; what is neither is left out.
func coordinates(it Item) []unmatchedCoordinate {
	var out []unmatchedCoordinate
	add := func(raw, role string) {
		raw = strings.TrimSpace(raw)
		switch {
		case raw == "":
		case strings.Contains(raw, "@"):
			out = append(out, unmatchedCoordinate{emailOf(raw), role})
		default:
			if e164, err := party.NormalizePhone(raw); err == nil {
				out = append(out, unmatchedCoordinate{e164, role})
			}
		}
	}
	add(it.From, "from")
	for _, t := range it.To {
		add(t, "to")
	}
	for _, c := range it.Cc {
		add(c, "cc")
	}
	return out
}

// emailOf returns the lower-cased address of an email coordinate, written
// bare (zoe@example.com) or with a display name ("Zoé" <zoe@example.com>,
// an encoded name included).
func emailOf(raw string) string {
	if strings.ContainsAny(raw, "<\"(") {
		dec := netmail.AddressParser{WordDecoder: &mime.WordDecoder{}}
		if a, err := dec.Parse(raw); err == nil {
			return strings.ToLower(a.Address)
		}
	}
	return strings.ToLower(raw)
}

// identify finds the parties an item concerns: the party named by id or
// client number, and every party holding its sender's or a recipient's
// email or phone. Each party is linked once, with its first role; the
// coordinates nobody holds are returned to be kept.
func (w *identifier) identify(it Item) ([]link, []unmatchedCoordinate) {
	var links []link
	has := map[string]bool{}
	add := func(id, role, coordinate string) {
		if id != "" && !has[id] {
			has[id] = true
			links = append(links, link{id, role, coordinate})
		}
	}
	if id := strings.TrimSpace(it.PartyID); w.visible[id] {
		add(id, "party", "")
	}
	// A client number outside the scope names nobody, as an unknown one.
	if id := w.clients[strings.TrimSpace(it.ClientNumber)]; w.visible[id] {
		add(id, "party", "")
	}
	var unmatched []unmatchedCoordinate
	kept := map[string]bool{}
	for _, c := range coordinates(it) {
		ids := w.owners[c.coordinate]
		for _, id := range ids {
			add(id, c.role, c.coordinate)
		}
		if len(ids) == 0 && !kept[c.coordinate] {
			kept[c.coordinate] = true
			unmatched = append(unmatched, c)
		}
	}
	return links, unmatched
}
