// Package demo seeds a database with a realistic sample French bank, for
// trying Rapport out and for end-to-end tests: its units and agents, the
// demo sign-ins, and thousands of customers with their coordinates,
// relations and contracts. The same options always give the same bank.
package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// Options tune the demo data.
type Options struct {
	Parties int // customers to generate; 0 means 5,000
}

// Account is a demo sign-in shown to whoever starts the demo.
type Account struct {
	Login, Password, Description string
}

// Summary counts what Seed created and lists the demo sign-ins.
type Summary struct {
	Units, Agents, Parties, Contracts int
	Accounts                          []Account
}

// prospectKeyPrefix marks the temporary client numbers prospects are
// imported with: imports upsert on the client number, which prospects lack.
const prospectKeyPrefix = "PROSPECT-"

// IsSeeded reports whether the database already holds an organisation.
func IsSeeded(ctx context.Context, d *db.DB) (bool, error) {
	var n int
	if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM units").Scan(&n); err != nil {
		return false, fmt.Errorf("count units: %w", err)
	}
	return n > 0, nil
}

// Seed fills an empty database with the demo bank: one establishment, two
// regions of three agencies, a contact centre and a back office, about forty
// agents (the Accounts among them), opt.Parties customers imported in bulk,
// directors and households linked, and the clients' contracts.
func Seed(ctx context.Context, d *db.DB, orgs *org.Store, parties *party.Store, opt Options) (Summary, error) {
	n := opt.Parties
	if n <= 0 {
		n = 5000
	}
	actor := core.System()
	r := rand.New(rand.NewPCG(20250630, 69003))
	b, err := seedOrganisation(ctx, orgs, actor, r)
	if err != nil {
		return Summary{}, err
	}
	customers := newCustomerBook(r, b, n).list
	sum := Summary{Units: b.units, Agents: b.agents, Accounts: Accounts()}
	if sum.Parties, err = importCustomers(ctx, parties, actor, customers); err != nil {
		return Summary{}, err
	}
	if err := relate(ctx, d, parties, actor, customers); err != nil {
		return Summary{}, err
	}
	if sum.Contracts, err = importContracts(ctx, parties, actor, newContractBook(r, customers).list); err != nil {
		return Summary{}, err
	}
	if _, err := d.Exec(ctx, "UPDATE parties SET client_number = NULL WHERE status = ? AND client_number LIKE ?",
		string(party.Prospect), prospectKeyPrefix+"%"); err != nil {
		return Summary{}, fmt.Errorf("clear prospects' import keys: %w", err)
	}
	return sum, nil
}

// importCustomers writes the customers through the party import, as NDJSON
// so they keep several emails and phones each.
func importCustomers(ctx context.Context, parties *party.Store, actor *core.Actor, customers []*customer) (int, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, c := range customers {
		if err := enc.Encode(&c.in); err != nil {
			return 0, fmt.Errorf("encode customer: %w", err)
		}
	}
	var rejects strings.Builder
	res, err := parties.ImportParties(ctx, actor, &buf, "ndjson", &rejects, nil)
	if err != nil {
		return 0, fmt.Errorf("import customers: %w", err)
	}
	if res.Rejected > 0 {
		return 0, fmt.Errorf("import customers: %d rejected:\n%s", res.Rejected, firstLines(rejects.String(), 5))
	}
	return res.Inserted, nil
}

// importContracts writes the contracts through the contract import.
func importContracts(ctx context.Context, parties *party.Store, actor *core.Actor, contracts []party.ContractInput) (int, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range contracts {
		if err := enc.Encode(&contracts[i]); err != nil {
			return 0, fmt.Errorf("encode contract: %w", err)
		}
	}
	var rejects strings.Builder
	res, err := parties.ImportContracts(ctx, actor, &buf, "ndjson", &rejects, nil)
	if err != nil {
		return 0, fmt.Errorf("import contracts: %w", err)
	}
	if res.Rejected > 0 {
		return 0, fmt.Errorf("import contracts: %d rejected:\n%s", res.Rejected, firstLines(rejects.String(), 5))
	}
	return res.Inserted, nil
}

// relate links directors to their organisations and couples into households.
func relate(ctx context.Context, d *db.DB, parties *party.Store, actor *core.Actor, customers []*customer) error {
	ids := map[string]string{}
	rows, err := d.Query(ctx, "SELECT client_number, id FROM parties WHERE client_number IS NOT NULL")
	if err != nil {
		return fmt.Errorf("read imported parties: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var number, id string
		if err := rows.Scan(&number, &id); err != nil {
			return fmt.Errorf("read imported parties: %w", err)
		}
		ids[number] = id
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read imported parties: %w", err)
	}
	rows.Close()
	id := func(c *customer) string { return ids[strings.ToUpper(c.in.ClientNumber)] }
	for i, c := range customers {
		var err error
		switch {
		case c.director >= 0:
			err = parties.AddRelation(ctx, actor, id(customers[c.director]), party.RelDirector, id(c))
		case c.partner > i:
			err = parties.AddRelation(ctx, actor, id(c), party.RelHousehold, id(customers[c.partner]))
		}
		if err != nil {
			return fmt.Errorf("relate %s: %w", c.in.ClientNumber, err)
		}
	}
	return nil
}

// firstLines returns the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
