package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// Detail is everything kept of one interaction, for its detail view: the
// timeline line and its body, files, participants and flags.
type Detail struct {
	Entry
	DurationSeconds *int   `json:"duration_seconds,omitempty"`
	Body            string `json:"body" doc:"Sanitized HTML, safe to insert in a page: scripts, images and event handlers removed, links nofollow noopener; a plain text body escaped, its line breaks as <br>"`
	BodyPurged      bool   `json:"body_purged" doc:"The body was removed by retention"`
	UnknownAgent    bool   `json:"unknown_agent" doc:"The integration named an agent login nobody has"`
	Unattached      bool   `json:"unattached" doc:"No party is linked to it (yet)"`
	// Participants are the linked parties the reader may see; the others are
	// left out.
	Participants []Participant    `json:"participants"`
	Unmatched    []Coordinate     `json:"unmatched" doc:"Coordinates of the interaction no party held"`
	Attachments  []AttachmentInfo `json:"attachments"`
}

// Participant is a party an interaction concerns, how, and through which
// email or phone it was recognised ("" when named by id or client number).
type Participant struct {
	PartyID    string `json:"party_id"`
	Name       string `json:"name"`
	Role       string `json:"role" enum:"party,from,to,cc"`
	Coordinate string `json:"coordinate,omitempty"`
}

// Coordinate is an email or phone of an interaction with its role.
type Coordinate struct {
	Coordinate string `json:"coordinate"`
	Role       string `json:"role" enum:"from,to,cc"`
}

// AttachmentInfo describes a file of an interaction; Available is false
// once retention removed its content.
type AttachmentInfo struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Inline      bool   `json:"inline"`
	Available   bool   `json:"available"`
}

// roleOrder sorts participants: named party, sender, recipients, copies.
const roleOrder = "CASE %s WHEN 'party' THEN 0 WHEN 'from' THEN 1 WHEN 'to' THEN 2 ELSE 3 END"

// Interaction returns the detail of interaction id. The actor reads it only
// when one of the parties it is linked to is in their scope, or, for an
// interaction linked to nobody, with the whole organisation in scope;
// otherwise it is NotFound, like an interaction that does not exist. The
// consultation is written to the audit log, once per party shown. Requires
// history.read.
func (s *Store) Interaction(ctx context.Context, actor *core.Actor, id string) (Detail, error) {
	if err := actor.Require(core.PermHistoryRead); err != nil {
		return Detail{}, err
	}
	notFound := core.Errorf(core.NotFound, "interaction %s not found", id)
	if !core.ValidID(id) {
		return Detail{}, notFound
	}
	scope, scopeArgs := readableCondition("i.id", actor.Scope)
	var d Detail
	var at int64
	var login, name, raw, flags, status string
	var support bool
	var duration, purgedAt sql.NullInt64
	var body sql.NullString
	var rep ReportRef
	err := s.db.QueryRow(ctx, `SELECT i.id, i.channel, i.direction, i.outcome, i.occurred_at, i.source, i.subject,
		i.letter_type, i.category, COALESCE(a.login, ''), COALESCE(a.name, ''), COALESCE(u.support, FALSE),
		i.agent_login_raw, i.duration_seconds, i.body, i.body_purged_at, i.flags,
		(SELECT COUNT(*) FROM interaction_parties x WHERE x.interaction_id = i.id),
		COALESCE(r.id, ''), COALESCE(r.reason, ''), COALESCE(r.comment, ''), COALESCE(r.status, '')
		FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id LEFT JOIN units u ON u.id = a.unit_id
		LEFT JOIN reports r ON r.interaction_id = i.id
		WHERE i.id = ?`+scope, append([]any{id}, scopeArgs...)...).Scan(
		&d.ID, &d.Channel, &d.Direction, &d.Outcome, &at, &d.Source, &d.Subject, &d.LetterType, &d.Category,
		&login, &name, &support, &raw, &duration, &body, &purgedAt, &flags, &d.SharedWith,
		&rep.ID, &rep.Reason, &rep.Comment, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return Detail{}, notFound
	}
	if err != nil {
		return Detail{}, fmt.Errorf("read interaction %s: %w", id, err)
	}
	d.OccurredAt = core.FromMillis(at)
	d.Agent = agentRef(login, name, raw, support)
	if d.LetterType != "" {
		d.Label, _ = s.rules.Letter(d.LetterType)
	}
	if rep.ID != "" {
		rep.Orphan = status == Orphan
		d.Report = &rep
	}
	(&readerCatalogue{books: s.books, q: s.db, actor: actor}).labelDetail(ctx, &d)
	d.Unattached = d.SharedWith == 0
	d.SharedWith = max(0, d.SharedWith-1)
	d.UnknownAgent = login == "" && strings.Contains(" "+flags+" ", " unknown_agent ")
	if duration.Valid {
		n := int(duration.Int64)
		d.DurationSeconds = &n
	}
	d.BodyPurged = purgedAt.Valid
	if body.Valid {
		d.Body = content.SafeHTML(body.String)
	}
	if d.Participants, err = participants(ctx, s.db, id, actor.Scope); err != nil {
		return Detail{}, err
	}
	if d.Unmatched, err = unmatchedOf(ctx, s.db, id); err != nil {
		return Detail{}, err
	}
	if d.Attachments, err = attachmentsOf(ctx, s.db, id); err != nil {
		return Detail{}, err
	}
	if err := s.audit(ctx, actor, "history.interaction", "interaction", id, d.Participants, nil); err != nil {
		return Detail{}, err
	}
	return d, nil
}

