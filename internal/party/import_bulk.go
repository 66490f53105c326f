package party

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// bulkInsertParties writes the new parties of an import batch, with their
// coordinates and name index entries, the way each engine loads fastest
// (the profiles are in docs/performance.md, "Bank scale"): COPY on
// PostgreSQL; on SQLite, statements prepared once per batch and run a row
// at a time, because a multi-row INSERT into a table with foreign keys
// makes SQLite copy every page it touches into a statement journal, which
// took most of the import's time. With staged, the name index rows go to
// the staging tables, merged at the import's end (MergeStagedNames).
// tx must come from db.WithBulkTx.
func (s *Store) bulkInsertParties(ctx context.Context, tx *db.Tx, ps []*Party, staged bool) error {
	if len(ps) == 0 {
		return nil
	}
	for _, p := range ps {
		giveCoordinateIDs(p)
	}
	names := liveNames
	if staged {
		names = stagedNames
	}
	if tx.Dialect() == db.Postgres {
		return copyParties(ctx, tx, ps, names)
	}
	return insertPartiesPrepared(ctx, tx, ps, names)
}

// giveCoordinateIDs gives each of p's coordinates a new id.
func giveCoordinateIDs(p *Party) {
	for i := range p.Emails {
		p.Emails[i].ID = core.NewID()
	}
	for i := range p.Phones {
		p.Phones[i].ID = core.NewID()
	}
	for i := range p.Addresses {
		p.Addresses[i].ID = core.NewID()
	}
}

// coordinateRows returns the rows of ps's emails, phones and addresses, in
// the column order of emailColumns, phoneColumns and addressColumns.
func coordinateRows(ps []*Party) (emails, phones, addrs [][]any) {
	for _, p := range ps {
		for _, e := range p.Emails {
			emails = append(emails, []any{e.ID, p.ID, e.Address, e.Kind, e.Favorite})
		}
		for _, ph := range p.Phones {
			phones = append(phones, []any{ph.ID, p.ID, ph.Number, ph.Kind})
		}
		for _, a := range p.Addresses {
			addrs = append(addrs, []any{a.ID, p.ID, a.Line1, a.Line2, a.PostalCode, a.City, Fold(a.City), a.Country})
		}
	}
	return emails, phones, addrs
}

var (
	emailColumns   = []string{"id", "party_id", "address", "kind", "favorite"}
	phoneColumns   = []string{"id", "party_id", "number", "kind"}
	addressColumns = []string{"id", "party_id", "line1", "line2", "postal_code", "city", "city_folded", "country"}
)

// copyParties loads ps with COPY, their name index rows included.
func copyParties(ctx context.Context, tx *db.Tx, ps []*Party, names nameTables) error {
	columns := strings.Split(strings.ReplaceAll(partyColumns, " ", ""), ",")
	rows := make([][]any, len(ps))
	var words, pairs [][]any
	for i, p := range ps {
		rows[i] = partyArgs(p)
		w, pr := NameIndexRows(p)
		words, pairs = append(words, w...), append(pairs, pr...)
	}
	if err := tx.CopyFrom(ctx, "parties", columns, rows); err != nil {
		return err
	}
	if err := tx.CopyFrom(ctx, names.words, nameWordColumns, words); err != nil {
		return err
	}
	if err := tx.CopyFrom(ctx, names.pairs, namePairColumns, pairs); err != nil {
		return err
	}
	emails, phones, addrs := coordinateRows(ps)
	if err := tx.CopyFrom(ctx, "party_emails", emailColumns, emails); err != nil {
		return err
	}
	if err := tx.CopyFrom(ctx, "party_phones", phoneColumns, phones); err != nil {
		return err
	}
	return tx.CopyFrom(ctx, "party_addresses", addressColumns, addrs)
}

// insertPartiesPrepared writes ps on SQLite with one prepared statement per
// table, a row at a time; name index rows bound for the staging tables,
// which have no constraint to check, go in multi-row INSERTs.
func insertPartiesPrepared(ctx context.Context, tx *db.Tx, ps []*Party, names nameTables) error {
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	prepare := func(name, query string) (*sql.Stmt, error) {
		st, err := tx.Prepare(ctx, query)
		if err != nil {
			return nil, fmt.Errorf("prepare %s: %w", name, err)
		}
		stmts[name] = st
		return st, nil
	}
	ins := func(table string, columns []string) (*sql.Stmt, error) {
		return prepare(table, "INSERT INTO "+table+" ("+strings.Join(columns, ", ")+") VALUES ("+db.Placeholders(len(columns))+")")
	}
	party, err := prepare("parties", "INSERT INTO parties ("+partyColumns+") VALUES ("+db.Placeholders(18)+")")
	if err != nil {
		return err
	}
	var words, pairs *sql.Stmt
	if !names.staged {
		if words, err = ins(names.words, nameWordColumns); err != nil {
			return err
		}
		if pairs, err = ins(names.pairs, namePairColumns); err != nil {
			return err
		}
	}
	var stagedWords, stagedPairs [][]any
	email, err := ins("party_emails", emailColumns)
	if err != nil {
		return err
	}
	phone, err := ins("party_phones", phoneColumns)
	if err != nil {
		return err
	}
	addr, err := ins("party_addresses", addressColumns)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if _, err := party.ExecContext(ctx, partyArgs(p)...); err != nil {
			return fmt.Errorf("insert party %s: %w", p.ClientNumber, err)
		}
		ws, prs := NameIndexRows(p)
		if names.staged {
			stagedWords, stagedPairs = append(stagedWords, ws...), append(stagedPairs, prs...)
			continue
		}
		for _, t := range []struct {
			st   *sql.Stmt
			rows [][]any
		}{{words, ws}, {pairs, prs}} {
			for _, r := range t.rows {
				if _, err := t.st.ExecContext(ctx, r...); err != nil {
					return fmt.Errorf("index party %s: %w", p.ClientNumber, err)
				}
			}
		}
	}
	if err := db.InsertRows(ctx, tx, names.words, nameWordColumns, stagedWords); err != nil {
		return fmt.Errorf("stage name index: %w", err)
	}
	if err := db.InsertRows(ctx, tx, names.pairs, namePairColumns, stagedPairs); err != nil {
		return fmt.Errorf("stage name index by pairs: %w", err)
	}
	emails, phones, addrs := coordinateRows(ps)
	for _, w := range []struct {
		st   *sql.Stmt
		what string
		rows [][]any
	}{{email, "emails", emails}, {phone, "phones", phones}, {addr, "addresses", addrs}} {
		for _, r := range w.rows {
			if _, err := w.st.ExecContext(ctx, r...); err != nil {
				return fmt.Errorf("insert %s: %w", w.what, err)
			}
		}
	}
	return nil
}
