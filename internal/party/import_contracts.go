package party

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// contractColumnsCSV are the columns a CSV import of contracts may have.
var contractColumnsCSV = []string{"number", "product", "status", "opened_on", "closed_on", "agency_code", "holder_client_numbers"}

// ImportContracts reads contracts from r, CSV (holder_client_numbers
// separated by ';') or NDJSON of ContractInput objects, and upserts them on
// their number, like ImportParties: identical contracts are left alone, bad
// rows go to rejects, the run is audited once as contract.import.
func (s *Store) ImportContracts(ctx context.Context, actor *core.Actor, r io.Reader, format string, rejects io.Writer, progress Progress) (ImportResult, error) {
	if err := actor.Require(core.PermPartyEdit); err != nil {
		return ImportResult{}, err
	}
	rows, err := newRowReader(r, format, contractColumnsCSV)
	if err != nil {
		return ImportResult{}, err
	}
	defer s.db.BulkLoad(ctx)()
	im := &contractImport{importRun: importRun[pendingContract]{rej: newRejectWriter(rejects)}, s: s, actor: actor,
		agencies: map[string]lookup[unit]{}}
	err = im.run(ctx, rows, progress)
	if ferr := im.rej.flush(); err == nil {
		err = ferr
	}
	s.analyze(ctx, im.res, progress, "contracts", "contract_holders")
	detail := map[string]any{"format": format, "result": im.res}
	if err != nil {
		detail["error"] = err.Error()
	}
	if aerr := s.log.Record(ctx, s.db, actor, "contract.import", "import", core.NewID(), "", detail); err == nil {
		err = aerr
	}
	return im.res, err
}

// pendingContract is a good row waiting for its batch.
type pendingContract struct {
	line int
	raw  string
	in   ContractInput
}

type contractImport struct {
	importRun[pendingContract]
	s        *Store
	actor    *core.Actor
	agencies map[string]lookup[unit]
}

func (im *contractImport) run(ctx context.Context, rows rowReader, progress Progress) error {
	return im.each(ctx, rows, func(row *sourceRow) (string, pendingContract, error) {
		in, err := im.contract(ctx, row)
		if err != nil {
			return "", pendingContract{}, err
		}
		return in.Number, pendingContract{line: row.line, raw: row.raw, in: in}, nil
	}, im.write, progress)
}

// contract understands one row: decoded, normalised, its agency found.
// What is wrong with the row is an Invalid error.
func (im *contractImport) contract(ctx context.Context, row *sourceRow) (ContractInput, error) {
	in, err := decodeContract(row)
	if err == nil {
		err = in.normalize().Err()
	}
	if err != nil || in.AgencyCode == "" {
		return in, err
	}
	ag, ok := im.agencies[in.AgencyCode]
	if !ok {
		f := core.Fields{}
		u, err := resolveAgency(ctx, im.s.db, im.actor, in.AgencyCode, f)
		if err != nil {
			return in, err
		}
		ag = lookup[unit]{v: u, why: f["agency_code"]}
		im.agencies[in.AgencyCode] = ag
	}
	if ag.why.Code != "" {
		return in, core.Fields{"agency_code": ag.why}.Err()
	}
	return in, nil
}

// decodeContract reads a ContractInput from a CSV or NDJSON row.
func decodeContract(row *sourceRow) (ContractInput, error) {
	var in ContractInput
	if row.err != nil {
		return in, core.Errorf(core.Invalid, "%s", row.err.Error())
	}
	if row.json != nil {
		dec := json.NewDecoder(bytes.NewReader(row.json))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return in, core.Errorf(core.Invalid, "not a valid contract object: %v", err)
		}
		return in, nil
	}
	in = ContractInput{Number: row.get("number"), Product: row.get("product"), Status: row.get("status"),
		OpenedOn: row.get("opened_on"), ClosedOn: row.get("closed_on"), AgencyCode: row.get("agency_code")}
	for n := range strings.SplitSeq(row.get("holder_client_numbers"), ";") {
		if n = strings.TrimSpace(n); n != "" {
			in.HolderClientNumbers = append(in.HolderClientNumbers, n)
		}
	}
	return in, nil
}

