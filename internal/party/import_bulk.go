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
// took most of the import's time. tx must come from db.WithBulkTx.
func (s *Store) bulkInsertParties(ctx context.Context, tx *db.Tx, ps []*Party) error {
	if len(ps) == 0 {
		return nil
	}
	for _, p := range ps {
		giveCoordinateIDs(p)
	}
	if tx.Dialect() == db.Postgres {
		return copyParties(ctx, tx, ps)
	}
	return insertPartiesPrepared(ctx, tx, ps)
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

// copyParties loads ps with COPY, their name index rows
// (party_name_words, party_name_pairs) included.
func copyParties(ctx context.Context, tx *db.Tx, ps []*Party) error {
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
	if err := tx.CopyFrom(ctx, "party_name_words", nameWordColumns, words); err != nil {
		return err
	}
	if err := tx.CopyFrom(ctx, "party_name_pairs", namePairColumns, pairs); err != nil {
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
// table, a row at a time.
func insertPartiesPrepared(ctx context.Context, tx *db.Tx, ps []*Party) error {
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
	words, err := ins("party_name_words", nameWordColumns)
	if err != nil {
		return err
	}
	pairs, err := ins("party_name_pairs", namePairColumns)
	if err != nil {
		return err
	}
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
