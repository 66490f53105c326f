package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/org"
)

// demoPassword is the password of every demo sign-in.
const demoPassword = "rapport-demo"

// The codes of the units the demo accounts and fixed parties belong to.
const (
	bankCode          = "BRA"
	regionEastCode    = "R-CENTRE-EST"
	regionWestCode    = "R-OUEST"
	advisorAgency     = "A-LYON-PD"
	otherAgency       = "A-NANTES"
	contactCentreCode = "CRC"
	backOfficeCode    = "BO"
)

// Accounts returns the fixed demo sign-ins, with their passwords.
func Accounts() []Account {
	return []Account{
		{Login: "admin", Password: demoPassword, Description: "administrator, sees the whole bank"},
		{Login: "advisor", Password: demoPassword, Description: "advisor at Agence Lyon Part-Dieu, sees only that agency"},
		{Login: "manager", Password: demoPassword, Description: "manager of Région Centre-Est, sees its three agencies"},
		{Login: "contactcentre", Password: demoPassword, Description: "contact-centre advisor, sees the whole bank"},
	}
}

// agencyPlan is an agency of the demo bank and what its customers look like.
type agencyPlan struct {
	code, name, region string
	city               string
	postcodes          []string
	landline           string // the area's landline prefix, "04" around Lyon
	weight             int    // relative number of customers
	advisors           []string
}

// unitPlan is a unit to create, in creation order.
type unitPlan struct {
	code, name, parent string
	kind               org.UnitKind
	hours              *org.WeeklyHours
}

// agentPlan is an agent to create.
type agentPlan struct {
	login, name, unit string
	roles, scope      []string
	password          string
}

// bank is the organisation Seed created.
type bank struct {
	agencies []*agencyPlan
	units    int
	agents   int
}

// agency returns the planned agency with code.
func (b *bank) agency(code string) *agencyPlan {
	for _, a := range b.agencies {
		if a.code == code {
			return a
		}
	}
	panic("demo: no agency " + code)
}

// agencyPlans lists the six agencies, three per region.
func agencyPlans() []*agencyPlan {
	return []*agencyPlan{
		{code: advisorAgency, name: "Agence Lyon Part-Dieu", region: regionEastCode, city: "Lyon",
			postcodes: []string{"69003", "69006", "69007", "69008"}, landline: "04", weight: 5},
		{code: "A-GRENOBLE", name: "Agence Grenoble Victor-Hugo", region: regionEastCode, city: "Grenoble",
			postcodes: []string{"38000", "38100"}, landline: "04", weight: 3},
		{code: "A-DIJON", name: "Agence Dijon Darcy", region: regionEastCode, city: "Dijon",
			postcodes: []string{"21000"}, landline: "03", weight: 3},
		{code: otherAgency, name: "Agence Nantes Graslin", region: regionWestCode, city: "Nantes",
			postcodes: []string{"44000", "44100", "44300"}, landline: "02", weight: 4},
		{code: "A-RENNES", name: "Agence Rennes République", region: regionWestCode, city: "Rennes",
			postcodes: []string{"35000", "35200", "35700"}, landline: "02", weight: 3},
		{code: "A-BORDEAUX", name: "Agence Bordeaux Chartrons", region: regionWestCode, city: "Bordeaux",
			postcodes: []string{"33000", "33300", "33800"}, landline: "05", weight: 4},
	}
}

// unitPlans lists the units of the bank, parents first.
func unitPlans(agencies []*agencyPlan) []unitPlan {
	contactHours := org.WeeklyHours{}
	for day := 1; day <= 5; day++ {
		contactHours[day] = []org.Span{{Start: "08:00", End: "20:00"}}
	}
	contactHours[6] = []org.Span{{Start: "09:00", End: "17:00"}}
	backOfficeHours := org.WeeklyHours{}
	for day := 1; day <= 5; day++ {
		backOfficeHours[day] = []org.Span{{Start: "08:30", End: "12:30"}, {Start: "13:30", End: "17:30"}}
	}
	plans := []unitPlan{
		{code: bankCode, name: "Banque Rhône-Atlantique", kind: org.KindEstablishment},
		{code: regionEastCode, name: "Région Centre-Est", kind: org.KindRegion, parent: bankCode},
		{code: regionWestCode, name: "Région Grand Ouest", kind: org.KindRegion, parent: bankCode},
	}
	for _, a := range agencies {
		plans = append(plans, unitPlan{code: a.code, name: a.name, kind: org.KindAgency, parent: a.region})
	}
	return append(plans,
		unitPlan{code: contactCentreCode, name: "Centre de relation clients", kind: org.KindService, parent: bankCode, hours: &contactHours},
		unitPlan{code: backOfficeCode, name: "Back-office crédits et paiements", kind: org.KindService, parent: bankCode, hours: &backOfficeHours})
}

