package bench

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// generateFigure is the time the bulk load of the generated parties took.
type generateFigure struct {
	Figure        string  `json:"figure"`
	N             int     `json:"n"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

// partyColumns are the columns of parties the bulk load writes; seq only on
// SQLite.
var partyColumns = []string{"seq", "id", "kind", "status", "client_number", "first_name", "last_name", "name", "sort_name",
	"birth_date", "segment", "agency_id", "advisor_id", "consent_email", "consent_sms", "consent_phone", "created_at", "updated_at"}

var (
	nameWordColumns = []string{"word", "party_id", "agency_id", "terms", "sort_name"}
	namePairColumns = []string{"word", "other", "party_id", "terms", "sort_name"}
	emailColumns    = []string{"id", "party_id", "address", "kind", "favorite"}
	phoneColumns    = []string{"id", "party_id", "number", "kind"}
	addressColumns  = []string{"id", "party_id", "line1", "line2", "postal_code", "city", "city_folded", "country"}
)

// partyRows is one chunk of generated parties as rows of each table.
type partyRows struct {
	parties, emails, phones, addresses, names, pairs [][]any
}

// generateParties writes n generated parties (generator rows 0 to n-1) with
// their email, phone, address and name index entry by bare bulk inserts,
// as ImportParties would store them, without going through it (which is
// what import_parties measures): multi-row INSERTs on SQLite, COPY on
// PostgreSQL, secondary indexes dropped during the load and rebuilt after,
// then statistics gathered. It is the search bench's way to ten million.
func generateParties(ctx context.Context, d *db.DB, g *generator, n int, logger *slog.Logger) (generateFigure, error) {
	defer d.BulkLoad(ctx)() // the writer's larger cache, as an import gets
	start := time.Now()
	units, agents, err := benchIDs(ctx, d)
	if err != nil {
		return generateFigure{}, err
	}
	indexes, err := dropIndexes(ctx, d, "the parties", "parties", "party_emails", "party_phones", "party_addresses", "party_name_words", "party_name_pairs")
	if err != nil {
		return generateFigure{}, err
	}
	conn, err := d.Writer().Conn(ctx)
	if err != nil {
		return generateFigure{}, err
	}
	defer conn.Close()
	pg := d.Dialect() == db.Postgres
	if !pg {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return generateFigure{}, err
		}
	}
	now := time.Now().UnixMilli()
	for from := 0; from < n; from += chunkRows {
		c := partyRows{}
		for i := from; i < min(from+chunkRows, n); i++ {
			c.add(g.row(i), int64(i+1), units, agents, now)
		}
		if pg {
			err = copyParties(ctx, conn, c)
		} else {
			err = insertParties(ctx, conn, c)
		}
		if err != nil {
			return generateFigure{}, err
		}
		if (from/chunkRows)%4 == 3 {
			logger.Info("bench: generated", "parties", min(from+chunkRows, n), "of", n)
		}
	}
	if !pg {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); err != nil {
			return generateFigure{}, err
		}
	}
	conn.Close() // the writing pool's one connection, which the index builds need
	logger.Info("bench: building the parties' indexes")
	if err := rebuildIndexes(ctx, d, indexes); err != nil {
		return generateFigure{}, err
	}
	if err := analyseTables(ctx, d, "parties", "party_emails", "party_phones", "party_addresses", "party_name_words", "party_name_pairs"); err != nil {
		return generateFigure{}, err
	}
	secs := time.Since(start).Seconds()
	return generateFigure{Figure: "generate_parties", N: n, Seconds: round(secs), RowsPerSecond: round(float64(n) / secs)}, nil
}

// add appends row w as party seq to the chunk, as the import stores it.
func (c *partyRows) add(w row, seq int64, units, agents map[string]string, now int64) {
	r := w.rec
	id := core.NewID()
	kind, first, last, name := r[0], r[3], r[4], r[5]
	sortName := party.Fold(last + " " + first)
	if kind == "organization" {
		sortName = party.Fold(name)
	}
	var birth any
	if r[6] != "" {
		birth = r[6]
	}
	c.parties = append(c.parties, []any{seq, id, kind, r[1], r[2], first, last, name, sortName, birth, r[7],
		units[r[8]], agents[r[9]], r[19] == "true", r[20] == "true", r[21] == "true", now, now})
	names, pairs := party.NameIndexRows(&party.Party{ID: id, Kind: kind, FirstName: first, LastName: last, Name: name, AgencyID: units[r[8]]})
	c.names, c.pairs = append(c.names, names...), append(c.pairs, pairs...)
	c.emails = append(c.emails, []any{core.NewID(), id, strings.ToLower(w.email), r[11], true})
	phone, _ := party.NormalizePhone(w.phone)
	c.phones = append(c.phones, []any{core.NewID(), id, phone, r[13]})
	c.addresses = append(c.addresses, []any{core.NewID(), id, r[14], r[15], r[16], r[17], party.Fold(r[17]), r[18]})
}

// insertParties writes a chunk in one transaction on SQLite.
func insertParties(ctx context.Context, conn *sql.Conn, c partyRows) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range []struct {
		table   string
		columns []string
		rows    [][]any
	}{{"parties", partyColumns, c.parties}, {"party_emails", emailColumns, c.emails}, {"party_phones", phoneColumns, c.phones},
		{"party_addresses", addressColumns, c.addresses}, {"party_name_words", nameWordColumns, c.names},
		{"party_name_pairs", namePairColumns, c.pairs}} {
		if err := insertPrepared(ctx, tx, t.table, t.columns, t.rows); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// copyParties writes a chunk in one transaction on PostgreSQL by COPY.
func copyParties(ctx context.Context, conn *sql.Conn, c partyRows) error {
	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		parties := make([][]any, len(c.parties))
		for i, p := range c.parties {
			parties[i] = p[1:] // no seq
		}
		for _, t := range []struct {
			table   string
			columns []string
			rows    [][]any
		}{{"parties", partyColumns[1:], parties}, {"party_emails", emailColumns, c.emails}, {"party_phones", phoneColumns, c.phones},
			{"party_addresses", addressColumns, c.addresses}, {"party_name_words", nameWordColumns, c.names},
			{"party_name_pairs", namePairColumns, c.pairs}} {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.columns, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", t.table, err)
			}
		}
		return tx.Commit(ctx)
	})
}

// benchIDs returns the IDs of the units by code and of the agents by login.
func benchIDs(ctx context.Context, d *db.DB) (units, agents map[string]string, err error) {
	units, agents = map[string]string{}, map[string]string{}
	for _, t := range []struct {
		query string
		into  map[string]string
	}{{"SELECT code, id FROM units", units}, {"SELECT login, id FROM agents", agents}} {
		rows, err := d.Query(ctx, t.query)
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return nil, nil, err
			}
			t.into[k] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return units, agents, nil
}

// analyseTables gathers PostgreSQL's statistics on tables (constant
// names), with a VACUUM that sets the visibility map as autovacuum soon
// would; nothing on SQLite, where the application never gathers any.
func analyseTables(ctx context.Context, d *db.DB, tables ...string) error {
	if d.Dialect() != db.Postgres {
		return nil
	}
	for _, t := range tables {
		if _, err := d.Exec(ctx, "VACUUM (ANALYZE) "+t); err != nil {
			return fmt.Errorf("analyse %s: %w", t, err)
		}
	}
	return nil
}
