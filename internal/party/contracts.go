package party

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Contract is a product a bank holds for one or more parties (its holders).
type Contract struct {
	ID           string    `json:"id"`
	Number       string    `json:"number"`
	Product      string    `json:"product"`
	ProductLabel string    `json:"product_label"` // in French
	Status       string    `json:"status"`        // pending | active | closed
	OpenedOn     string    `json:"opened_on"`     // YYYY-MM-DD
	ClosedOn     string    `json:"closed_on"`     // YYYY-MM-DD
	AgencyID     string    `json:"agency_id"`
	AgencyCode   string    `json:"agency_code"`
	Holders      []Summary `json:"holders"` // those in the actor's scope
}

// ContractInput is a new contract, or one row of an import.
type ContractInput struct {
	Number              string   `json:"number"`
	Product             string   `json:"product"`
	Status              string   `json:"status"`
	OpenedOn            string   `json:"opened_on"`
	ClosedOn            string   `json:"closed_on"`
	AgencyCode          string   `json:"agency_code"`
	HolderIDs           []string `json:"holder_ids"`
	HolderClientNumbers []string `json:"holder_client_numbers"` // used by imports
}

// normalize trims and checks in, apart from holders and agency.
func (in *ContractInput) normalize() core.Fields {
	f := core.Fields{}
	in.Number = normalizeNumber(in.Number)
	in.Product = strings.ToLower(strings.TrimSpace(in.Product))
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	in.OpenedOn = strings.TrimSpace(in.OpenedOn)
	in.ClosedOn = strings.TrimSpace(in.ClosedOn)
	in.AgencyCode = strings.TrimSpace(in.AgencyCode)
	core.CheckText(f, "number", in.Number, core.MaxCode)
	core.CheckText(f, "product", in.Product, core.MaxCode)
	core.CheckText(f, "status", in.Status, core.MaxCode)
	core.CheckText(f, "opened_on", in.OpenedOn, core.MaxCode)
	core.CheckText(f, "closed_on", in.ClosedOn, core.MaxCode)
	core.CheckText(f, "agency_code", in.AgencyCode, core.MaxCode)
	core.CheckTexts(f, "holder_ids", in.HolderIDs, core.MaxCode)
	core.CheckTexts(f, "holder_client_numbers", in.HolderClientNumbers, core.MaxCode)
	if in.Status == "" {
		in.Status = "active"
	}
	if !validNumber(in.Number) {
		f.Add("number", core.Because("number_format", "max", 32))
	}
	if _, ok := catalogue[in.Product]; !ok {
		f.Add("product", core.Because("unknown_product"))
	}
	if in.Status != "pending" && in.Status != "active" && in.Status != "closed" {
		f.Add("status", core.OneOf("pending", "active", "closed"))
	}
	if in.OpenedOn != "" && !validDate(in.OpenedOn) {
		f.Add("opened_on", core.Because("date"))
	}
	if in.ClosedOn != "" && !validDate(in.ClosedOn) {
		f.Add("closed_on", core.Because("date"))
	} else if in.ClosedOn != "" && in.OpenedOn != "" && in.ClosedOn < in.OpenedOn {
		f.Add("closed_on", core.Because("before_opening"))
	}
	if len(in.HolderIDs)+len(in.HolderClientNumbers) == 0 {
		f.Add("holder_ids", core.Because("at_least_one_holder"))
	}
	return f
}

