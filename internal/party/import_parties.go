package party

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// partyColumnsCSV are the columns a CSV import of parties may have.
var partyColumnsCSV = []string{"kind", "status", "client_number", "first_name", "last_name", "name", "birth_date",
	"segment", "agency_code", "advisor_login", "email", "email_kind", "phone", "phone_kind", "line1", "line2",
	"postal_code", "city", "country", "consent_email", "consent_sms", "consent_phone"}

// ImportParties reads parties from r, CSV with a header row of API field
// names (one email, phone and address per row) or NDJSON of Input objects,
// and upserts them on their client number: new ones are inserted, changed
// ones updated, identical ones left alone, so importing a file twice changes
// nothing. Bad rows are written to rejects as "line,reason,raw" CSV lines
// while good rows go in, a few thousand per transaction, new parties by the
// engine's bulk path (bulkInsertParties); a large import defers the
// maintenance of the secondary indexes to its end (bulkIndexes). progress, when
// set, is told how many rows were read so far, then each phase of the end. The run is audited once, as
// party.import. Requires party.edit; parties outside the actor's scope are
// rejected.
func (s *Store) ImportParties(ctx context.Context, actor *core.Actor, r io.Reader, format string, rejects io.Writer, progress Progress) (ImportResult, error) {
	if err := actor.Require(core.PermPartyEdit); err != nil {
		return ImportResult{}, err
	}
	rows, err := newRowReader(r, format, partyColumnsCSV)
	if err != nil {
		return ImportResult{}, err
	}
	defer s.db.BulkLoad(ctx)()
	im := &partyImport{importRun: importRun[pendingParty]{rej: newRejectWriter(rejects)}, s: s, actor: actor,
		agencies: map[string]lookup[unit]{}, advisors: map[string]lookup[advisor]{}, indexes: bulkIndexes{s: s}}
	if err := im.indexes.start(ctx); err != nil {
		return ImportResult{}, err
	}
	err = im.run(ctx, rows, progress)
	if im.indexes.deferred {
		progress.phase(im.res.Read, PhaseIndexes)
	}
	err = errors.Join(err, im.indexes.finish(ctx))
	if ferr := im.rej.flush(); err == nil {
		err = ferr
	}
	s.analyze(ctx, im.res, progress, "parties", "party_emails", "party_phones", "party_addresses", "party_name_words", "party_name_pairs")
	detail := map[string]any{"format": format, "result": im.res}
	if err != nil {
		detail["error"] = err.Error()
	}
	if aerr := s.log.Record(ctx, s.db, actor, "party.import", "import", core.NewID(), "", detail); err == nil {
		err = aerr
	}
	return im.res, err
}

// analyze refreshes the planner statistics after a bulk load (PostgreSQL;
// see db.Analyze), so searches right after an import do not run on plans
// made for empty tables. A failure is harmless — the statistics stay as they
// were — so it is not reported.
func (s *Store) analyze(ctx context.Context, res ImportResult, progress Progress, tables ...string) {
	if s.db.Dialect() != db.Postgres || res.Inserted+res.Updated < analyzeAfter {
		return
	}
	progress.phase(res.Read, PhaseStatistics)
	_ = s.db.Analyze(ctx, tables...)
}

// analyzeAfter is how many rows an import writes before it refreshes the
// planner statistics.
const analyzeAfter = 1000

// lookup caches the answer to an agency or advisor lookup, or why it failed.
type lookup[T any] struct {
	v   T
	why core.Reason
}

// pendingParty is a good row waiting for its batch to be written.
type pendingParty struct {
	line int
	raw  string
	p    *Party
}

type partyImport struct {
	importRun[pendingParty]
	s        *Store
	actor    *core.Actor
	agencies map[string]lookup[unit]
	advisors map[string]lookup[advisor]
	indexes  bulkIndexes // deferred maintenance of the secondary indexes of a large import
}

// run reads and understands the rows ahead (readAhead) while the batches
// before them are written.
func (im *partyImport) run(ctx context.Context, rows rowReader, progress Progress) error {
	ahead, accept, stop := readAhead(ctx, rows, func(row *sourceRow) (string, pendingParty, error) {
		p, err := im.party(ctx, row)
		if err != nil {
			return "", pendingParty{}, err
		}
		return p.ClientNumber, pendingParty{line: row.line, raw: row.raw, p: p}, nil
	})
	defer stop()
	return im.each(ctx, ahead, accept, im.write, progress)
}

