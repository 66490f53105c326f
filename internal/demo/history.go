package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
)

// historyParties is how many customers get a contact history.
const historyParties = 1500

// SeedHistory pushes a contact history for the first customers through the
// ingestion, as the integrations would: calls in and out with every outcome,
// emails, SMS, letters and notifications over the six months before now —
// including some the restitution rules keep out (short outbound calls,
// private subjects), which are therefore not stored. It returns how many
// interactions were stored.
func SeedHistory(ctx context.Context, d *db.DB, hist *history.Store, now time.Time) (int, error) {
	rows, err := d.Query(ctx, `SELECT p.id, COALESCE(MIN(e.address), ''), COALESCE(MIN(ph.number), ''), COALESCE(a.login, 'advisor')
		FROM parties p LEFT JOIN party_emails e ON e.party_id = p.id LEFT JOIN party_phones ph ON ph.party_id = p.id
		LEFT JOIN agents a ON a.id = p.advisor_id
		WHERE p.kind = 'person' GROUP BY p.id, a.login ORDER BY p.id LIMIT ?`, historyParties)
	if err != nil {
		return 0, fmt.Errorf("pick customers: %w", err)
	}
	type target struct{ id, email, phone, agent string }
	var targets []target
	for rows.Next() {
		var t target
		if err := rows.Scan(&t.id, &t.email, &t.phone, &t.agent); err != nil {
			rows.Close()
			return 0, err
		}
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(7, 11))
	var items []history.Item
	n := 0
	for ti, t := range targets {
		count := 3 + r.IntN(6)
		if ti == 0 {
			count = 40 // the first customer, Hélène Dupré, has a long history
		}
		for k := range count {
			at := now.Add(-time.Duration(r.IntN(180*24*60)) * time.Minute).Truncate(time.Minute)
			it := history.Item{ExternalID: fmt.Sprintf("demo-%d-%d", ti, k), OccurredAt: at.Format(time.RFC3339), Agent: t.agent}
			switch c := r.IntN(10); {
			case c < 4 && t.phone != "":
				it.Source, it.Channel = "telephony", "phone"
				secs := r.IntN(900)
				it.DurationSeconds = &secs
				if r.IntN(2) == 0 {
					it.Direction, it.From = history.DirectionInbound, t.phone
					it.Outcome = []string{"answered", "answered", "unanswered", "voicemail"}[r.IntN(4)]
				} else {
					it.Direction, it.To = history.DirectionOutbound, []string{t.phone}
				}
			case c < 7 && t.email != "":
				it.Source, it.Channel = "agent_mailbox", "email"
				it.Subject = []string{"Votre demande de prêt immobilier", "RE: Rendez-vous de jeudi", "Justificatifs de domicile",
					"TR: Relevé annuel", "Perso - photos des vacances", "Votre nouvelle carte"}[r.IntN(6)]
				if r.IntN(2) == 0 {
					it.Direction, it.From = history.DirectionInbound, t.email
				} else {
					it.Direction, it.To = history.DirectionOutbound, []string{t.email}
				}
			case c < 8 && t.phone != "":
				it.Source, it.Channel, it.Direction, it.To = "sms", "sms", history.DirectionOutbound, []string{t.phone}
				it.Subject = "Rappel : votre rendez-vous en agence"
			case c < 9:
				it.Source, it.Channel, it.Direction, it.PartyID = "letter", "letter", history.DirectionOutbound, t.id
				it.LetterType = []string{"PND", "PEL", "RPA"}[r.IntN(3)]
			default:
				it.Source, it.Channel, it.Direction, it.PartyID = "notification", "notification", history.DirectionOutbound, t.id
				it.Category = []string{"appointment", "card", "security", "marketing"}[r.IntN(4)]
				it.Subject = "Notification automatique"
				it.Agent = ""
			}
			items = append(items, it)
			if len(items) == 1000 {
				stored, err := ingest(ctx, hist, items)
				if err != nil {
					return n, err
				}
				n += stored
				items = items[:0]
			}
		}
	}
	stored, err := ingest(ctx, hist, items)
	return n + stored, err
}

func ingest(ctx context.Context, hist *history.Store, items []history.Item) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	res, err := hist.Ingest(ctx, core.System(), items)
	if err != nil {
		return 0, fmt.Errorf("ingest the demo history: %w", err)
	}
	n := 0
	for _, r := range res {
		switch r.Status {
		case history.Stored:
			n++
		case history.Rejected:
			return n, fmt.Errorf("demo interaction %s rejected: %s", r.ExternalID, r.Reason)
		}
	}
	return n, nil
}
