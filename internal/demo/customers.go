package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/party"
)

// refYear is the year the demo data is drawn as of: ages and contract dates
// are counted from it, never from the clock, so a seed gives the same bank.
const refYear = 2025

// customer is a party to import, with what its relations and contracts
// need to know about it.
type customer struct {
	in       party.Input
	agency   *agencyPlan
	born     int // year of birth; 0 for organisations
	partner  int // index of the spouse sharing the household, -1 for none
	director int // organisations: index of their director, -1 otherwise
}

// client reports whether the customer is a client (holds contracts).
func (c *customer) client() bool { return c.in.Status == string(party.Client) }

// Providers, streets and trades the generator draws from.
var (
	mailProviders = []string{"gmail.com", "orange.fr", "free.fr", "laposte.net", "sfr.fr", "wanadoo.fr",
		"hotmail.fr", "yahoo.fr", "outlook.fr", "icloud.com"}
	employers = []string{"sncf.fr", "groupe-serin.fr", "chu-region.fr", "ville-metropole.fr", "transports-morel.fr",
		"axiome-conseil.fr", "labo-pasteur-ouest.fr", "lycee-jules-verne.fr", "bati-ouest.fr", "atelier-numerique.fr"}
	streets = []string{"rue de la République", "avenue Jean-Jaurès", "boulevard Victor-Hugo", "rue Pasteur",
		"rue Émile-Zola", "avenue du Général-de-Gaulle", "rue de la Paix", "chemin des Vignes", "allée des Tilleuls",
		"impasse des Lilas", "place de l'Église", "rue des Écoles", "quai des Célestins", "rue Saint-Exupéry",
		"avenue Félix-Faure", "rue du Château", "cours Lafayette", "rue de la Fontaine", "rue Gambetta", "rue Molière"}
	line2s = []string{"Appartement 12", "Bâtiment B", "Résidence Les Érables", "3e étage", "Escalier C"}
	trades = []string{"Boulangerie %s", "Garage %s", "Pharmacie %s", "Cabinet %s", "%s & Fils", "Menuiserie %s",
		"Boucherie %s", "Plomberie %s", "Transports %s", "Librairie %s", "Fromagerie %s", "Cave %s",
		"Auto-école %s", "Atelier %s", "SARL %s Bâtiment", "Brasserie %s", "Fleurs %s", "Architecte %s"}
)

// customerBook generates the customers of the demo bank.
type customerBook struct {
	r         *rand.Rand
	bank      *bank
	list      []*customer
	emails    map[string]bool
	phones    map[string]bool
	prospects int
	clients   int
	weights   int
}

// newCustomerBook generates n customers: first Hélène Dupré and her husband
// in the demo advisor's agency and Zoé Lefèvre in an agency the advisor cannot
// see, then persons living alone, couples sharing a household, and
// organisations with their directors.
func newCustomerBook(r *rand.Rand, b *bank, n int) *customerBook {
	cb := &customerBook{r: r, bank: b, emails: map[string]bool{}, phones: map[string]bool{}}
	for _, a := range b.agencies {
		cb.weights += a.weight
	}
	lyon := b.agency(advisorAgency)
	helene := cb.person(lyon, "Hélène", "Dupré", 1979, string(party.Client))
	helene.in.AdvisorLogin = "advisor"
	helene.in.Emails = []party.Email{{Address: "helene.dupre@orange.fr", Kind: "personal", Favorite: true}}
	if n >= 2 {
		cb.person(lyon, "Marc", "Dupré", 1976, string(party.Client))
		cb.household(0, 1)
	}
	if n >= 3 {
		cb.person(b.agency(otherAgency), "Zoé", "Lefèvre", 1991, string(party.Client))
	}
	for len(cb.list) < n {
		a := cb.pickAgency()
		switch u := r.Float64(); {
		case u < 0.055 && n-len(cb.list) >= 2:
			cb.organisation(a)
		case u < 0.14 && n-len(cb.list) >= 2:
			cb.couple(a)
		default:
			first, last, female := PersonName(r)
			first, last = cb.avoidFixed(first, last, female)
			cb.person(a, first, last, cb.birthYear(18, 88), cb.status(0.78))
		}
	}
	cb.list = cb.list[:n]
	return cb
}

// pickAgency draws an agency, the busier ones more often.
func (cb *customerBook) pickAgency() *agencyPlan {
	k := cb.r.IntN(cb.weights)
	for _, a := range cb.bank.agencies {
		if k < a.weight {
			return a
		}
		k -= a.weight
	}
	return cb.bank.agencies[0]
}