// agentPlans lists the agents: the demo accounts, then per agency a director
// and advisors, a second regional manager, contact-centre advisors, the back
// office and a compliance officer with read-only access. Only the demo
// accounts get a password; the others would sign in through single sign-on.
func agentPlans(r *rand.Rand, agencies []*agencyPlan) []agentPlan {
	plans := []agentPlan{
		{login: "admin", name: "Camille Rousseau", unit: bankCode, roles: []string{org.RoleAdmin}, password: demoPassword},
		{login: "advisor", name: "Julien Mercier", unit: advisorAgency, roles: []string{"advisor"}, password: demoPassword},
		{login: "manager", name: "Sophie Garnier", unit: regionEastCode, roles: []string{"manager"},
			scope: []string{regionEastCode}, password: demoPassword},
		{login: "contactcentre", name: "Karim Benali", unit: contactCentreCode, roles: []string{"advisor"},
			scope: []string{bankCode}, password: demoPassword},
		{login: "yleguen", name: "Yannick Le Guen", unit: regionWestCode, roles: []string{"manager"}, scope: []string{regionWestCode}},
		{login: "mchauvin", name: "Martine Chauvin", unit: bankCode, roles: []string{"viewer"}, scope: []string{bankCode}},
	}
	taken := map[string]bool{}
	for _, p := range plans {
		taken[p.login] = true
	}
	person := func(unit string, roles, scope []string) agentPlan {
		first, last, _ := PersonName(r)
		base := slug(first)[:1] + strings.ReplaceAll(slug(last), "-", "")
		login := base
		for i := 2; taken[login]; i++ {
			login = fmt.Sprintf("%s%d", base, i)
		}
		taken[login] = true
		return agentPlan{login: login, name: first + " " + last, unit: unit, roles: roles, scope: scope}
	}
	for _, a := range agencies {
		plans = append(plans, person(a.code, []string{"manager"}, nil))
		for range 4 {
			if a.code == advisorAgency && len(a.advisors) == 0 {
				a.advisors = append(a.advisors, "advisor")
				continue
			}
			p := person(a.code, []string{"advisor"}, nil)
			a.advisors = append(a.advisors, p.login)
			plans = append(plans, p)
		}
	}
	for range 4 {
		plans = append(plans, person(contactCentreCode, []string{"advisor"}, []string{bankCode}))
	}
	for range 4 {
		plans = append(plans, person(backOfficeCode, []string{"backoffice"}, []string{bankCode}))
	}
	return plans
}

// seedOrganisation creates the units and agents of the demo bank.
func seedOrganisation(ctx context.Context, orgs *org.Store, actor *core.Actor, r *rand.Rand) (*bank, error) {
	b := &bank{agencies: agencyPlans()}
	for _, u := range unitPlans(b.agencies) {
		_, err := orgs.CreateUnit(ctx, actor, org.UnitInput{Code: u.code, Name: u.name, Kind: u.kind,
			ParentCode: u.parent, TimeZone: org.DefaultTimeZone, Hours: u.hours})
		if err != nil {
			return nil, fmt.Errorf("create unit %s: %w", u.code, err)
		}
		b.units++
	}
	for _, a := range agentPlans(r, b.agencies) {
		_, err := orgs.CreateAgent(ctx, actor, org.AgentInput{Login: a.login, Name: a.name, UnitCode: a.unit,
			Email: a.login + "@banque-rhone-atlantique.fr", Roles: a.roles, ScopeUnitCodes: a.scope,
			Password: a.password, Locale: "fr"})
		if err != nil {
			return nil, fmt.Errorf("create agent %s: %w", a.login, err)
		}
		b.agents++
	}
	return b, nil
}
