package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
)

// deskSeeder tells the stories of the demo desk's requests through the
// desk store, its clock set to each step's moment.
type deskSeeder struct {
	store *desk.Store
	d     *db.DB
	clock *movableClock
	now   time.Time
	loc   *time.Location
	r     *rand.Rand
	units []*deskUnit
}

// deskDays is how far back the demo desk's requests go.
const deskDays = 45

// seed writes n requests, the oldest first.
func (s *deskSeeder) seed(ctx context.Context, n int) error {
	weights := 0
	for _, u := range s.units {
		weights += u.weight
	}
	for i := range n {
		k := s.r.IntN(weights)
		u := s.units[0]
		for _, c := range s.units {
			if k < c.weight {
				u = c
				break
			}
			k -= c.weight
		}
		// A fifth of the requests arrived in the last two days: the desk's
		// new and unread ones.
		days := deskDays
		if i%5 == 0 {
			days = 2
		}
		if err := s.story(ctx, u, deskTopics[s.r.IntN(len(deskTopics))], days); err != nil {
			return err
		}
	}
	return nil
}

// story is one request from its arrival to where it stands now.
func (s *deskSeeder) story(ctx context.Context, u *deskUnit, t deskTopic, days int) error {
	c := u.customers[s.r.IntN(len(u.customers))]
	agent := u.agents[s.r.IntN(len(u.agents))]
	channel := desk.ChannelEmail
	switch k := s.r.IntN(100); {
	case k < 25 && t.phone:
		channel = desk.ChannelPhone
	case k < 45:
		channel = desk.ChannelWebForm
	}
	hours := customerHours
	if channel == desk.ChannelPhone {
		hours = agencyHours
	}
	at := moment(s.r, s.now, s.loc, days, hours)
	fill := strings.NewReplacer("{prenom}", c.first, "{nom}", c.last, "{conseiller}", agent.Name, "{agence}", u.name).Replace
	in := desk.NewRequest{UnitID: u.id, Channel: channel, Subject: t.subject, Body: fill(t.body),
		CustomerName: c.first + " " + c.last, CustomerEmail: c.email, CustomerPhone: c.phone,
		Priority: t.priority, Reason: t.reason}
	creator := core.System()
	if channel == desk.ChannelPhone {
		creator = agent // who took the call
		in.Body = "Appel de " + in.CustomerName + " : " + strings.ReplaceAll(strings.TrimSuffix(fill(t.body), "\n"), "\n\n", " ")
	}
	if s.r.IntN(3) > 0 && channel != desk.ChannelPhone {
		in.Reason = "" // not qualified yet
	}
	for _, name := range t.files {
		in.Files = append(in.Files, desk.Upload{Name: name, ContentType: "application/pdf", Data: samplePDF(name)})
	}
	s.clock.set(at)
	req, err := s.store.Create(ctx, creator, in)
	if err != nil {
		return fmt.Errorf("demo request %q: %w", t.subject, err)
	}
	if channel == desk.ChannelEmail {
		if err := s.byMail(ctx, req, u, c); err != nil {
			return err
		}
	}
	// The first answer: mostly within the morning or afternoon, sometimes
	// days later (the first-response target missed).
	delay := time.Duration(20+s.r.IntN(240)) * time.Minute
	if s.r.IntN(4) == 0 {
		delay = time.Duration(24+s.r.IntN(72)) * time.Hour
	}
	at = s.opening(at.Add(delay))
	if !s.past(at) {
		return nil // still new and unread
	}
	if err := s.step(at.Add(-3*time.Minute), func() error { _, err := s.store.MarkRead(ctx, agent, req.ID); return err }); err != nil {
		return err
	}
	if s.r.IntN(10) < 7 {
		if err := s.step(at.Add(-2*time.Minute), func() error { _, err := s.store.Assign(ctx, agent, req.ID, agent.Login); return err }); err != nil {
			return err
		}
	}
	if in.Reason == "" && s.r.IntN(2) == 0 {
		reason := t.reason
		if err := s.step(at.Add(-time.Minute), func() error {
			_, err := s.store.Update(ctx, agent, req.ID, desk.Patch{Reason: &reason})
			return err
		}); err != nil {
			return err
		}
	}
	if err := s.step(at, func() error {
		_, err := s.store.Reply(ctx, agent, req.ID, desk.Draft{Body: fill(t.reply)})
		return err
	}); err != nil {
		return err
	}
	if t.note != "" && s.r.IntN(10) < 7 {
		at = at.Add(time.Duration(2+s.r.IntN(15)) * time.Minute)
		if !s.past(at) {
			return nil
		}
		if err := s.step(at, func() error { _, err := s.store.Note(ctx, agent, req.ID, desk.Draft{Body: fill(t.note)}); return err }); err != nil {
			return err
		}
	}
	if t.solicit != nil && s.r.IntN(10) < 7 {
		if at, err = s.solicit(ctx, agent, req.ID, t.solicit, fill, at); err != nil {
			return err
		}
	}
	if t.followUp != "" && s.r.IntN(10) < 6 {
		at = s.next(at.Add(time.Duration(2+s.r.IntN(40))*time.Hour), customerHours)
		if !s.past(at) {
			return nil
		}
		if err := s.customerWrites(ctx, req, u, c, fill(t.followUp), at); err != nil {
			return err
		}
		at = s.opening(at.Add(time.Duration(30+s.r.IntN(600)) * time.Minute))
		if !s.past(at) {
			return nil // the customer's answer is unread
		}
		if err := s.step(at, func() error { _, err := s.store.MarkRead(ctx, agent, req.ID); return err }); err != nil {
			return err
		}
	}
	// Where it ends: mostly closed, some waiting for the customer, some
	// still open.
	at = s.opening(at.Add(time.Duration(1+s.r.IntN(60)) * time.Hour))
	if !s.past(at) {
		return nil
	}
	status := desk.StatusClosed
	switch k := s.r.IntN(100); {
	case k < 15:
		return nil
	case k < 35:
		status = desk.StatusWaiting
	}
	return s.step(at, func() error { _, err := s.store.Update(ctx, agent, req.ID, desk.Patch{Status: &status}); return err })
}