// storedContract is a contract as an import compares it.
type storedContract struct {
	id, product, status, openedOn, closedOn, agencyID string
	holders                                           []string // party ids, sorted
}

// write stores the batch in one transaction, resolving holders by client
// number and comparing with the contracts already stored.
func (im *contractImport) write(ctx context.Context) error {
	now := core.Millis(im.s.clock.Now())
	var inserted, updated, unchanged int
	type refusal struct {
		item pendingContract
		why  string
	}
	var refused []refusal
	err := im.s.db.WithTx(ctx, func(tx *db.Tx) error {
		inserted, updated, unchanged, refused = 0, 0, 0, nil
		holders, err := holdersByNumber(ctx, tx, im.batch, im.actor.Scope)
		if err != nil {
			return err
		}
		existing, err := contractsByNumber(ctx, tx, im.batch)
		if err != nil {
			return err
		}
		var rows, links [][]any
		for _, item := range im.batch {
			in := item.in
			var ids []string
			why := ""
			for i, n := range in.HolderClientNumbers {
				h, ok := holders[normalizeNumber(n)]
				if !ok {
					why = fmt.Sprintf("holder_client_numbers[%d]: no client with this number", i)
					break
				}
				if !slices.Contains(ids, h.id) {
					ids = append(ids, h.id)
				}
			}
			if why == "" && len(ids) == 0 {
				why = "holder_client_numbers: at least one holder"
			}
			if why != "" {
				refused = append(refused, refusal{item, why})
				continue
			}
			agencyID := holders[normalizeNumber(in.HolderClientNumbers[0])].agencyID
			if in.AgencyCode != "" {
				agencyID = im.agencies[in.AgencyCode].v.ID
			}
			slices.Sort(ids)
			want := storedContract{product: in.Product, status: in.Status, openedOn: in.OpenedOn, closedOn: in.ClosedOn,
				agencyID: agencyID, holders: ids}
			old, ok := existing[in.Number]
			if !ok {
				id := core.NewID()
				rows = append(rows, []any{id, in.Number, in.Product, in.Status, nullable(in.OpenedOn), nullable(in.ClosedOn), agencyID, now, now})
				for _, h := range ids {
					links = append(links, []any{id, h})
				}
				inserted++
				continue
			}
			if !im.actor.Scope.Contains(old.agencyID) {
				refused = append(refused, refusal{item, "number: belongs to a contract outside your scope"})
				continue
			}
			want.id = old.id
			if old.product == want.product && old.status == want.status && old.openedOn == want.openedOn &&
				old.closedOn == want.closedOn && old.agencyID == want.agencyID && slices.Equal(old.holders, want.holders) {
				unchanged++
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE contracts SET product = ?, status = ?, opened_on = ?, closed_on = ?, agency_id = ?,
				updated_at = ? WHERE id = ?`, in.Product, in.Status, nullable(in.OpenedOn), nullable(in.ClosedOn), agencyID, now, old.id); err != nil {
				return fmt.Errorf("update contract %s: %w", in.Number, err)
			}
			if !slices.Equal(old.holders, want.holders) {
				if _, err := tx.Exec(ctx, "DELETE FROM contract_holders WHERE contract_id = ?", old.id); err != nil {
					return fmt.Errorf("replace holders of %s: %w", in.Number, err)
				}
				for _, h := range ids {
					links = append(links, []any{old.id, h})
				}
			}
			updated++
		}
		if err := db.InsertMany(ctx, tx, `INSERT INTO contracts (id, number, product, status, opened_on, closed_on, agency_id,
			created_at, updated_at) VALUES `, "(?, ?, ?, ?, ?, ?, ?, ?, ?)", rows); err != nil {
			return fmt.Errorf("insert contracts: %w", err)
		}
		if err := db.InsertMany(ctx, tx, "INSERT INTO contract_holders (contract_id, party_id) VALUES ", "(?, ?)", links); err != nil {
			return fmt.Errorf("insert contract holders: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import rows %d to %d: %w", im.batch[0].line, im.batch[len(im.batch)-1].line, err)
	}
	im.res.Inserted += inserted
	im.res.Updated += updated
	im.res.Unchanged += unchanged
	for _, r := range refused {
		im.reject(r.item.line, r.why, r.item.raw)
	}
	return nil
}

// holder is a party as a contract import refers to it.
type holder struct{ id, agencyID string }

// holdersByNumber finds the parties in scope holding the client numbers the
// batch names.
func holdersByNumber(ctx context.Context, q db.Querier, batch []pendingContract, scope core.Scope) (map[string]holder, error) {
	var numbers []any
	seen := map[string]bool{}
	for _, item := range batch {
		for _, n := range item.in.HolderClientNumbers {
			if n = normalizeNumber(n); !seen[n] {
				seen[n] = true
				numbers = append(numbers, n)
			}
		}
	}
	found := map[string]holder{}
	cond, scopeArgs := scopeFilter("agency_id", scope)
	const per = 500
	for start := 0; start < len(numbers); start += per {
		chunk := numbers[start:min(start+per, len(numbers))]
		rows, err := q.Query(ctx, "SELECT client_number, id, agency_id FROM parties WHERE client_number IN ("+
			db.Placeholders(len(chunk))+")"+cond, append(slices.Clone(chunk), scopeArgs...)...)
		if err != nil {
			return nil, fmt.Errorf("find holders: %w", err)
		}
		err = eachRow(rows, func() error {
			var n string
			var h holder
			if err := rows.Scan(&n, &h.id, &h.agencyID); err != nil {
				return err
			}
			found[n] = h
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("find holders: %w", err)
		}
	}
	return found, nil
}

// contractsByNumber loads the stored contracts the batch names, with their holders.
func contractsByNumber(ctx context.Context, q db.Querier, batch []pendingContract) (map[string]*storedContract, error) {
	found := map[string]*storedContract{}
	byID := map[string]*storedContract{}
	const per = 500
	for start := 0; start < len(batch); start += per {
		chunk := batch[start:min(start+per, len(batch))]
		args := make([]any, len(chunk))
		for i, item := range chunk {
			args[i] = item.in.Number
		}
		rows, err := q.Query(ctx, `SELECT id, number, product, status, COALESCE(opened_on, ''), COALESCE(closed_on, ''), agency_id
			FROM contracts WHERE number IN (`+db.Placeholders(len(args))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("find existing contracts: %w", err)
		}
		err = eachRow(rows, func() error {
			var c storedContract
			var number string
			if err := rows.Scan(&c.id, &number, &c.product, &c.status, &c.openedOn, &c.closedOn, &c.agencyID); err != nil {
				return err
			}
			found[number], byID[c.id] = &c, &c
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("find existing contracts: %w", err)
		}
	}
	ids := make([]any, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	for start := 0; start < len(ids); start += per {
		chunk := ids[start:min(start+per, len(ids))]
		rows, err := q.Query(ctx, "SELECT contract_id, party_id FROM contract_holders WHERE contract_id IN ("+
			db.Placeholders(len(chunk))+")", chunk...)
		if err != nil {
			return nil, fmt.Errorf("find contract holders: %w", err)
		}
		err = eachRow(rows, func() error {
			var cid, pid string
			if err := rows.Scan(&cid, &pid); err != nil {
				return err
			}
			byID[cid].holders = append(byID[cid].holders, pid)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("find contract holders: %w", err)
		}
	}
	for _, c := range byID {
		slices.Sort(c.holders)
	}
	return found, nil
}
