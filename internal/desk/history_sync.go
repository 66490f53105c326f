package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/jobs"
)

// jobHistory copies a request's mail to its party's timeline.
const jobHistory = "desk.history"

// HistorySource is the history source of the desk's mail and requests.
const HistorySource = "desk"

// queueHistory asks, in tx, for the request's messages to be copied to
// its party's timeline (done by a job, idempotent: each message is one
// interaction of source "desk" keyed by its id).
func (s *Store) queueHistory(ctx context.Context, tx *db.Tx, requestID string) error {
	if s.jobs == nil {
		return nil
	}
	_, err := s.jobs.Insert(ctx, tx, jobs.NewJob{Kind: jobHistory, Args: map[string]string{"request_id": requestID}})
	return err
}

// Ingester is what the desk needs of the history: its ingestion.
type Ingester interface {
	Ingest(ctx context.Context, actor *core.Actor, items []history.Item) ([]history.Result, error)
}

// SetHistory makes the desk copy the messages of requests linked to a
// party into the party's timeline through h.
func (s *Store) SetHistory(h Ingester) {
	s.history = h
	if s.jobs != nil {
		s.jobs.Handle(jobHistory, s.runHistory)
	}
}

func (s *Store) runHistory(ctx context.Context, j jobs.Job) error {
	var args struct {
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(j.Args, &args); err != nil {
		return fmt.Errorf("desk.history args: %w", err)
	}
	r, err := s.get(ctx, s.db, core.Scope{All: true}, args.RequestID)
	if err != nil || r.PartyID == "" {
		return nil // gone or unlinked since: nothing to copy
	}
	msgs, err := s.messages(ctx, r.ID)
	if err != nil {
		return err
	}
	var items []history.Item
	for _, m := range msgs {
		if m.Kind == KindNote || m.SolicitationID != "" || (m.Kind == KindOutbound && m.Status == SendFailed) {
			continue // notes and solicitations are internal to the desk
		}
		it := history.Item{Source: HistorySource, ExternalID: m.ID, OccurredAt: m.CreatedAt.Format("2006-01-02T15:04:05.000Z07:00"),
			PartyID: r.PartyID, Subject: truncate(m.Subject, core.MaxSubject), Body: truncate(firstNonEmpty(m.Text, m.HTML), core.MaxBody)}
		switch r.Channel {
		case ChannelEmail:
			it.Channel = "email"
		case ChannelWebForm:
			it.Channel = "web_form"
		case ChannelChat:
			it.Channel = "chat"
		default:
			it.Channel = "phone"
		}
		if m.Kind == KindInbound {
			it.Direction = "inbound"
		} else {
			it.Direction = "outbound"
			it.Channel = "email"
			if m.Agent != nil {
				it.Agent = m.Agent.Login
			}
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return nil
	}
	_, err = s.history.Ingest(ctx, core.System(), items)
	return err
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func truncate(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max])
}