// solicit writes to the topic's outside contact, and sometimes reminds
// them two days later; it returns the time of the last message.
func (s *deskSeeder) solicit(ctx context.Context, agent *core.Actor, requestID string, so *deskSolicitation,
	fill func(string) string, at time.Time) (time.Time, error) {
	at = at.Add(time.Duration(10+s.r.IntN(50)) * time.Minute)
	if !s.past(at) {
		return at, nil
	}
	var sid string
	err := s.step(at, func() error {
		sol, _, err := s.store.Solicit(ctx, agent, requestID, desk.Draft{To: so.to, Subject: fill(so.subject), Body: fill(so.body)})
		sid = sol.ID
		return err
	})
	if err != nil || so.reminder == "" || s.r.IntN(2) == 0 {
		return at, err
	}
	next := s.opening(at.Add(48 * time.Hour))
	if !s.past(next) {
		return at, nil
	}
	return next, s.step(next, func() error {
		_, err := s.store.ReplySolicitation(ctx, agent, requestID, sid, desk.Draft{Body: fill(so.reminder)})
		return err
	})
}

// byMail makes an email request look as it came: through the unit's
// mailbox, addressed to it, with the customer's Message-ID.
func (s *deskSeeder) byMail(ctx context.Context, req desk.Request, u *deskUnit, c deskCustomer) error {
	if _, err := s.d.Exec(ctx, "UPDATE desk_requests SET mailbox_id = ? WHERE id = ?", u.mailboxID, req.ID); err != nil {
		return fmt.Errorf("demo email request: %w", err)
	}
	_, err := s.d.Exec(ctx, "UPDATE desk_messages SET mailbox_id = ?, to_emails = ?, message_id = ? WHERE request_id = ? AND kind = 'inbound'",
		u.mailboxID, u.address, s.mailID(c.email), req.ID)
	if err != nil {
		return fmt.Errorf("demo email request: %w", err)
	}
	return nil
}

// customerWrites adds the customer's answer to the request's thread, as
// the intake would have: unread, the request reopened if it was waiting.
func (s *deskSeeder) customerWrites(ctx context.Context, req desk.Request, u *deskUnit, c deskCustomer, body string, at time.Time) error {
	ms := core.Millis(at)
	return s.d.WithTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO desk_messages (id, request_id, mailbox_id, kind, message_id, from_name, from_email,
			to_emails, subject, body_text, flags, created_at) VALUES (?, ?, ?, 'inbound', ?, ?, ?, ?, ?, ?, 'unread', ?)`,
			core.NewID(), req.ID, u.mailboxID, s.mailID(c.email), c.first+" "+c.last, c.email, u.address,
			"Re: "+req.Subject+" [#"+req.Reference+"]", body, ms)
		if err != nil {
			return fmt.Errorf("demo customer answer: %w", err)
		}
		_, err = tx.Exec(ctx, `UPDATE desk_requests SET unread = unread + 1, last_message_at = ?, updated_at = ?,
			status = CASE WHEN status = 'waiting' THEN 'open' ELSE status END WHERE id = ?`, ms, ms, req.ID)
		return err
	})
}

// mailID is a Message-ID as the customer's mail provider would make it.
func (s *deskSeeder) mailID(email string) string {
	_, domain, _ := strings.Cut(email, "@")
	return fmt.Sprintf("%016x.%d@%s", s.r.Uint64(), s.r.IntN(1000), domain)
}

// step runs fn with the clock at t.
func (s *deskSeeder) step(t time.Time, fn func() error) error {
	s.clock.set(t)
	return fn()
}

// past reports whether t is before now, with a margin.
func (s *deskSeeder) past(t time.Time) bool { return t.Before(s.now.Add(-10 * time.Minute)) }

// opening returns t, or the next minute the agencies are open after it.
func (s *deskSeeder) opening(t time.Time) time.Time { return s.next(t, agencyHours) }

// next returns t, or the next quarter of an hour within hours after it.
func (s *deskSeeder) next(t time.Time, hours map[time.Weekday][]span) time.Time {
	local := t.In(s.loc).Truncate(time.Minute)
	for range 7 * 24 * 4 {
		if within(local, hours) {
			return local
		}
		local = local.Add(15 * time.Minute)
	}
	return local
}
