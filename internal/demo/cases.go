package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/desk"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// CasesDeps are what SeedCases needs of the application.
type CasesDeps struct {
	DB      *db.DB
	Orgs    *org.Store
	Parties *party.Store
	History *history.Store
	Desk    *desk.Store
	Files   blob.Store
	Books   *catalogue.Books
}

// CasesSummary counts what SeedCases created.
type CasesSummary struct {
	Contacts, Cases, Open, Tasks, OpenTasks int
	// AdvisorOverdue and AdvisorToday are the demo advisor's open tasks
	// past due and due today: their activity list.
	AdvisorOverdue, AdvisorToday int
}

// casesPerDemo is how many cases the demo holds by default.
const casesPerDemo = 300

// SeedCases fills the demo bank's contacts, cases and tasks as of now:
// the definitions (contact types, three processes, two action plans),
// then over the last five weeks contacts traced by the agencies' advisors
// — complaints, card stops, changes of address, questions — turned into
// cases that went through their steps (letters generated), dunning cases
// opened by the collection system with their follow-up plan, and tasks
// done, overdue or due today, the demo advisor's included. n is how many
// cases (0: 300).
func SeedCases(ctx context.Context, deps CasesDeps, now time.Time, n int) (CasesSummary, error) {
	if n <= 0 {
		n = casesPerDemo
	}
	clock := &movableClock{t: now.UTC()}
	store := cases.NewStore(cases.Deps{DB: deps.DB, Clock: clock, Audit: audit.New(deps.DB, clock), Orgs: deps.Orgs,
		Parties: deps.Parties, History: deps.History, Desk: deps.Desk, Files: deps.Files, Books: deps.Books})
	s := &caseSeeder{store: store, d: deps.DB, orgs: deps.Orgs, clock: clock, now: now.UTC(), loc: bankZone(),
		r: rand.New(rand.NewPCG(2026, 11))}
	if err := s.saveDefinitions(ctx); err != nil {
		return CasesSummary{}, err
	}
	if err := s.loadAgencies(ctx); err != nil {
		return CasesSummary{}, err
	}
	for i := range n {
		if err := s.story(ctx, i); err != nil {
			return CasesSummary{}, err
		}
	}
	if err := s.advisorsDay(ctx); err != nil {
		return CasesSummary{}, err
	}
	clock.set(now)
	return s.summary(ctx)
}

// caseSeeder tells the stories of the demo's cases through the store.
type caseSeeder struct {
	store    *cases.Store
	d        *db.DB
	orgs     *org.Store
	clock    *movableClock
	now      time.Time
	loc      *time.Location
	r        *rand.Rand
	agencies []*caseAgency
	advisor  *core.Actor
}

// caseAgency is an agency with its advisors and customers who hold a
// current account (card stops need their card).
type caseAgency struct {
	id, code  string
	weight    int
	agents    []*core.Actor
	customers []string
}

func (s *caseSeeder) loadAgencies(ctx context.Context) error {
	weights := map[string]int{}
	for _, a := range agencyPlans() {
		weights[a.code] = a.weight
	}
	rows, err := s.d.Query(ctx, "SELECT id, code FROM units WHERE kind = ? ORDER BY path", string(org.KindAgency))
	if err != nil {
		return fmt.Errorf("demo case agencies: %w", err)
	}
	for rows.Next() {
		a := &caseAgency{}
		if err := rows.Scan(&a.id, &a.code); err != nil {
			rows.Close()
			return err
		}
		a.weight = max(weights[a.code], 1)
		s.agencies = append(s.agencies, a)
	}
	rows.Close()
	for _, a := range s.agencies {
		ids, err := s.strings(ctx, "SELECT id FROM agents WHERE unit_id = ? AND active ORDER BY login", a.id)
		if err != nil {
			return err
		}
		for _, id := range ids {
			actor, err := s.orgs.Actor(ctx, id)
			if err != nil {
				return err
			}
			if actor.Can(core.PermCaseManage) {
				a.agents = append(a.agents, actor)
				if actor.Login == "advisor" {
					s.advisor = actor
				}
			}
		}
		a.customers, err = s.strings(ctx, `SELECT p.id FROM parties p WHERE p.agency_id = ? AND p.status = 'client'
			AND EXISTS (SELECT 1 FROM contract_holders h JOIN contracts c ON c.id = h.contract_id
			WHERE h.party_id = p.id AND c.product = 'card') ORDER BY p.id LIMIT 400`, a.id)
		if err != nil {
			return err
		}
		if len(a.agents) == 0 || len(a.customers) == 0 {
			return fmt.Errorf("demo cases: agency %s has no advisor or no customer", a.code)
		}
	}
	if s.advisor == nil {
		return fmt.Errorf("demo cases: no demo advisor")
	}
	return nil
}

