package demo

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/party"
)

// book generates n customers for a bank planned without a database.
func book(n int) []*customer {
	r := rand.New(rand.NewPCG(1, 2))
	b := &bank{agencies: agencyPlans()}
	agentPlans(r, b.agencies)
	return newCustomerBook(r, b, n).list
}

func TestTheSameSeedGivesTheSameCustomers(t *testing.T) {
	one, two := book(500), book(500)
	if !reflect.DeepEqual(one, two) {
		t.Fatal("two books from the same seed differ")
	}
}

func TestCustomersAreMostlyPersonsWithAccentedNames(t *testing.T) {
	list := book(5000)
	var orgs, accented, clients int
	for _, c := range list {
		if c.in.Kind == string(party.Organization) {
			orgs++
			if c.director < 0 || list[c.director].in.Kind != string(party.Person) {
				t.Fatalf("organisation %s has no director", c.in.Name)
			}
		}
		if strings.ContainsFunc(c.in.FirstName+c.in.LastName, func(r rune) bool { return r > 127 }) {
			accented++
		}
		if c.client() {
			clients++
		}
	}
	if orgs < 150 || orgs > 400 || accented < 1000 || clients < 3000 || clients > 4500 {
		t.Fatalf("%d organisations, %d accented names, %d clients among 5000; want about 5%%, many, most", orgs, accented, clients)
	}
}
