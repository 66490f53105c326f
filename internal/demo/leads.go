package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/events"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/outbox"
	"github.com/rapport-crm/rapport/internal/party"
)

// LeadsDeps are what SeedLeads needs of the application.
type LeadsDeps struct {
	DB      *db.DB
	Orgs    *org.Store
	Parties *party.Store
	Outbox  *outbox.Outbox
	Events  *events.Bus
}

// LeadsSummary counts what SeedLeads created.
type LeadsSummary struct {
	Rules, Leads, Answered int
	Within24h              int // answered within 24 business hours
	Unassigned             int // still waiting for an agent
}

// leadsPerDemo is how many leads the demo holds by default.
const leadsPerDemo = 150

// leadSource is where the demo's leads come from: a source, its group, the
// products asked for, how often, and when people use it.
type leadSource struct {
	source, group string
	products      []string
	weight        int
	hours         map[time.Weekday][]span
	form          bool // sent through the public lead form (else by the partner's API)
}

func leadSources() []leadSource {
	return []leadSource{
		{source: "Site web", group: "Internet", products: []string{"current_account", "savings", "card", "insurance", "consumer_loan"},
			weight: 5, hours: customerHours, form: true},
		{source: "Simulateur crédit immobilier", group: "Internet", products: []string{"home_loan"}, weight: 4, hours: customerHours},
		{source: "Comparateur", group: "Partenaires", products: []string{"consumer_loan", "insurance", "home_loan"}, weight: 3,
			hours: customerHours},
		{source: "Courtier", group: "Partenaires", products: []string{"home_loan"}, weight: 2, hours: agencyHours},
		{source: "Agence", group: "Réseau", products: []string{"savings", "life_insurance", "home_loan"}, weight: 2, hours: agencyHours},
		{source: "Salon de l'immobilier", group: "Réseau", products: []string{"home_loan", "life_insurance"}, weight: 1,
			hours: agencyHours},
	}
}

// demoLeadRules are the sample bank's distribution rules: mortgage
// simulations to the contact centre, open late and on Saturdays; then each
// agency's postal codes.
func demoLeadRules() []leads.RuleInput {
	rules := []leads.RuleInput{{Source: "Simulateur crédit immobilier", Product: "home_loan", UnitCode: contactCentreCode}}
	for _, a := range agencyPlans() {
		seen := map[string]bool{}
		for _, pc := range a.postcodes {
			if prefix := pc[:2]; !seen[prefix] {
				seen[prefix] = true
				rules = append(rules, leads.RuleInput{PostalCodePrefix: prefix, UnitCode: a.code})
			}
		}
	}
	return rules
}

// SeedLeads fills the demo bank's leads as of now: its distribution rules,
// then n leads (0: 150) received over the last 30 days at the hours people
// send them, routed and given by round-robin as they arrived (those
// received while the unit was closed at its next opening), most answered
// by their agent — a call, an email, an appointment — after a realistic
// delay, some with an automatic acknowledgment first, a few still waiting.
// Everything goes through the leads store with the demo's clock moved to
// each moment, so the response times are the store's own.
func SeedLeads(ctx context.Context, deps LeadsDeps, now time.Time, n int) (LeadsSummary, error) {
	if n <= 0 {
		n = leadsPerDemo
	}
	clock := &movableClock{t: now.UTC()}
	logger := slog.New(slog.DiscardHandler)
	store := leads.NewStore(leads.Deps{DB: deps.DB, Clock: clock, Audit: audit.New(deps.DB, clock), Orgs: deps.Orgs,
		Parties: deps.Parties, Outbox: deps.Outbox, Events: deps.Events, Logger: logger})
	s := &leadSeeder{store: store, orgs: deps.Orgs, clock: clock, now: now.UTC(), loc: bankZone(),
		r: rand.New(rand.NewPCG(2026, 12)), actors: map[string]*core.Actor{}}
	sys := core.System()
	rules, err := store.SaveRules(ctx, sys, bankCode, demoLeadRules())
	if err != nil {
		return LeadsSummary{}, fmt.Errorf("demo lead rules: %w", err)
	}
	plans := make([]leadPlan, n)
	for i := range plans {
		plans[i] = s.plan(i)
	}
	// Arrivals in time order, so round-robin and waiting leads unfold as they would.
	sortPlans(plans)
	sum := LeadsSummary{Rules: len(rules)}
	for i := range plans {
		if err := s.receive(ctx, &plans[i]); err != nil {
			return sum, err
		}
		sum.Leads++
	}
	for _, p := range plans {
		answered, err := s.answer(ctx, p)
		if err != nil {
			return sum, err
		}
		if answered {
			sum.Answered++
		}
	}
	clock.set(now)
	if _, err := s.assignWaiting(ctx); err != nil {
		return sum, err
	}
	page, err := store.List(ctx, sys, leads.Filter{Unassigned: true, Limit: 200})
	if err != nil {
		return sum, err
	}
	sum.Unassigned = len(page.Leads)
	sum.Within24h, err = s.within24h(ctx)
	return sum, err
}