// avoidFixed draws another name for a random person who would be mistaken
// for Hélène Dupré or Zoé Lefèvre, so searching for them finds one party.
func (cb *customerBook) avoidFixed(first, last string, female bool) (string, string) {
	for {
		f, l := party.Fold(first), party.Fold(last)
		if !(f == "helene" && strings.HasPrefix(l, "dup")) && !(f == "zoe" && strings.HasPrefix(l, "lef")) {
			return first, last
		}
		first = firstName(cb.r, female)
	}
}

// birthYear draws a year of birth for someone aged between min and max.
func (cb *customerBook) birthYear(min, max int) int {
	return refYear - min - cb.r.IntN(max-min+1)
}

// status draws client with probability p, prospect otherwise.
func (cb *customerBook) status(p float64) string {
	if cb.r.Float64() < p {
		return string(party.Client)
	}
	return string(party.Prospect)
}

// add appends a customer of agency a, numbering it: clients get their client
// number, prospects a temporary import key that Seed clears afterwards.
func (cb *customerBook) add(c *customer, a *agencyPlan, status string) *customer {
	c.agency, c.partner, c.director = a, -1, -1
	c.in.AgencyCode, c.in.Status = a.code, status
	c.in.AdvisorLogin = a.advisors[cb.r.IntN(len(a.advisors))]
	if status == string(party.Client) {
		cb.clients++
		c.in.ClientNumber = fmt.Sprintf("%010d", 1_000_000_000+cb.clients*37)
	} else {
		cb.prospects++
		c.in.ClientNumber = fmt.Sprintf("%s%d", prospectKeyPrefix, cb.prospects)
	}
	c.in.Consents = party.Consents{Email: cb.r.Float64() < 0.6, SMS: cb.r.Float64() < 0.45, Phone: cb.r.Float64() < 0.3}
	cb.list = append(cb.list, c)
	return c
}

// person adds a person with the usual coordinates: a personal email, a
// mobile, sometimes a landline and a work email, and an address in the city.
func (cb *customerBook) person(a *agencyPlan, first, last string, born int, status string) *customer {
	r := cb.r
	c := &customer{born: born}
	c.in.Kind, c.in.FirstName, c.in.LastName = string(party.Person), first, last
	c.in.BirthDate = fmt.Sprintf("%d-%02d-%02d", born, 1+r.IntN(12), 1+r.IntN(28))
	switch age := refYear - born; {
	case age < 26:
		c.in.Segment = "Jeunes"
	case r.Float64() < 0.12:
		c.in.Segment = "Patrimonial"
	default:
		c.in.Segment = "Particuliers"
	}
	if r.Float64() < 0.9 {
		c.in.Emails = append(c.in.Emails, party.Email{Address: cb.personalEmail(first, last, born), Kind: "personal", Favorite: true})
	}
	if age := refYear - born; age >= 23 && age < 64 && r.Float64() < 0.25 {
		c.in.Emails = append(c.in.Emails, party.Email{Kind: "professional",
			Address: cb.unique(slug(first) + "." + slug(last) + "@" + employers[r.IntN(len(employers))])})
	}
	if r.Float64() < 0.93 {
		c.in.Phones = append(c.in.Phones, party.Phone{Number: cb.phone([]string{"06", "07"}), Kind: "mobile"})
	}
	if r.Float64() < 0.3 {
		c.in.Phones = append(c.in.Phones, party.Phone{Number: cb.phone([]string{a.landline}), Kind: "home"})
	}
	if r.Float64() < 0.97 {
		c.in.Addresses = []party.Address{cb.address(a)}
	}
	return cb.add(c, a, status)
}

// couple adds two persons sharing a household.
func (cb *customerBook) couple(a *agencyPlan) {
	r := cb.r
	first, last, female := PersonName(r)
	first, last = cb.avoidFixed(first, last, female)
	born := cb.birthYear(25, 85)
	status := cb.status(0.85)
	cb.person(a, first, last, born, status)
	partnerFemale := !female
	if r.Float64() < 0.08 {
		partnerFemale = female
	}
	partnerLast := last
	if r.Float64() < 0.2 {
		partnerLast = lastName(r)
	}
	partnerFirst, partnerLast := cb.avoidFixed(firstName(r, partnerFemale), partnerLast, partnerFemale)
	cb.person(a, partnerFirst, partnerLast, born-3+r.IntN(7), status)
	cb.household(len(cb.list)-2, len(cb.list)-1)
}

