package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/jobs"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/secret"
)

// MailDomain is the domain of the demo desk's mailboxes.
const MailDomain = "banque-demo.fr"

// DeskDeps are what SeedDesk needs of the application. Key must be the
// application's secret key: it seals the mailboxes' passwords and signs
// the Message-IDs the customers' replies thread back by.
type DeskDeps struct {
	DB      *db.DB
	Orgs    *org.Store
	Parties *party.Store
	Files   blob.Store
	Books   *catalogue.Books
	Key     *secret.Key
}

// MailServer is the mail server the demo mailboxes fetch from and send
// through (the embedded devmail), without TLS; every login's password is
// Password.
type MailServer struct {
	Host               string
	IMAPPort, SMTPPort int
	Password           string
}

// DeskMailbox is a demo mailbox and the unit it serves.
type DeskMailbox struct {
	Address, Unit string
}

// DeskSummary counts what SeedDesk created.
type DeskSummary struct {
	Mailboxes     []DeskMailbox
	Requests      int
	ByStatus      map[string]int
	ByChannel     map[string]int
	Messages      int
	Solicitations int
	Unread        int
	// Queued are the addresses of the customers whose last reply is left
	// queued: the desk sends it through the mail server once running.
	Queued []string
	// Forms are the public paths of the web forms of the agencies and the contact centre.
	Forms []string
}

// deskRequests is how many requests the demo desk holds by default.
const deskRequests = 360

// movableClock is the clock of the seeding desk store: set to the moment
// each step of a request's story happens.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movableClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t.UTC()
	c.mu.Unlock()
}

// SeedDesk fills the desk of the seeded demo bank as of now: a mailbox per
// agency and for the contact centre on server, and a few hundred customer
// requests by email, web form and telephone over the last six weeks, told
// through the desk store at the hours they happen (customers write at any
// waking hour, agents answer in opening hours): read, taken, answered,
// noted, with solicitations of experts, notaries and estate agents, some
// customers writing again, closed or waiting; the latest still new and
// unread, some answered late. The replies count as sent, except the last
// two, which the desk sends once running. requests is how many (0: 360).
func SeedDesk(ctx context.Context, deps DeskDeps, server MailServer, now time.Time, requests int) (DeskSummary, error) {
	if requests <= 0 {
		requests = deskRequests
	}
	clock := &movableClock{t: now.UTC()}
	log := audit.New(deps.DB, clock)
	store := desk.NewStore(desk.Deps{DB: deps.DB, Clock: clock, Audit: log, Orgs: deps.Orgs, Parties: deps.Parties,
		Files: deps.Files, Jobs: jobs.New(deps.DB, clock, log, nil, jobs.Options{}), Key: deps.Key, Books: deps.Books})
	sum := DeskSummary{ByStatus: map[string]int{}, ByChannel: map[string]int{}}
	units, err := deskUnits(ctx, deps.DB)
	if err != nil {
		return sum, err
	}
	for _, u := range units {
		mb, err := store.SaveMailbox(ctx, core.System(), mailboxOf(u, server))
		if err != nil {
			return sum, fmt.Errorf("demo mailbox %s: %w", u.address, err)
		}
		u.mailboxID = mb.ID
		sum.Mailboxes = append(sum.Mailboxes, DeskMailbox{Address: mb.Address, Unit: u.name})
		form, err := store.SaveForm(ctx, core.System(), desk.Form{Code: "contact-" + strings.ToLower(u.code), UnitCode: u.code,
			Name: "Nous écrire — " + u.name, Fields: []string{"phone", "attachments"}, Active: true,
			Confirmation: "Merci, votre message est bien arrivé à " + u.name + ". Un conseiller vous répond sous 24 heures ouvrées."})
		if err != nil {
			return sum, fmt.Errorf("demo form %s: %w", u.code, err)
		}
		sum.Forms = append(sum.Forms, "/forms/"+form.Code)
		u.formID = form.ID
	}
	if err := loadDeskPeople(ctx, deps.DB, deps.Orgs, units); err != nil {
		return sum, err
	}
	s := &deskSeeder{store: store, d: deps.DB, clock: clock, now: now.UTC(), loc: bankZone(),
		r: rand.New(rand.NewPCG(2026, 10)), units: units}
	if err := s.seed(ctx, requests); err != nil {
		return sum, err
	}
	for _, u := range units {
		if u.formID == "" {
			continue
		}
		if _, err := deps.DB.Exec(ctx, "UPDATE desk_requests SET form_id = ? WHERE unit_id = ? AND channel = 'web_form'", u.formID, u.id); err != nil {
			return sum, err
		}
	}
	if sum.Queued, err = markSent(ctx, deps.DB, 2); err != nil {
		return sum, err
	}
	return sum, countDesk(ctx, deps.DB, &sum)
}