// party understands one row: decoded, normalised, its agency and advisor
// found. What is wrong with the row is an Invalid error.
func (im *partyImport) party(ctx context.Context, row *sourceRow) (*Party, error) {
	if row.err != nil {
		return nil, core.Errorf(core.Invalid, "%s", row.err.Error())
	}
	in, err := decodeParty(row)
	if err != nil {
		return nil, err
	}
	f := in.normalize(im.s.clock.Now())
	if in.ClientNumber == "" {
		return nil, core.Errorf(core.Invalid, "client_number required for import")
	}
	ag, ok := im.agencies[in.AgencyCode]
	if !ok {
		fa := core.Fields{}
		u, err := resolveAgency(ctx, im.s.db, im.actor, in.AgencyCode, fa)
		if err != nil {
			return nil, err
		}
		ag = lookup[unit]{v: u, why: fa["agency_code"]}
		im.agencies[in.AgencyCode] = ag
	}
	if ag.why.Code != "" {
		f.Add("agency_code", ag.why)
	}
	adv, ok := im.advisors[in.AdvisorLogin]
	if !ok {
		fa := core.Fields{}
		a, err := resolveAdvisor(ctx, im.s.db, in.AdvisorLogin, fa)
		if err != nil {
			return nil, err
		}
		adv = lookup[advisor]{v: a, why: fa["advisor_login"]}
		im.advisors[in.AdvisorLogin] = adv
	}
	if adv.why.Code != "" {
		f.Add("advisor_login", adv.why)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return fromInput(&in, ag.v, adv.v), nil
}

// decodeParty reads an Input from a CSV or NDJSON row.
func decodeParty(row *sourceRow) (Input, error) {
	var in Input
	if row.json != nil {
		dec := json.NewDecoder(bytes.NewReader(row.json))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return in, core.Errorf(core.Invalid, "not a valid party object: %v", err)
		}
		return in, nil
	}
	in = Input{Kind: row.get("kind"), Status: row.get("status"), ClientNumber: row.get("client_number"),
		FirstName: row.get("first_name"), LastName: row.get("last_name"), Name: row.get("name"),
		BirthDate: row.get("birth_date"), Segment: row.get("segment"), AgencyCode: row.get("agency_code"),
		AdvisorLogin: row.get("advisor_login")}
	f := core.Fields{}
	for _, c := range []struct {
		col string
		dst *bool
	}{{"consent_email", &in.Consents.Email}, {"consent_sms", &in.Consents.SMS}, {"consent_phone", &in.Consents.Phone}} {
		v, ok := parseBool(row.get(c.col))
		if !ok {
			f.Add(c.col, core.Because("boolean"))
		}
		*c.dst = v
	}
	if a := row.get("email"); a != "" {
		in.Emails = []Email{{Address: a, Kind: row.get("email_kind"), Favorite: true}}
	}
	if n := row.get("phone"); n != "" {
		in.Phones = []Phone{{Number: n, Kind: row.get("phone_kind")}}
	}
	if l1, pc, city := row.get("line1"), row.get("postal_code"), row.get("city"); l1 != "" || pc != "" || city != "" {
		in.Addresses = []Address{{Line1: l1, Line2: row.get("line2"), PostalCode: pc, City: city, Country: row.get("country")}}
	}
	return in, f.Err()
}

// write stores the batch in one transaction: existing parties (by client
// number) are compared and updated when they differ, new ones inserted.
func (im *partyImport) write(ctx context.Context) error {
	im.indexes.inserted(ctx, im.res.Inserted)
	now := im.s.clock.Now()
	var inserted, updated, unchanged int
	var refused []pendingParty
	err := im.s.db.WithBulkTx(ctx, func(tx *db.Tx) error {
		inserted, updated, unchanged, refused = 0, 0, 0, nil
		existing, err := partiesByNumber(ctx, tx, im.batch)
		if err != nil {
			return err
		}
		var fresh, changed []*Party
		for _, item := range im.batch {
			p := *item.p
			old := existing[p.ClientNumber]
			if old == nil {
				p.ID, p.CreatedAt, p.UpdatedAt, p.Version = core.NewID(), now, now, 1
				fresh = append(fresh, &p)
				continue
			}
			if !im.actor.Scope.Contains(old.AgencyID) {
				refused = append(refused, item)
				continue
			}
			p.ID, p.CreatedAt, p.UpdatedAt, p.Version = old.ID, old.CreatedAt, old.UpdatedAt, old.Version
			if len(changes(old, &p)) == 0 {
				unchanged++
				continue
			}
			p.UpdatedAt, p.Version = now, old.Version+1
			if err := im.s.updateParty(ctx, tx, old, &p); err != nil {
				return err
			}
			changed = append(changed, &p)
			updated++
		}
		if err := im.s.bulkInsertParties(ctx, tx, fresh, im.indexes.staged); err != nil {
			return err
		}
		byID := map[string]*Party{}
		for _, old := range existing {
			byID[old.ID] = old
		}
		if err := im.s.gained(ctx, tx, byID, append(changed, fresh...)...); err != nil {
			return err
		}
		inserted = len(fresh)
		return nil
	})
	if err != nil {
		return fmt.Errorf("import rows %d to %d: %w", im.batch[0].line, im.batch[len(im.batch)-1].line, err)
	}
	im.res.Inserted += inserted
	im.res.Updated += updated
	im.res.Unchanged += unchanged
	for _, item := range refused {
		im.reject(item.line, "client_number: belongs to a party outside your scope", item.raw)
	}
	return nil
}

// partiesByNumber loads, with their coordinates, the parties holding the
// client numbers of the batch.
func partiesByNumber(ctx context.Context, q db.Querier, batch []pendingParty) (map[string]*Party, error) {
	found := map[string]*Party{}
	var list []*Party
	const per = 500
	for start := 0; start < len(batch); start += per {
		chunk := batch[start:min(start+per, len(batch))]
		args := make([]any, len(chunk))
		for i, item := range chunk {
			args[i] = item.p.ClientNumber
		}
		rows, err := q.Query(ctx, selectParty+" WHERE p.client_number IN ("+db.Placeholders(len(args))+")", args...)
		if err != nil {
			return nil, fmt.Errorf("find existing parties: %w", err)
		}
		err = eachRow(rows, func() error {
			p, err := scanParty(rows)
			if err != nil {
				return err
			}
			found[p.ClientNumber] = p
			list = append(list, p)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("find existing parties: %w", err)
		}
	}
	for start := 0; start < len(list); start += per {
		if err := loadCoordinates(ctx, q, list[start:min(start+per, len(list))]); err != nil {
			return nil, err
		}
	}
	return found, nil
}
