package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/rapport-crm/rapport/internal/party"
)

// contractPrefixes starts the number of each product's contracts.
var contractPrefixes = map[string]string{
	"current_account": "CC", "savings": "LA", "card": "CB", "home_loan": "PI",
	"insurance": "AS", "consumer_loan": "PC", "life_insurance": "AV",
}

// contractBook generates the contracts of the clients of a customer book.
type contractBook struct {
	r    *rand.Rand
	seq  int
	list []party.ContractInput
}

// newContractBook gives each client the products a customer of their age
// would hold: a current account (joint for couples) and its card, savings,
// insurance, loans. Organisations hold a business account, a card,
// insurance and sometimes a loan. Prospects hold nothing.
func newContractBook(r *rand.Rand, customers []*customer) *contractBook {
	b := &contractBook{r: r}
	for i, c := range customers {
		if !c.client() {
			continue
		}
		holders := []*customer{c}
		if c.partner >= 0 && customers[c.partner].client() {
			if c.partner < i {
				holders = nil // the joint account was opened with the partner
			} else {
				holders = append(holders, customers[c.partner])
			}
		}
		if c.in.Kind == string(party.Organization) {
			b.add(c, "current_account", []*customer{c}, 1)
			b.add(c, "card", []*customer{c}, 0.6)
			b.add(c, "insurance", []*customer{c}, 0.5)
			b.add(c, "consumer_loan", []*customer{c}, 0.2)
			continue
		}
		if holders != nil {
			b.add(c, "current_account", holders, 0.93)
		}
		age := refYear - c.born
		b.add(c, "card", []*customer{c}, 0.8)
		b.add(c, "savings", []*customer{c}, 0.65)
		b.add(c, "insurance", []*customer{c}, 0.4)
		if age >= 30 {
			b.add(c, "life_insurance", []*customer{c}, 0.3)
		}
		if age >= 27 && age <= 65 {
			b.add(c, "home_loan", []*customer{c}, 0.2)
		}
		b.add(c, "consumer_loan", []*customer{c}, 0.1)
	}
	return b
}

// add opens, with probability p, a contract of product for holders in c's
// agency: mostly active, a few closed, a few still pending.
func (b *contractBook) add(c *customer, product string, holders []*customer, p float64) {
	if b.r.Float64() >= p {
		return
	}
	b.seq++
	in := party.ContractInput{Number: fmt.Sprintf("%s-%08d", contractPrefixes[product], b.seq), Product: product,
		Status: "active", AgencyCode: c.agency.code}
	for _, h := range holders {
		in.HolderClientNumbers = append(in.HolderClientNumbers, h.in.ClientNumber)
	}
	from := refYear - 25
	if c.born > 0 {
		from = max(from, c.born+18)
	}
	opened := b.day(from, refYear-1)
	switch u := b.r.Float64(); {
	case u < 0.02:
		in.Status = "pending"
	case u < 0.08:
		in.Status, in.OpenedOn = "closed", opened
		in.ClosedOn = max(opened, b.day(from+1, refYear-1))
	default:
		in.OpenedOn = opened
	}
	b.list = append(b.list, in)
}

// day draws a date between the first day of year from and the last of to.
func (b *contractBook) day(from, to int) string {
	if to < from {
		to = from
	}
	return fmt.Sprintf("%d-%02d-%02d", from+b.r.IntN(to-from+1), 1+b.r.IntN(12), 1+b.r.IntN(28))
}