// leadPlan is one lead of the demo: what arrives and how it is answered.
type leadPlan struct {
	in       leads.Input
	form     bool
	received time.Time
	answer   bool          // the agent answers it
	delay    time.Duration // after the clock start, in opening time roughly
	kind     string
	ack      bool // an automatic acknowledgment is sent first
	id       string
	assigned string // the agent's login once assigned
}

// leadSeeder tells the demo's leads through the store.
type leadSeeder struct {
	store  *leads.Store
	orgs   *org.Store
	clock  *movableClock
	now    time.Time
	loc    *time.Location
	r      *rand.Rand
	actors map[string]*core.Actor
}

func (s *leadSeeder) plan(i int) leadPlan {
	src := pickSource(s.r, leadSources())
	agency := agencyPlans()[s.r.IntN(len(agencyPlans()))]
	first, last, _ := PersonName(s.r)
	p := leadPlan{form: src.form, received: moment(s.r, s.now, s.loc, 30, src.hours)}
	p.in = leads.Input{Source: src.source, SourceGroup: src.group, ExternalID: fmt.Sprintf("DEMO-%05d", i+1),
		FirstName: first, LastName: last, PostalCode: agency.postcodes[s.r.IntN(len(agency.postcodes))],
		Product: src.products[s.r.IntN(len(src.products))]}
	p.in.Email = fmt.Sprintf("%s.%s%d@example.fr", slug(first), strings.ReplaceAll(slug(last), "-", ""), s.r.IntN(90)+10)
	if s.r.IntN(3) > 0 {
		for range 20 { // a mobile number the phone rules accept
			p.in.Phone = fmt.Sprintf("06 %02d %02d %02d %02d", 10+s.r.IntN(90), s.r.IntN(100), s.r.IntN(100), s.r.IntN(100))
			if _, err := party.NormalizePhone(p.in.Phone); err == nil {
				break
			}
			p.in.Phone = ""
		}
	}
	p.in.Message = leadMessages[p.in.Product][s.r.IntN(len(leadMessages[p.in.Product]))]
	p.answer = s.r.IntN(100) < 90
	p.delay = responseDelay(s.r)
	p.kind = weightedKind(s.r)
	p.ack = src.form && s.r.IntN(100) < 60
	return p
}

// responseDelay draws how long an agent takes to answer: most within the
// hour, some the same day, a few the next days.
func responseDelay(r *rand.Rand) time.Duration {
	switch x := r.IntN(100); {
	case x < 38:
		return time.Duration(4+r.IntN(55)) * time.Minute
	case x < 68:
		return time.Duration(60+r.IntN(300)) * time.Minute
	case x < 86:
		return time.Duration(6*60+r.IntN(18*60)) * time.Minute
	case x < 95:
		return time.Duration(24*60+r.IntN(24*60)) * time.Minute
	default:
		return time.Duration(48*60+r.IntN(48*60)) * time.Minute
	}
}

func weightedKind(r *rand.Rand) string {
	switch x := r.IntN(100); {
	case x < 45:
		return leads.KindCall
	case x < 80:
		return leads.KindEmail
	case x < 90:
		return leads.KindAppointment
	case x < 96:
		return leads.KindTask
	default:
		return leads.KindMailing
	}
}

func pickSource(r *rand.Rand, sources []leadSource) leadSource {
	total := 0
	for _, s := range sources {
		total += s.weight
	}
	x := r.IntN(total)
	for _, s := range sources {
		if x < s.weight {
			return s
		}
		x -= s.weight
	}
	return sources[0]
}

func sortPlans(plans []leadPlan) {
	slices.SortStableFunc(plans, func(a, b leadPlan) int { return a.received.Compare(b.received) })
}

// receive creates the lead at its receipt: by the public form or by the
// partner's API; waiting leads of earlier arrivals are given first when
// their unit has opened since.
func (s *leadSeeder) receive(ctx context.Context, p *leadPlan) error {
	s.clock.set(p.received)
	if _, err := s.assignWaiting(ctx); err != nil {
		return err
	}
	in := p.in
	at := p.received
	in.ReceivedAt = &at
	var l leads.Lead
	var err error
	if p.form {
		in.ExternalID, in.ReceivedAt = "", nil
		l, err = s.store.CreateFromForm(ctx, bankCode, in)
	} else {
		var partner *core.Actor
		if partner, err = s.actor(ctx, "admin"); err == nil { // the integration's token is the administrator's
			l, _, err = s.store.Create(ctx, partner, in)
		}
	}
	if err != nil {
		return fmt.Errorf("demo lead %s: %w", p.in.ExternalID, err)
	}
	p.id = l.ID
	return nil
}