// CreateContract records a new contract. Its number must be free (Conflict
// otherwise); its holders must exist and be in the actor's scope; its agency
// defaults to the first holder's. Requires party.edit; audited as
// contract.create.
func (s *Store) CreateContract(ctx context.Context, actor *core.Actor, in ContractInput) (Contract, error) {
	if err := actor.Require(core.PermPartyEdit); err != nil {
		return Contract{}, err
	}
	f := in.normalize()
	if err := f.Err(); err != nil {
		return Contract{}, err
	}
	now := s.clock.Now()
	var c Contract
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		f := core.Fields{}
		var holders []*Party
		for i, id := range in.HolderIDs {
			p, err := load(ctx, tx, id, actor.Scope)
			if core.ErrorCode(err) == core.NotFound {
				f.Add(fmt.Sprintf("holder_ids[%d]", i), core.Because("party_not_found"))
				continue
			}
			if err != nil {
				return err
			}
			holders = append(holders, p)
		}
		for i, number := range in.HolderClientNumbers {
			p, err := byClientNumber(ctx, tx, normalizeNumber(number), actor.Scope)
			if core.ErrorCode(err) == core.NotFound {
				f.Add(fmt.Sprintf("holder_client_numbers[%d]", i), core.Because("unknown_client"))
				continue
			}
			if err != nil {
				return err
			}
			holders = append(holders, p)
		}
		agency := unit{}
		if in.AgencyCode != "" {
			var err error
			if agency, err = resolveAgency(ctx, tx, actor, in.AgencyCode, f); err != nil {
				return err
			}
		} else if len(holders) > 0 {
			agency = unit{ID: holders[0].AgencyID, Code: holders[0].AgencyCode}
		}
		if err := f.Err(); err != nil {
			return err
		}
		c = Contract{ID: core.NewID(), Number: in.Number, Product: in.Product, ProductLabel: ProductLabel(in.Product, "fr"),
			Status: in.Status, OpenedOn: in.OpenedOn, ClosedOn: in.ClosedOn, AgencyID: agency.ID, AgencyCode: agency.Code}
		if _, err := tx.Exec(ctx, `INSERT INTO contracts (id, number, product, status, opened_on, closed_on, agency_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Number, c.Product, c.Status, nullable(c.OpenedOn), nullable(c.ClosedOn),
			c.AgencyID, core.Millis(now), core.Millis(now)); err != nil {
			if db.IsUniqueViolation(err) {
				return &core.Error{Code: core.Conflict, Message: "contract number " + c.Number + " is already used",
					Fields: core.Fields{"number": core.Because("taken")}, Err: err}
			}
			return fmt.Errorf("insert contract: %w", err)
		}
		seen := map[string]bool{}
		for _, h := range holders {
			if seen[h.ID] {
				continue
			}
			seen[h.ID] = true
			if _, err := tx.Exec(ctx, "INSERT INTO contract_holders (contract_id, party_id) VALUES (?, ?)", c.ID, h.ID); err != nil {
				return fmt.Errorf("insert contract holder: %w", err)
			}
		}
		var err error
		if c.Holders, err = contractHolders(ctx, tx, []string{c.ID}, actor.Scope, nil); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "contract.create", "contract", c.ID, holders[0].ID,
			map[string]string{"number": c.Number, "product": c.Product})
	})
	if err != nil {
		return Contract{}, err
	}
	return c, nil
}

// byClientNumber finds the party holding a client number, in scope.
func byClientNumber(ctx context.Context, q db.Querier, number string, scope core.Scope) (*Party, error) {
	cond, args := scopeFilter("p.agency_id", scope)
	p, err := scanParty(q.QueryRow(ctx, selectParty+" WHERE p.client_number = ?"+cond, append([]any{number}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, core.Errorf(core.NotFound, "no client %s", number)
	}
	if err != nil {
		return nil, fmt.Errorf("find client %s: %w", number, err)
	}
	return p, nil
}

// selectContract reads the columns scanContract expects.
const selectContract = `SELECT c.id, c.number, c.product, c.status, COALESCE(c.opened_on, ''), COALESCE(c.closed_on, ''),
	c.agency_id, u.code FROM contracts c JOIN units u ON u.id = c.agency_id`

func scanContract(r scanner) (Contract, error) {
	var c Contract
	err := r.Scan(&c.ID, &c.Number, &c.Product, &c.Status, &c.OpenedOn, &c.ClosedOn, &c.AgencyID, &c.AgencyCode)
	c.ProductLabel = ProductLabel(c.Product, "fr")
	c.Holders = []Summary{}
	return c, err
}

// contractHolders returns the holders in scope of the given contracts, all
// together, and when into is set also appends them to each contract there.
func contractHolders(ctx context.Context, q db.Querier, ids []string, scope core.Scope, into map[string]*Contract) ([]Summary, error) {
	if len(ids) == 0 {
		return []Summary{}, nil
	}
	cond, scopeArgs := scopeFilter("p.agency_id", scope)
	args := make([]any, 0, len(ids)+len(scopeArgs))
	for _, id := range ids {
		args = append(args, id)
	}
	args = append(args, scopeArgs...)
	rows, err := q.Query(ctx, selectSummary+`, h.contract_id FROM contract_holders h
		JOIN parties p ON p.id = h.party_id JOIN units u ON u.id = p.agency_id
		WHERE h.contract_id IN (`+db.Placeholders(len(ids))+`)`+cond+" ORDER BY p.sort_name, p.id", args...)
	if err != nil {
		return nil, fmt.Errorf("load contract holders: %w", err)
	}
	all := []Summary{}
	err = eachRow(rows, func() error {
		var m Summary
		var first, last, name, contractID string
		if err := rows.Scan(&m.ID, &m.Kind, &m.Status, &m.ClientNumber, &first, &last, &name, &m.BirthDate,
			&m.AgencyCode, &m.AgencyName, &m.City, &m.PostalCode, &contractID); err != nil {
			return err
		}
		m.DisplayName = displayName(m.Kind, first, last, name)
		all = append(all, m)
		if c := into[contractID]; c != nil {
			c.Holders = append(c.Holders, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load contract holders: %w", err)
	}
	return all, nil
}

// Contracts lists the contracts party partyID holds, active ones first, then
// the most recently opened. Requires party.read and the party in scope
// (NotFound otherwise).
func (s *Store) Contracts(ctx context.Context, actor *core.Actor, partyID string) ([]Contract, error) {
	if err := s.Visible(ctx, actor, partyID); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, selectContract+` JOIN contract_holders h ON h.contract_id = c.id
		WHERE h.party_id = ?
		ORDER BY CASE WHEN c.status = 'active' THEN 0 ELSE 1 END, COALESCE(c.opened_on, '') DESC, c.number`, partyID)
	if err != nil {
		return nil, fmt.Errorf("list contracts: %w", err)
	}
	var list []*Contract
	err = eachRow(rows, func() error {
		c, err := scanContract(rows)
		list = append(list, &c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list contracts: %w", err)
	}
	return s.withHolders(ctx, list, actor.Scope)
}

// Contract returns contract id when its agency or one of its holders is in
// the actor's scope, NotFound otherwise. Requires party.read.
func (s *Store) Contract(ctx context.Context, actor *core.Actor, id string) (Contract, error) {
	if err := actor.Require(core.PermPartyRead); err != nil {
		return Contract{}, err
	}
	if !core.ValidID(id) {
		return Contract{}, core.Errorf(core.NotFound, "contract %s not found", id)
	}
	query, args := selectContract+" WHERE c.id = ?", []any{id}
	if !actor.Scope.All {
		agencyCond, a1 := scopeFilter("c.agency_id", actor.Scope)
		holderCond, a2 := scopeFilter("p.agency_id", actor.Scope)
		query += " AND (1 = 1" + agencyCond + ` OR EXISTS (SELECT 1 FROM contract_holders h JOIN parties p ON p.id = h.party_id
			WHERE h.contract_id = c.id` + holderCond + "))"
		args = append(append(args, a1...), a2...)
	}
	c, err := scanContract(s.db.QueryRow(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Contract{}, core.Errorf(core.NotFound, "contract %s not found", id)
	}
	if err != nil {
		return Contract{}, fmt.Errorf("load contract %s: %w", id, err)
	}
	list, err := s.withHolders(ctx, []*Contract{&c}, actor.Scope)
	if err != nil {
		return Contract{}, err
	}
	return list[0], nil
}

// withHolders fills the holders of the contracts and returns them by value.
func (s *Store) withHolders(ctx context.Context, list []*Contract, scope core.Scope) ([]Contract, error) {
	byID := make(map[string]*Contract, len(list))
	ids := make([]string, len(list))
	for i, c := range list {
		byID[c.ID], ids[i] = c, c.ID
	}
	if _, err := contractHolders(ctx, s.db, ids, scope, byID); err != nil {
		return nil, err
	}
	out := make([]Contract, len(list))
	for i, c := range list {
		out[i] = *c
	}
	return out, nil
}
