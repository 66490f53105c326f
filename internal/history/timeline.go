package history

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// Entry is one line of a party's timeline.
type Entry struct {
	ID         string     `json:"id"`
	Channel    string     `json:"channel" enum:"phone,email,sms,letter,face_to_face,video,chat,web_form,notification,case,survey"`
	Direction  string     `json:"direction" enum:"inbound,outbound"`
	Outcome    string     `json:"outcome,omitempty" enum:"answered,unanswered,voicemail"`
	OccurredAt time.Time  `json:"occurred_at"`
	Source     string     `json:"source"`
	Subject    string     `json:"subject,omitempty"`
	LetterType string     `json:"letter_type,omitempty"`      // letters: the type's code, e.g. PND
	Category   string     `json:"category,omitempty"`         // notifications: appointment, card…
	Label      string     `json:"label,omitempty"`            // letters: the type's label from the catalogue
	Duration   *int       `json:"duration_seconds,omitempty"` // calls: how long the conversation lasted
	Agent      *AgentRef  `json:"agent"`
	Report     *ReportRef `json:"report"`      // the meeting report attached, when there is one
	SharedWith int        `json:"shared_with"` // how many other parties have it in their history
}

// AgentRef names the agent who took part; agents of support units show as
// the support service, and agents who left keep their name.
type AgentRef struct {
	Login string `json:"login"`
	Name  string `json:"name"`
}

// ReportRef is the summary of a meeting report on a timeline line.
type ReportRef struct {
	ID          string `json:"id"`
	Reason      string `json:"reason"`
	ReasonLabel string `json:"reason_label"` // in the reader's language
	Comment     string `json:"comment"`      // whole
	Orphan      bool   `json:"orphan"`       // matched no captured exchange: the line is the report's own
}

// Filter selects timeline lines; empty fields match everything.
type Filter struct {
	Channel   string
	Direction string
	From, To  time.Time // occurred within [From, To)
	Agent     string    // login
	Source    string    // the integration that pushed it, e.g. telephony
	Cursor    string
	Limit     int // 50 by default, at most 200
}

// Page is one page of a timeline, newest first.
type Page struct {
	Items      []Entry `json:"items"`
	NextCursor string  `json:"next_cursor,omitempty"`
}

// Timeline returns a party's interactions newest first. The party must be
// in the actor's scope (else NotFound, as for a party that does not exist);
// the consultation is written to the audit log. Requires history.read and
// party.read.
func (s *Store) Timeline(ctx context.Context, actor *core.Actor, partyID string, f Filter) (Page, error) {
	if err := actor.Require(core.PermHistoryRead); err != nil {
		return Page{}, err
	}
	if err := actor.Require(core.PermPartyRead); err != nil {
		return Page{}, err
	}
	if !core.ValidID(partyID) {
		return Page{}, core.Errorf(core.NotFound, "party %s not found", partyID)
	}
	// The consultation is written to the audit log while the lines are read,
	// and the lines are returned only once it is committed: the trace costs
	// the slower of the two rather than their sum. An attempt on a party out
	// of scope is traced too.
	audited := make(chan error, 1)
	go func() {
		audited <- s.log.Record(ctx, s.db.Traces(), actor, "history.timeline", "party", partyID, partyID, nil)
	}()
	page, err := s.timeline(ctx, actor, partyID, f)
	if auditErr := <-audited; err == nil && auditErr != nil {
		return Page{}, auditErr
	}
	return page, err
}

// timeline reads a page of a party's timeline within the actor's scope.
func (s *Store) timeline(ctx context.Context, actor *core.Actor, partyID string, f Filter) (Page, error) {
	limit := core.PageLimit(f.Limit, 50, 200)
	// The scope is checked in the query itself; only an empty page needs the
	// one-row check to tell "nothing yet" from "not yours".
	scope, scopeArgs := party.ScopeCondition("p.agency_id", actor.Scope)
	inScope := ""
	if scope != "" {
		inScope = " JOIN parties p ON p.id = ip.party_id" + scope
	}
	q := `SELECT i.id, i.channel, i.direction, i.outcome, ip.occurred_at, i.source, i.subject, i.letter_type, i.category, i.duration_seconds,
		COALESCE(a.login, ''), COALESCE(a.name, ''), COALESCE(u.support, FALSE), i.agent_login_raw,
		i.party_count - 1,
		COALESCE(r.id, ''), COALESCE(r.reason, ''), COALESCE(r.comment, ''), COALESCE(r.status, '')
		FROM interaction_parties ip JOIN interactions i ON i.id = ip.interaction_id
		LEFT JOIN agents a ON a.id = i.agent_id LEFT JOIN units u ON u.id = a.unit_id
		LEFT JOIN reports r ON r.interaction_id = i.id` + inScope + `
		WHERE ip.party_id = ?`
	args := append(scopeArgs, partyID)
	if f.Channel != "" {
		q += " AND i.channel = ?"
		args = append(args, f.Channel)
	}
	if f.Direction != "" {
		q += " AND i.direction = ?"
		args = append(args, f.Direction)
	}
	if !f.From.IsZero() {
		q += " AND ip.occurred_at >= ?"
		args = append(args, core.Millis(f.From))
	}
	if !f.To.IsZero() {
		q += " AND ip.occurred_at < ?"
		args = append(args, core.Millis(f.To))
	}
	if f.Agent != "" {
		q += " AND (a.login = ? OR i.agent_login_raw = ?)"
		args = append(args, strings.ToLower(f.Agent), f.Agent)
	}
	if f.Source != "" {
		q += " AND i.source = ?"
		args = append(args, f.Source)
	}
	q, args, err := db.NewestFirst(q, args, "ip.occurred_at", "ip.interaction_id", f.Cursor, limit)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("timeline of %s: %w", partyID, err)
	}
	defer rows.Close()
	page := Page{Items: []Entry{}}
	labels := &readerCatalogue{books: s.books, q: s.db, actor: actor}
	for rows.Next() {
		var e Entry
		var at int64
		var login, name, raw string
		var support bool
		var rep ReportRef
		var status string
		var duration sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Channel, &e.Direction, &e.Outcome, &at, &e.Source, &e.Subject, &e.LetterType, &e.Category, &duration,
			&login, &name, &support, &raw, &e.SharedWith, &rep.ID, &rep.Reason, &rep.Comment, &status); err != nil {
			return Page{}, err
		}
		if rep.ID != "" {
			rep.Orphan = status == Orphan
			e.Report = &rep
		}
		e.OccurredAt = core.FromMillis(at)
		if duration.Valid {
			n := int(duration.Int64)
			e.Duration = &n
		}
		if e.LetterType != "" {
			e.Label, _ = s.rules.Letter(e.LetterType)
		}
		e.Agent = agentRef(login, name, raw, support)
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	rows.Close()
	labels.labelEntries(ctx, page.Items)
	if len(page.Items) == 0 {
		if err := s.parties.Visible(ctx, actor, partyID); err != nil {
			return Page{}, err
		}
	}
	page.Items, page.NextCursor = db.NewestPage(page.Items, limit, func(e Entry) (time.Time, string) { return e.OccurredAt, e.ID })
	return page, nil
}
