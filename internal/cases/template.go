package cases

import (
	"context"
	"fmt"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// Context is where an agent stands when they trace a contact or open a
// case: the party on screen and, when one is open, its contract.
type Context struct {
	PartyID    string
	ContractID string
}

// Links are the people, agents and objects a contact or a case holds.
type Links struct {
	Interlocutors []PartyRef  `json:"interlocutors"`
	Agents        []AgentRef  `json:"agents"`
	Objects       []ObjectRef `json:"objects"`
}

// Proposal is what a template gives in a context: the links it fills in
// and, for the contracts it asks for, the eligible ones to choose from.
type Proposal struct {
	Links
	Contracts []ObjectRef `json:"contracts"` // the current party's contracts the template accepts
}

// apply fills in a template in a context, as the seeds say: the current
// party is the first interlocutor, the signed-in agent the emitter, the
// current contract the object; then what the template predefines, when
// eligible (a contract the template asks for must be one of the current
// party's, of its product when it names one). A required contract with
// no eligible one is refused (contract_required).
func (s *Store) apply(ctx context.Context, q db.Querier, actor *core.Actor, t Template, c Context) (Proposal, error) {
	var p Proposal
	p.Interlocutors, p.Agents, p.Objects, p.Contracts = []PartyRef{}, []AgentRef{}, []ObjectRef{}, []ObjectRef{}
	held, err := heldContracts(ctx, q, c.PartyID)
	if err != nil {
		return p, err
	}
	p.addParty(ctx, q, actor.Scope, c.PartyID, "customer")
	if actor.AgentID != "" {
		p.addAgent(AgentRef{ID: actor.AgentID, Login: actor.Login, Name: actor.Name, Role: RoleEmitter})
	}
	if c.ContractID != "" {
		k, ok := held[c.ContractID]
		if !ok {
			return p, core.Fields{"contract_id": core.Because("contract_not_held")}.Err()
		}
		p.addObject(k.ref)
	}
	for i, o := range t.Objects {
		if o.Kind != ObjectContract {
			continue // other kinds are named by the caller: Rapport cannot tell which are eligible
		}
		var eligible []ObjectRef
		for _, k := range held {
			if k.status != "closed" && (o.Product == "" || k.product == o.Product) {
				eligible = append(eligible, k.ref)
			}
		}
		slices.SortFunc(eligible, func(a, b ObjectRef) int { return compare(a.Label, b.Label) })
		for _, e := range eligible {
			if !slices.Contains(p.Contracts, e) {
				p.Contracts = append(p.Contracts, e)
			}
		}
		chosen := slices.ContainsFunc(eligible, func(e ObjectRef) bool { return p.hasObject(e) })
		if !chosen && len(eligible) == 1 {
			p.addObject(eligible[0])
			chosen = true
		}
		if !chosen && o.Required {
			why := core.Because("contract_required")
			if o.Product != "" {
				why = core.Because("contract_of_product_required", "product", o.Product)
			}
			return p, core.Fields{fmt.Sprintf("objects[%d]", i): why}.Err()
		}
	}
	for _, tp := range t.Interlocutors {
		switch tp.From {
		case FromCurrentParty:
			p.setRole(c.PartyID, tp.Role)
		case FromParty:
			p.addParty(ctx, q, actor.Scope, tp.PartyID, tp.Role)
		case FromContractHolders:
			for _, o := range p.Objects {
				if o.Kind != ObjectContract {
					continue
				}
				for _, h := range held[o.ID].holders {
					p.addParty(ctx, q, actor.Scope, h, tp.Role)
				}
			}
		case FromRelated:
			related, err := relatedParties(ctx, q, c.PartyID)
			if err != nil {
				return p, err
			}
			for _, r := range related {
				p.addParty(ctx, q, actor.Scope, r, tp.Role)
			}
		}
	}
	for _, ta := range t.Agents {
		var a AgentRef
		var err error
		switch ta.From {
		case FromSignedIn:
			a = AgentRef{ID: actor.AgentID, Login: actor.Login, Name: actor.Name}
		case FromPartyAdvisor:
			a, err = advisorOf(ctx, q, c.PartyID)
		case FromLogin:
			a, err = activeAgent(ctx, q, ta.Login)
			if core.ErrorCode(err) == core.NotFound {
				err = nil // deactivated since the template was written: skipped
			}
		}
		if err != nil {
			return p, err
		}
		if a.ID != "" {
			a.Role = ta.Role
			p.addAgent(a)
		}
	}
	return p, nil
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (p *Proposal) addParty(ctx context.Context, q db.Querier, scope core.Scope, id, role string) {
	if id == "" || slices.ContainsFunc(p.Interlocutors, func(r PartyRef) bool { return r.PartyID == id }) {
		return
	}
	name, ok := visibleParty(ctx, q, scope, id)
	if !ok {
		return // not eligible: outside the agent's scope or gone
	}
	if role == "" {
		role = "interlocutor"
	}
	p.Interlocutors = append(p.Interlocutors, PartyRef{PartyID: id, Name: name, Role: role})
}

func (p *Proposal) setRole(id, role string) {
	for i := range p.Interlocutors {
		if p.Interlocutors[i].PartyID == id && role != "" {
			p.Interlocutors[i].Role = role
		}
	}
}

func (p *Proposal) addAgent(a AgentRef) {
	if !slices.ContainsFunc(p.Agents, func(x AgentRef) bool { return x.ID == a.ID && x.Role == a.Role }) {
		p.Agents = append(p.Agents, a)
	}
}

func (p *Proposal) hasObject(o ObjectRef) bool {
	return slices.ContainsFunc(p.Objects, func(x ObjectRef) bool { return x.Kind == o.Kind && x.ID == o.ID })
}

func (p *Proposal) addObject(o ObjectRef) {
	if !p.hasObject(o) {
		p.Objects = append(p.Objects, o)
	}
}

// heldContract is a contract the current party holds.
type heldContract struct {
	ref             ObjectRef
	product, status string
	holders         []string
}

// heldContracts reads the contracts a party holds with their holders,
// by id.
func heldContracts(ctx context.Context, q db.Querier, partyID string) (map[string]*heldContract, error) {
	out := map[string]*heldContract{}
	if partyID == "" {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT c.id, c.number, c.product, c.status, h2.party_id FROM contract_holders h
		JOIN contracts c ON c.id = h.contract_id JOIN contract_holders h2 ON h2.contract_id = c.id
		WHERE h.party_id = ? ORDER BY c.number, h2.party_id`, partyID)
	if err != nil {
		return nil, fmt.Errorf("contracts of party %s: %w", partyID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, number, product, status, holder string
		if err := rows.Scan(&id, &number, &product, &status, &holder); err != nil {
			return nil, fmt.Errorf("contracts of party %s: %w", partyID, err)
		}
		k := out[id]
		if k == nil {
			k = &heldContract{ref: ObjectRef{Kind: ObjectContract, ID: id, Label: number + " · " + product},
				product: product, status: status}
			out[id] = k
		}
		k.holders = append(k.holders, holder)
	}
	return out, rows.Err()
}

// relatedParties lists the parties related to partyID, either way.
func relatedParties(ctx context.Context, q db.Querier, partyID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT related_id FROM party_relations WHERE party_id = ?
		UNION SELECT party_id FROM party_relations WHERE related_id = ?`, partyID, partyID)
	if err != nil {
		return nil, fmt.Errorf("related parties of %s: %w", partyID, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return out, rows.Err()
}

// visibleParty returns a party's display name when it is in the scope.
func visibleParty(ctx context.Context, q db.Querier, scope core.Scope, id string) (string, bool) {
	if !core.ValidID(id) {
		return "", false
	}
	cond, args := scopeCond("p.agency_id", scope)
	var kind, first, last, name string
	err := q.QueryRow(ctx, "SELECT p.kind, p.first_name, p.last_name, p.name FROM parties p WHERE p.id = ?"+cond,
		append([]any{id}, args...)...).Scan(&kind, &first, &last, &name)
	if err != nil {
		return "", false
	}
	return party.DisplayName(kind, first, last, name), true
}

// advisorOf returns the advisor of a party, or none.
func advisorOf(ctx context.Context, q db.Querier, partyID string) (AgentRef, error) {
	var a AgentRef
	err := q.QueryRow(ctx, `SELECT a.id, a.login, a.name FROM parties p JOIN agents a ON a.id = p.advisor_id
		WHERE p.id = ? AND a.active`, partyID).Scan(&a.ID, &a.Login, &a.Name)
	if err != nil && !db.IsNoRows(err) {
		return a, fmt.Errorf("advisor of party %s: %w", partyID, err)
	}
	return a, nil
}

// activeAgent finds an active agent by login.
func activeAgent(ctx context.Context, q db.Querier, login string) (AgentRef, error) {
	var a AgentRef
	err := q.QueryRow(ctx, "SELECT id, login, name FROM agents WHERE login = ? AND active", login).Scan(&a.ID, &a.Login, &a.Name)
	if db.IsNoRows(err) {
		return a, core.Errorf(core.NotFound, "agent %s not found", login)
	}
	if err != nil {
		return a, fmt.Errorf("agent %s: %w", login, err)
	}
	return a, nil
}