// answer records, once its delay has passed, the agent's answer (and the
// automatic acknowledgment sent first); a lead whose answer would come
// after now is left waiting.
func (s *leadSeeder) answer(ctx context.Context, p leadPlan) (bool, error) {
	sys := core.System()
	l, err := s.store.Get(ctx, sys, p.id)
	if err != nil {
		return false, err
	}
	if p.ack {
		at := l.ReceivedAt.Add(time.Minute)
		s.clock.set(at)
		if _, _, err := s.store.RecordActivity(ctx, sys, l.ID, leads.ActivityInput{Kind: leads.KindEmail, CompletedAt: &at,
			Automatic: true}); err != nil {
			return false, fmt.Errorf("demo lead acknowledgment: %w", err)
		}
	}
	at := openingLater(l.ClockStartAt.In(s.loc), p.delay)
	if !p.answer || !at.Before(s.now.Add(-10*time.Minute)) {
		return false, nil
	}
	s.clock.set(at)
	if _, err := s.assignWaiting(ctx); err != nil {
		return false, err
	}
	if l, err = s.store.Get(ctx, sys, p.id); err != nil {
		return false, err
	}
	if l.Assignee == nil {
		return false, nil
	}
	agent, err := s.actor(ctx, l.Assignee.Login)
	if err != nil {
		return false, err
	}
	if _, _, err := s.store.RecordActivity(ctx, agent, l.ID, leads.ActivityInput{Kind: p.kind, CompletedAt: &at}); err != nil {
		return false, fmt.Errorf("demo lead answer: %w", err)
	}
	return true, nil
}

// openingLater is start plus d counted in the agencies' opening hours
// (an approximation of the units' business hours, enough for the demo).
func openingLater(start time.Time, d time.Duration) time.Time {
	t, left := start, d
	for i := 0; left > 0 && i < 24*60*14; i++ {
		if within(t, agencyHours) {
			left -= time.Minute
		}
		t = t.Add(time.Minute)
	}
	return t
}

// assignWaiting gives the leads that waited to agents now available (the
// store's periodic job, run by hand at the demo's moments).
func (s *leadSeeder) assignWaiting(ctx context.Context) (int, error) {
	return s.store.AssignWaiting(ctx)
}

func (s *leadSeeder) actor(ctx context.Context, login string) (*core.Actor, error) {
	if a, ok := s.actors[login]; ok {
		return a, nil
	}
	agent, err := s.orgs.AgentByLogin(ctx, login)
	if err != nil {
		return nil, err
	}
	a, err := s.orgs.Actor(ctx, agent.ID)
	if err != nil {
		return nil, err
	}
	s.actors[login] = a
	return a, nil
}

// within24h counts the leads answered within 24 business hours.
func (s *leadSeeder) within24h(ctx context.Context) (int, error) {
	n, cursor := 0, ""
	for {
		page, err := s.store.List(ctx, core.System(), leads.Filter{Status: leads.StatusAnswered, Cursor: cursor, Limit: 200})
		if err != nil {
			return n, err
		}
		for _, l := range page.Leads {
			if l.ResponseMinutes != nil && *l.ResponseMinutes <= 24*60 {
				n++
			}
		}
		if page.Next == "" {
			return n, nil
		}
		cursor = page.Next
	}
}

// leadMessages are what prospects write, by product.
var leadMessages = map[string][]string{
	"home_loan": {
		"Nous cherchons à acheter un appartement de 70 m² à 320 000 €, avec un apport de 40 000 €. Quel taux sur 25 ans ?",
		"Projet de maison neuve, compromis signé la semaine dernière. Je souhaite une simulation rapidement.",
		"Rachat de crédit immobilier : mon taux actuel est de 3,9 %, est-il possible de renégocier ?",
		"Premier achat, primo-accédant, je voudrais connaître ma capacité d'emprunt.",
	},
	"consumer_loan": {
		"Je souhaite financer une voiture d'occasion de 15 000 € sur 48 mois.",
		"Travaux de rénovation énergétique (isolation, pompe à chaleur) : quel prêt proposez-vous ?",
	},
	"insurance": {
		"Je voudrais un devis d'assurance habitation pour un T3 en location.",
		"Comparaison d'assurance auto : pouvez-vous me faire une proposition ?",
	},
	"savings": {
		"J'aimerais ouvrir un livret pour mes enfants.",
		"Je viens de toucher un héritage et souhaite des conseils pour le placer.",
	},
	"current_account": {
		"Je déménage dans la région et souhaite ouvrir un compte.",
		"Ouverture d'un compte joint avec ma compagne, quels documents fournir ?",
	},
	"card": {"Je voudrais une carte avec des plafonds plus élevés pour mes voyages."},
	"life_insurance": {
		"Je souhaite préparer ma retraite, l'assurance vie est-elle adaptée ?",
		"Rencontrés au salon : merci de me rappeler pour l'assurance vie.",
	},
}