// readableCondition is the SQL condition, starting with " AND", under
// which the interaction whose id is in column col may be read within scope:
// one of its parties is in the scope. The whole organisation reads every
// interaction, those linked to nobody included.
func readableCondition(col string, scope core.Scope) (string, []any) {
	if scope.All {
		return "", nil
	}
	cond, args := party.ScopeCondition("p.agency_id", scope)
	return ` AND EXISTS (SELECT 1 FROM interaction_parties sp JOIN parties p ON p.id = sp.party_id
		WHERE sp.interaction_id = ` + col + cond + `)`, args
}

// participants lists the parties linked to interaction id that are in
// scope, named party first, then sender, recipients and copies.
func participants(ctx context.Context, q db.Querier, id string, scope core.Scope) ([]Participant, error) {
	cond, args := party.ScopeCondition("p.agency_id", scope)
	rows, err := q.Query(ctx, `SELECT ip.party_id, ip.role, ip.coordinate, p.kind, p.first_name, p.last_name, p.name
		FROM interaction_parties ip JOIN parties p ON p.id = ip.party_id
		WHERE ip.interaction_id = ?`+cond+` ORDER BY `+fmt.Sprintf(roleOrder, "ip.role")+`, p.sort_name, ip.party_id`,
		append([]any{id}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("parties of interaction %s: %w", id, err)
	}
	defer rows.Close()
	out := []Participant{}
	for rows.Next() {
		var p Participant
		var kind, first, last, name string
		if err := rows.Scan(&p.PartyID, &p.Role, &p.Coordinate, &kind, &first, &last, &name); err != nil {
			return nil, err
		}
		p.Name = party.DisplayName(kind, first, last, name)
		out = append(out, p)
	}
	return out, rows.Err()
}

// unmatchedOf lists the coordinates of interaction id that no party held.
func unmatchedOf(ctx context.Context, q db.Querier, id string) ([]Coordinate, error) {
	rows, err := q.Query(ctx, `SELECT coordinate, role FROM interaction_unmatched WHERE interaction_id = ?
		ORDER BY `+fmt.Sprintf(roleOrder, "role")+`, coordinate`, id)
	if err != nil {
		return nil, fmt.Errorf("unmatched coordinates of interaction %s: %w", id, err)
	}
	defer rows.Close()
	out := []Coordinate{}
	for rows.Next() {
		var c Coordinate
		if err := rows.Scan(&c.Coordinate, &c.Role); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// agentRef names the agent of an interaction: agents of support units as
// the support service, known agents by name, else the login as sent.
func agentRef(login, name, raw string, support bool) *AgentRef {
	switch {
	case support:
		return &AgentRef{Name: org.SupportDisplayName}
	case login != "":
		return &AgentRef{Login: login, Name: name}
	case raw != "":
		return &AgentRef{Login: raw, Name: raw}
	}
	return nil
}

// audit records that actor read object (an interaction or one of its
// files): one entry per party shown, so each customer's audit trail has
// it, or one without party for an interaction linked to nobody visible.
func (s *Store) audit(ctx context.Context, actor *core.Actor, action, objectType, objectID string, shown []Participant, detail any) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if len(shown) == 0 {
			return s.log.Record(ctx, tx, actor, action, objectType, objectID, "", detail)
		}
		for _, p := range shown {
			if err := s.log.Record(ctx, tx, actor, action, objectType, objectID, p.PartyID, detail); err != nil {
				return err
			}
		}
		return nil
	})
}