// PointMailboxes points the demo mailboxes at server, whose ports may
// have changed since the last run, and starts their intake afresh: the
// embedded server starts empty, its UIDVALIDITY at 1 again, so the marks
// of the last run would hide the first messages of this one.
func PointMailboxes(ctx context.Context, d *db.DB, server MailServer) error {
	_, err := d.Exec(ctx, `UPDATE desk_mailboxes SET imap_host = ?, imap_port = ?, imap_security = 'none', smtp_host = ?,
		smtp_port = ?, smtp_security = 'none', uid_validity = 0, last_uid = 0, sync_error = '' WHERE address LIKE ?`,
		server.Host, server.IMAPPort, server.Host, server.SMTPPort, "%@"+MailDomain)
	if err != nil {
		return fmt.Errorf("point the demo mailboxes at the mail server: %w", err)
	}
	return nil
}

// DeskMailboxes lists the demo mailboxes, for a run that reuses the data.
func DeskMailboxes(ctx context.Context, d *db.DB) ([]DeskMailbox, error) {
	rows, err := d.Query(ctx, `SELECT m.address, u.name FROM desk_mailboxes m JOIN units u ON u.id = m.unit_id
		WHERE m.address LIKE ? ORDER BY u.path, m.address`, "%@"+MailDomain)
	if err != nil {
		return nil, fmt.Errorf("demo mailboxes: %w", err)
	}
	defer rows.Close()
	var out []DeskMailbox
	for rows.Next() {
		var m DeskMailbox
		if err := rows.Scan(&m.Address, &m.Unit); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// deskUnit is a unit with a mailbox, its agents and its customers.
type deskUnit struct {
	id, code, name, address string
	signature               string
	weight                  int
	mailboxID, formID       string
	agents                  []*core.Actor
	customers               []deskCustomer
}

// deskCustomer is a customer writing to the desk.
type deskCustomer struct {
	first, last, email, phone string
}

// deskUnits returns the agencies and the contact centre with the address
// of their mailbox: agence-lyon@…, relation-clients@….
func deskUnits(ctx context.Context, d *db.DB) ([]*deskUnit, error) {
	rows, err := d.Query(ctx, "SELECT id, code, name FROM units WHERE kind = ? OR code = ? ORDER BY path",
		string(org.KindAgency), contactCentreCode)
	if err != nil {
		return nil, fmt.Errorf("demo desk units: %w", err)
	}
	defer rows.Close()
	var out []*deskUnit
	plans := map[string]*agencyPlan{}
	for _, a := range agencyPlans() {
		plans[a.code] = a
	}
	for rows.Next() {
		u := &deskUnit{}
		if err := rows.Scan(&u.id, &u.code, &u.name); err != nil {
			return nil, err
		}
		if a, ok := plans[u.code]; ok {
			u.address, u.weight = "agence-"+slug(a.city)+"@"+MailDomain, a.weight
			u.signature = u.name + "\nBanque Rhône-Atlantique\n" + a.landline + " 72 00 00 00"
		} else {
			u.address, u.weight = "relation-clients@"+MailDomain, 8
			u.signature = "Centre de relation clients\nBanque Rhône-Atlantique\n09 69 32 00 00 (appel non surtaxé)"
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// mailboxOf is the mailbox of u on server.
func mailboxOf(u *deskUnit, server MailServer) desk.Mailbox {
	return desk.Mailbox{UnitID: u.id, Address: u.address, Name: "Banque Rhône-Atlantique – " + u.name,
		IMAP: desk.IMAPSettings{Host: server.Host, Port: server.IMAPPort, Security: "none", Login: u.address,
			Password: server.Password, Folder: "INBOX"},
		SMTP: desk.SMTPSettings{Host: server.Host, Port: server.SMTPPort, Security: "none", Login: u.address,
			Password: server.Password},
		Signature: u.signature}
}

// loadDeskPeople gives each unit the agents who answer its requests and
// the customers who write to it: an agency's own customers; anyone's for
// the contact centre.
func loadDeskPeople(ctx context.Context, d *db.DB, orgs *org.Store, units []*deskUnit) error {
	byID := map[string]*deskUnit{}
	for _, u := range units {
		byID[u.id] = u
	}
	rows, err := d.Query(ctx, `SELECT a.id, a.unit_id FROM agents a
		WHERE a.active AND a.login NOT IN ('admin', 'manager', 'mchauvin', 'yleguen') ORDER BY a.login`)
	if err != nil {
		return fmt.Errorf("demo desk agents: %w", err)
	}
	type agent struct{ id, unit string }
	var agents []agent
	for rows.Next() {
		var a agent
		if err := rows.Scan(&a.id, &a.unit); err != nil {
			rows.Close()
			return err
		}
		agents = append(agents, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, a := range agents {
		u := byID[a.unit]
		if u == nil {
			continue
		}
		actor, err := orgs.Actor(ctx, a.id)
		if err != nil {
			return fmt.Errorf("demo desk agent %s: %w", a.id, err)
		}
		u.agents = append(u.agents, actor)
	}
	rows, err = d.Query(ctx, `SELECT p.first_name, p.last_name, MIN(e.address), COALESCE(MIN(ph.number), ''), p.agency_id
		FROM parties p JOIN party_emails e ON e.party_id = p.id LEFT JOIN party_phones ph ON ph.party_id = p.id
		WHERE p.kind = 'person' GROUP BY p.id, p.first_name, p.last_name, p.agency_id ORDER BY p.id LIMIT 3000`)
	if err != nil {
		return fmt.Errorf("demo desk customers: %w", err)
	}
	defer rows.Close()
	var centre *deskUnit
	for _, u := range units {
		if u.code == contactCentreCode {
			centre = u
		}
	}
	for i := 0; rows.Next(); i++ {
		var c deskCustomer
		var agency string
		if err := rows.Scan(&c.first, &c.last, &c.email, &c.phone, &agency); err != nil {
			return err
		}
		if u := byID[agency]; u != nil {
			u.customers = append(u.customers, c)
		}
		if centre != nil && i%3 == 0 {
			centre.customers = append(centre.customers, c)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range units {
		if len(u.agents) == 0 {
			return fmt.Errorf("demo desk: no agent in %s", u.code)
		}
	}
	return nil
}

// markSent records the seeded replies and solicitations as sent when they
// were written, as the desk would have, except the last keep replies to
// customers: those stay queued and leave once the demo runs. It returns
// the addresses they go to.
func markSent(ctx context.Context, d *db.DB, keep int) ([]string, error) {
	rows, err := d.Query(ctx, `SELECT id, to_emails FROM desk_messages WHERE kind = 'outbound' AND status = 'queued'
		AND solicitation_id IS NULL ORDER BY created_at DESC LIMIT ?`, keep)
	if err != nil {
		return nil, fmt.Errorf("queued demo replies: %w", err)
	}
	var ids []any
	var to []string
	for rows.Next() {
		var id, addr string
		if err := rows.Scan(&id, &addr); err != nil {
			rows.Close()
			return nil, err
		}
		ids, to = append(ids, id), append(to, addr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	q := "UPDATE desk_messages SET status = 'sent', sent_at = created_at + 2000 WHERE kind = 'outbound' AND status = 'queued'"
	if len(ids) > 0 {
		q += " AND id NOT IN (?" + strings.Repeat(", ?", len(ids)-1) + ")"
	}
	if _, err := d.Exec(ctx, q, ids...); err != nil {
		return nil, fmt.Errorf("mark the demo replies sent: %w", err)
	}
	return to, nil
}

// countDesk fills the summary's counts from the database.
func countDesk(ctx context.Context, d *db.DB, sum *DeskSummary) error {
	rows, err := d.Query(ctx, "SELECT status, channel, COUNT(*), SUM(CASE WHEN unread > 0 THEN 1 ELSE 0 END) FROM desk_requests GROUP BY status, channel")
	if err != nil {
		return fmt.Errorf("count demo requests: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var status, channel string
		var n, unread int
		if err := rows.Scan(&status, &channel, &n, &unread); err != nil {
			return err
		}
		sum.Requests += n
		sum.Unread += unread
		sum.ByStatus[status] += n
		sum.ByChannel[channel] += n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM desk_messages").Scan(&sum.Messages); err != nil {
		return err
	}
	return d.QueryRow(ctx, "SELECT COUNT(*) FROM desk_solicitations").Scan(&sum.Solicitations)
}