func (s *caseSeeder) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.d.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("demo cases: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// agency draws an agency by weight; the demo advisor's is drawn often.
func (s *caseSeeder) agency() *caseAgency {
	total := 0
	for _, a := range s.agencies {
		total += a.weight
	}
	n := s.r.IntN(total)
	for _, a := range s.agencies {
		if n < a.weight {
			return a
		}
		n -= a.weight
	}
	return s.agencies[0]
}

// at sets the store's clock to t and reports whether t has passed.
func (s *caseSeeder) at(t time.Time) bool {
	if !t.Before(s.now.Add(-10 * time.Minute)) {
		return false
	}
	s.clock.set(t)
	return true
}

// later is a moment in agency hours one to days working days after t.
func (s *caseSeeder) later(t time.Time, days int) time.Time {
	next := t.In(s.loc).AddDate(0, 0, 1+s.r.IntN(days))
	for range 10 {
		if len(agencyHours[next.Weekday()]) > 0 {
			break
		}
		next = next.AddDate(0, 0, 1)
	}
	sp := agencyHours[next.Weekday()][0]
	m := sp.from + s.r.IntN(sp.to-sp.from)
	return time.Date(next.Year(), next.Month(), next.Day(), m/60, m%60, 0, 0, s.loc)
}

// story is the life of the i-th case: which kind by turn, opened within
// the last five weeks, carried as far as the time since allows.
func (s *caseSeeder) story(ctx context.Context, i int) error {
	a := s.agency()
	agent := a.agents[s.r.IntN(len(a.agents))]
	customer := a.customers[s.r.IntN(len(a.customers))]
	start := moment(s.r, s.now, s.loc, 35, agencyHours)
	s.clock.set(start)
	switch i % 10 {
	case 0, 1, 2:
		return s.claim(ctx, agent, customer, "claim", start)
	case 3:
		return s.claim(ctx, agent, customer, "card_opposition", start)
	case 4, 5, 6:
		return s.addressChange(ctx, agent, customer, start)
	case 7, 8:
		return s.dunning(ctx, agent, customer, start, i)
	default:
		_, err := s.store.CreateContact(ctx, agent, cases.NewContact{Type: []string{"information", "loan_question", "appointment"}[s.r.IntN(3)],
			PartyID: customer, Comment: "Renseignement donné au client, pas de suite à donner."})
		return err
	}
}

var claimTexts = []string{
	"Conteste des frais de tenue de compte prélevés deux fois ce mois-ci.",
	"Se plaint d'un délai de trois semaines pour recevoir sa nouvelle carte.",
	"Paiement refusé chez un commerçant alors que le compte était créditeur.",
	"Mécontent de l'accueil téléphonique lors de son dernier appel.",
}

func (s *caseSeeder) claim(ctx context.Context, agent *core.Actor, customer, contactType string, start time.Time) error {
	k, err := s.store.CreateContact(ctx, agent, cases.NewContact{Type: contactType, PartyID: customer,
		Comment: claimTexts[s.r.IntN(len(claimTexts))]})
	if core.ErrorCode(err) == core.Invalid {
		return nil // a customer without the contract the type asks for: nothing traced
	}
	if err != nil {
		return err
	}
	c, err := s.store.CaseFromContact(ctx, agent, k.ID, "claim")
	if err != nil {
		return err
	}
	t := s.later(start, 2)
	if !s.at(t) {
		return nil
	}
	if _, err := s.store.RunStep(ctx, agent, c.ID, "qualify", map[string]string{"category": []string{"frais", "carte", "credit", "accueil"}[s.r.IntN(4)],
		"amount": fmt.Sprint(10 + s.r.IntN(190))}, "fr"); err != nil {
		return fmt.Errorf("demo claim qualify: %w", err)
	}
	if t = s.later(t, 6); !s.at(t) {
		return nil
	}
	if s.r.IntN(8) == 0 {
		_, err = s.store.RunStep(ctx, agent, c.ID, "withdraw", nil, "fr")
		return err
	}
	_, err = s.store.RunStep(ctx, agent, c.ID, "answer", map[string]string{"decision": "geste_commercial",
		"answer": "À titre commercial, nous procédons au remboursement des frais contestés, qui apparaîtra sur votre prochain relevé."}, "fr")
	if core.ErrorCode(err) == core.Invalid {
		return nil // a customer without a postal address: no letter can leave, the complaint stays under analysis
	}
	if err != nil {
		return fmt.Errorf("demo claim answer: %w", err)
	}
	return nil
}

func (s *caseSeeder) addressChange(ctx context.Context, agent *core.Actor, customer string, start time.Time) error {
	k, err := s.store.CreateContact(ctx, agent, cases.NewContact{Type: "address_change", PartyID: customer,
		Comment: "Déménagement annoncé en agence ; nouvelle adresse notée, justificatif à fournir."})
	if err != nil {
		return err
	}
	c, err := s.store.CaseFromContact(ctx, agent, k.ID, "address_change")
	if err != nil {
		return err
	}
	run, err := s.store.LaunchPlan(ctx, agent, "address_followup", cases.PlanTarget{CaseID: c.ID})
	if err != nil {
		return fmt.Errorf("demo address plan: %w", err)
	}
	if _, err := s.store.RunStep(ctx, agent, c.ID, "ask_proof", nil, "fr"); err != nil {
		return err
	}
	return s.workThrough(ctx, agent, run, start)
}

// workThrough completes the tasks of a run whose due day has passed, most
// of them: the others are left overdue.
func (s *caseSeeder) workThrough(ctx context.Context, agent *core.Actor, run cases.PlanRun, start time.Time) error {
	for _, t := range run.Tasks {
		due, err := time.ParseInLocation(time.DateOnly, t.DueOn, s.loc)
		if err != nil {
			return err
		}
		done := due.Add(time.Duration(10+s.r.IntN(7)) * time.Hour)
		if done.Before(start) || !s.at(done) || s.r.IntN(5) == 0 {
			continue
		}
		doer := agent
		if t.Assignee == nil {
			if _, err := s.store.TakeTask(ctx, doer, t.ID); err != nil {
				continue // a queue of another unit: its back office works it
			}
		}
		if _, err := s.store.CompleteTask(ctx, doer, t.ID); err != nil && core.ErrorCode(err) != core.Conflict {
			return fmt.Errorf("demo task %s: %w", t.Title, err)
		}
	}
	return nil
}

func (s *caseSeeder) dunning(ctx context.Context, agent *core.Actor, customer string, start time.Time, i int) error {
	c, _, err := s.store.OpenCase(ctx, agent, cases.NewCase{Classification: "dunning", PartyID: customer, Origin: cases.OriginAPI,
		IdempotencyKey: fmt.Sprintf("recouvrement-%s-%d", start.Format("20060102"), i),
		Title:          fmt.Sprintf("Solde débiteur de %d,%02d €", 80+s.r.IntN(900), s.r.IntN(100))})
	if err != nil {
		return err
	}
	run, err := s.store.LaunchPlan(ctx, agent, "dunning_followup", cases.PlanTarget{CaseID: c.ID})
	if err != nil {
		return fmt.Errorf("demo dunning plan: %w", err)
	}
	if t := s.later(start, 1); s.at(t) {
		if _, err := s.store.RunStep(ctx, agent, c.ID, "remind", nil, "fr"); err != nil && core.ErrorCode(err) != core.Conflict &&
			core.ErrorCode(err) != core.Invalid {
			return fmt.Errorf("demo dunning reminder: %w", err)
		}
	}
	return s.workThrough(ctx, agent, run, start)
}

// advisorsDay gives the demo advisor a day's work: calls and a meeting
// due today, a task overdue since last week.
func (s *caseSeeder) advisorsDay(ctx context.Context) error {
	today := s.now.In(s.loc)
	s.clock.set(s.now.Add(-2 * time.Hour))
	customers := s.agencyOf(s.advisor).customers
	for i, t := range []struct {
		kind, title string
		days        int
	}{
		{cases.TaskCall, "Rappeler pour le renouvellement de l'assurance habitation", 0},
		{cases.TaskCall, "Confirmer le rendez-vous de signature du prêt", 0},
		{cases.TaskMeeting, "Rendez-vous bilan épargne", 0},
		{cases.TaskTask, "Préparer l'offre de prêt immobilier", 1},
		{cases.TaskTask, "Relancer pour l'avis d'imposition manquant", -6},
	} {
		due := today.AddDate(0, 0, t.days).Format(time.DateOnly)
		if _, err := s.store.CreateTask(ctx, s.advisor, cases.NewTask{Kind: t.kind, Title: t.title, DueOn: due,
			AssigneeLogin: s.advisor.Login, PartyID: customers[i%len(customers)], Priority: []string{"high", "medium", "low"}[i%3]}); err != nil {
			return fmt.Errorf("demo advisor task: %w", err)
		}
	}
	return nil
}

func (s *caseSeeder) agencyOf(a *core.Actor) *caseAgency {
	for _, ag := range s.agencies {
		if ag.id == a.UnitID {
			return ag
		}
	}
	return s.agencies[0]
}

func (s *caseSeeder) summary(ctx context.Context) (CasesSummary, error) {
	var sum CasesSummary
	today := s.now.In(s.loc).Format(time.DateOnly)
	for _, q := range []struct {
		dst  *int
		sql  string
		args []any
	}{
		{&sum.Contacts, "SELECT COUNT(*) FROM contacts", nil},
		{&sum.Cases, "SELECT COUNT(*) FROM cases", nil},
		{&sum.Open, "SELECT COUNT(*) FROM cases WHERE closed_at IS NULL", nil},
		{&sum.Tasks, "SELECT COUNT(*) FROM tasks", nil},
		{&sum.OpenTasks, "SELECT COUNT(*) FROM tasks WHERE status = 'open'", nil},
		{&sum.AdvisorOverdue, "SELECT COUNT(*) FROM tasks WHERE status = 'open' AND assignee_id = ? AND due_on < ?", []any{s.advisor.AgentID, today}},
		{&sum.AdvisorToday, "SELECT COUNT(*) FROM tasks WHERE status = 'open' AND assignee_id = ? AND due_on = ?", []any{s.advisor.AgentID, today}},
	} {
		if err := s.d.QueryRow(ctx, q.sql, q.args...).Scan(q.dst); err != nil {
			return sum, fmt.Errorf("demo cases summary: %w", err)
		}
	}
	return sum, nil
}