// household makes customers i and j a couple: the same advisor, address and
// home phone, and an email address they both use.
func (cb *customerBook) household(i, j int) {
	one, two := cb.list[i], cb.list[j]
	one.partner, two.partner = j, i
	two.in.AdvisorLogin, two.in.Addresses = one.in.AdvisorLogin, one.in.Addresses
	for _, p := range one.in.Phones {
		if p.Kind == "home" {
			two.in.Phones = append(slices.DeleteFunc(two.in.Phones, func(q party.Phone) bool { return q.Kind == "home" }), p)
		}
	}
	shared := party.Email{Kind: "personal",
		Address: cb.unique(slug(one.in.LastName) + ".famille@" + mailProviders[cb.r.IntN(len(mailProviders))])}
	for _, c := range []*customer{one, two} {
		c.in.Emails = append(c.in.Emails, shared)
		c.in.Emails[0].Favorite = true
	}
}

// organisation adds a small business and, before it, the person directing it.
func (cb *customerBook) organisation(a *agencyPlan) {
	r := cb.r
	first, last, female := PersonName(r)
	first, last = cb.avoidFixed(first, last, female)
	boss := cb.person(a, first, last, cb.birthYear(30, 68), string(party.Client))
	name := fmt.Sprintf(trades[r.IntN(len(trades))], last)
	domain := slug(name)
	if len(domain) > 30 {
		domain = domain[:30]
	}
	domain = strings.Trim(domain, "-") + ".fr"
	boss.in.Emails = append(boss.in.Emails, party.Email{Kind: "professional",
		Address: cb.unique(slug(first) + "." + slug(last) + "@" + domain)})
	c := &customer{}
	c.in.Kind, c.in.Name, c.in.Segment = string(party.Organization), name, "Professionnels"
	c.in.Emails = []party.Email{{Address: cb.unique("contact@" + domain), Kind: "professional", Favorite: true}}
	c.in.Phones = []party.Phone{{Number: cb.phone([]string{a.landline}), Kind: "work"}}
	addr := cb.address(a)
	addr.Line2 = ""
	c.in.Addresses = []party.Address{addr}
	org := cb.add(c, a, cb.status(0.9))
	org.in.AdvisorLogin = boss.in.AdvisorLogin
	org.director = len(cb.list) - 2
}

// personalEmail makes a personal address from a name, in one of the usual
// shapes, unique among the generated ones.
func (cb *customerBook) personalEmail(first, last string, born int) string {
	f, l := slug(first), slug(last)
	provider := mailProviders[cb.r.IntN(len(mailProviders))]
	var local string
	switch u := cb.r.Float64(); {
	case u < 0.65:
		local = f + "." + l
	case u < 0.85:
		local = f + l + fmt.Sprintf("%02d", born%100)
	default:
		local = f[:1] + l
	}
	return cb.unique(local + "@" + provider)
}

// unique returns address, or address with a number before the '@' when an
// earlier customer already has it.
func (cb *customerBook) unique(address string) string {
	at := strings.IndexByte(address, '@')
	candidate := address
	for i := 2; cb.emails[candidate]; i++ {
		candidate = fmt.Sprintf("%s%d%s", address[:at], i, address[at:])
	}
	cb.emails[candidate] = true
	return candidate
}

// phone draws a valid, unused French number starting with one of prefixes,
// written the way people type it ("06 12 34 56 78").
func (cb *customerBook) phone(prefixes []string) string {
	for {
		n := prefixes[cb.r.IntN(len(prefixes))]
		for range 4 {
			n += fmt.Sprintf(" %02d", cb.r.IntN(100))
		}
		if cb.phones[n] {
			continue
		}
		if _, err := party.NormalizePhone(n); err == nil {
			cb.phones[n] = true
			return n
		}
	}
}

// address draws a street address in agency a's city.
func (cb *customerBook) address(a *agencyPlan) party.Address {
	r := cb.r
	addr := party.Address{Line1: fmt.Sprintf("%d %s", 1+r.IntN(120), streets[r.IntN(len(streets))]),
		PostalCode: a.postcodes[r.IntN(len(a.postcodes))], City: a.city, Country: "FR"}
	if r.Float64() < 0.15 {
		addr.Line2 = line2s[r.IntN(len(line2s))]
	}
	return addr
}
