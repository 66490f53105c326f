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
// ingestion, as the integrations would, over the six months before now and
// at the hours things happen: calls in and out during the branch's opening
// hours with every outcome (an unanswered call has no duration, a voicemail
// a short one), customers' emails at any waking hour with the advisor's
// answers in office hours, a few with files, SMS from advisors and
// automated reminders, letters from the early print run, notifications in
// the daytime — including some the restitution rules keep out (short
// outbound calls, private subjects), which are therefore not stored. It
// returns how many interactions were stored.
func SeedHistory(ctx context.Context, d *db.DB, hist *history.Store, now time.Time) (int, error) {
	rows, err := d.Query(ctx, `SELECT p.id, p.first_name, p.last_name, COALESCE(MIN(e.address), ''), COALESCE(MIN(ph.number), ''),
		COALESCE(a.login, 'advisor')
		FROM parties p LEFT JOIN party_emails e ON e.party_id = p.id LEFT JOIN party_phones ph ON ph.party_id = p.id
		LEFT JOIN agents a ON a.id = p.advisor_id
		WHERE p.kind = 'person' GROUP BY p.id, p.first_name, p.last_name, a.login ORDER BY p.id LIMIT ?`, historyParties)
	if err != nil {
		return 0, fmt.Errorf("pick customers: %w", err)
	}
	type target struct{ id, first, last, email, phone, agent string }
	var targets []target
	for rows.Next() {
		var t target
		if err := rows.Scan(&t.id, &t.first, &t.last, &t.email, &t.phone, &t.agent); err != nil {
			rows.Close()
			return 0, err
		}
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	loc := bankZone()
	r := rand.New(rand.NewPCG(7, 11))
	var items []history.Item
	n := 0
	for ti, t := range targets {
		count := 3 + r.IntN(6)
		if ti == 0 {
			count = 40 // the first customer, Hélène Dupré, has a long history
		}
		for k := range count {
			it := history.Item{ExternalID: fmt.Sprintf("demo-%d-%d", ti, k), Agent: t.agent}
			var at time.Time
			switch c := r.IntN(10); {
			case c < 4 && t.phone != "":
				at = moment(r, now, loc, 180, agencyHours)
				it.Source, it.Channel = "telephony", "phone"
				call(r, &it, t.phone)
			case c < 7 && t.email != "":
				it.Source, it.Channel = "agent_mailbox", "email"
				inbound := r.IntN(2) == 0
				emailItem(r, &it, t.first, t.first+" "+t.last, t.email, inbound)
				if it.Direction == history.DirectionInbound {
					at = moment(r, now, loc, 180, customerHours)
				} else {
					at = moment(r, now, loc, 180, agencyHours)
				}
			case c < 8 && t.phone != "":
				it.Source, it.Channel, it.Direction, it.To = "sms", "sms", history.DirectionOutbound, []string{t.phone}
				if r.IntN(3) == 0 {
					at = moment(r, now, loc, 180, agencyHours)
					it.Subject = "SMS de votre conseiller"
					it.Body = smsByAdvisor[r.IntN(len(smsByAdvisor))]
				} else { // sent by the appointment system: nobody behind it
					at = moment(r, now, loc, 180, notificationHours)
					appointment := moment(r, now.AddDate(0, 0, 3), loc, 3, agencyHours)
					it.Subject, it.Agent = "Rappel de rendez-vous", ""
					it.Body = fmt.Sprintf(smsReminders[r.IntN(len(smsReminders))], frenchMoment(appointment))
				}
			case c < 9:
				at = moment(r, now, loc, 180, mailRoomHours)
				it.Source, it.Channel, it.Direction, it.PartyID = "letter", "letter", history.DirectionOutbound, t.id
				it.LetterType = []string{"PND", "PEL", "RPA"}[r.IntN(3)]
				it.Agent = ""
			default:
				at = moment(r, now, loc, 180, notificationHours)
				it.Source, it.Channel, it.Direction, it.PartyID = "notification", "notification", history.DirectionOutbound, t.id
				it.Category = []string{"appointment", "card", "security", "marketing"}[r.IntN(4)]
				it.Subject = map[string]string{"appointment": "Votre rendez-vous est confirmé", "card": "Votre carte a été expédiée",
					"security": "Nouvel appareil connecté à votre espace", "marketing": "Découvrez notre offre épargne"}[it.Category]
				it.Agent = ""
			}
			it.OccurredAt = at.Format(time.RFC3339)
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

// call fills it with a call and how it ended: answered calls last minutes,
// a voicemail under a minute, an unanswered call has no duration; some
// outbound calls are cut short (and kept out by the 40-second rule).
func call(r *rand.Rand, it *history.Item, phone string) {
	seconds := func(n int) *int { return &n }
	if r.IntN(2) == 0 {
		it.Direction, it.From = history.DirectionInbound, phone
		it.Outcome = []string{"answered", "answered", "answered", "unanswered", "voicemail"}[r.IntN(5)]
	} else {
		it.Direction, it.To = history.DirectionOutbound, []string{phone}
		it.Outcome = []string{"answered", "answered", "answered", "unanswered"}[r.IntN(4)]
	}
	switch it.Outcome {
	case "answered":
		it.DurationSeconds = seconds(60 + r.IntN(12*60))
		if it.Direction == history.DirectionOutbound && r.IntN(8) == 0 {
			it.DurationSeconds = seconds(5 + r.IntN(30))
		}
	case "voicemail":
		it.DurationSeconds = seconds(15 + r.IntN(45))
	}
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
