package bench

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// heavyRequests is how many requests get a long thread; the request page
// is timed on them.
const heavyRequests = 20

// heavyMessages is the length of each heavy request's thread.
const heavyMessages = 200

// deskChunk is how many generated requests (with their messages) are
// written per transaction.
const deskChunk = 10_000

// The columns of desk_requests and desk_messages the generator fills.
var (
	deskRequestColumns = []string{"id", "reference", "unit_id", "channel", "status", "priority", "reason", "subject",
		"customer_name", "customer_email", "customer_phone", "assignee_id", "unread", "first_response_due",
		"first_response_at", "resolution_due", "closed_at", "created_at", "last_message_at", "updated_at"}
	deskMessageColumns = []string{"id", "request_id", "kind", "message_id", "from_name", "from_email", "to_emails",
		"subject", "body_text", "agent_id", "status", "flags", "created_at", "sent_at"}
)

// deskUnit is an agency of the bench organisation as the generator needs it.
type deskUnit struct {
	id, advisorID string
}

// deskGenerated is what the generated desk left for the figures.
type deskGenerated struct {
	heavy []string // ids of the requests with heavyMessages messages
}

// deskGenFigure is the size the generated desk reached and the time its
// bare bulk load took.
type deskGenFigure struct {
	Figure        string  `json:"figure"`
	Requests      int     `json:"requests"`
	Messages      int     `json:"messages"`
	OpenRequests  int     `json:"open_requests"`
	Seconds       float64 `json:"seconds"`
	RowsPerSecond float64 `json:"rows_per_second"`
}

var (
	deskSubjects = []string{"Carte bloquée", "Changement d'adresse", "Question sur mon prêt immobilier", "Déclaration de sinistre",
		"Envoi de documents", "Paiement inconnu sur mon relevé", "Augmentation de mon découvert", "Procuration",
		"Attestation de solde", "Réclamation – frais prélevés à tort", "Ouverture d'une assurance-vie", "Succession"}
	deskBodies = []string{
		"Bonjour,\n\nMa carte a été avalée par le distributeur ce matin après trois codes erronés. Pouvez-vous m'en envoyer une nouvelle rapidement ? Je pars en déplacement vendredi.\n\nMerci d'avance.",
		"Bonjour,\n\nNous avons déménagé le mois dernier : notre nouvelle adresse est 14 rue des Tanneurs, appartement 21. Pouvez-vous la mettre à jour pour nos comptes et nos cartes ?\n\nBien à vous.",
		"Bonjour,\n\nVotre dossier est complet ; l'offre de prêt part cette semaine par courrier. Vous devrez respecter le délai de réflexion de dix jours avant de l'accepter.\n\nCordialement.",
	}
	deskReasons = []string{"information", "account", "card", "loan", "savings", "insurance", "address_change", "complaint", "documents"}
)

// generateDesk bulk-inserts n requests spread over the agencies and three
// years, with m messages in all: heavyRequests recent open requests with
// heavyMessages each, the others sharing the rest. Requests of the last
// thirty days are in every state; older ones are closed but one in two
// hundred, forgotten open. Secondary indexes are dropped during the load
// and built after it, as for the history.
func generateDesk(ctx context.Context, d *db.DB, units []deskUnit, n, m int, seed uint64, logger *slog.Logger) (deskGenFigure, deskGenerated, error) {
	defer d.BulkLoad(ctx)() // the writer's larger cache, as an import gets
	f := deskGenFigure{Figure: "generate_desk", Requests: n}
	var g deskGenerated
	r := rand.New(rand.NewPCG(seed, 1010))
	heavy := map[int]bool{}
	for i := range min(heavyRequests, n) {
		heavy[n-1-i*7%n] = true
	}
	rest := max(0, m-len(heavy)*heavyMessages)
	now := time.Now().UTC()
	start := now.AddDate(-3, 0, 0)
	step := now.Sub(start) / time.Duration(n+1)
	indexes, err := dropDeskIndexes(ctx, d)
	if err != nil {
		return f, g, err
	}
	loader, err := newBulkLoader(ctx, d)
	if err != nil {
		return f, g, err
	}
	defer loader.close() // after an error; the explicit close below reports its own
	began := time.Now()
	var reqs, msgs [][]any
	light, others := 0, max(1, n-len(heavy)) // the others share the rest evenly
	for i := range n {
		u := units[r.IntN(len(units))]
		created := start.Add(step*time.Duration(i) + time.Duration(r.Int64N(int64(step))))
		status := "closed"
		if now.Sub(created) < 30*24*time.Hour {
			status = []string{"new", "open", "open", "waiting", "closed"}[r.IntN(5)]
		} else if r.IntN(200) == 0 {
			status = "open"
		}
		count := heavyMessages
		if heavy[i] {
			status = "open"
		} else {
			count = rest / others
			if light < rest%others {
				count++
			}
			light++
		}
		count = max(count, 1)
		id := core.NewID()
		if heavy[i] {
			g.heavy = append(g.heavy, id)
		}
		if status != "closed" {
			f.OpenRequests++
		}
		ms := core.Millis(created)
		var assignee, firstAt, closed any
		if r.IntN(10) < 6 {
			assignee = u.advisorID
		}
		if status != "new" {
			firstAt = ms + int64(r.IntN(6*3600_000))
		}
		if status == "closed" {
			closed = ms + int64(r.IntN(5*24*3600_000))
		}
		last := ms + int64(count)*600_000
		unread := 0
		if status == "new" {
			unread = 1
		}
		name := fmt.Sprintf("Client %d", i)
		email := fmt.Sprintf("client%d@example.com", i)
		subject := deskSubjects[r.IntN(len(deskSubjects))]
		reqs = append(reqs, []any{id, fmt.Sprintf("R-%07d", i+1), u.id, []string{"email", "email", "web_form", "phone"}[r.IntN(4)],
			status, []string{"low", "low", "medium", "high"}[r.IntN(4)], deskReasons[r.IntN(len(deskReasons))], subject,
			name, email, "", assignee, unread, ms + 4*3600_000, firstAt, ms + 3*24*3600_000, closed, ms, last, last})
		for k := range count {
			kind, from, agent, sendStatus, sent := "inbound", email, any(nil), "", any(nil)
			at := ms + int64(k)*600_000
			if k%2 == 1 {
				kind, from, agent, sendStatus, sent = "outbound", "agence@bench.example", u.advisorID, "sent", at+2000
			}
			msgs = append(msgs, []any{core.NewID(), id, kind, fmt.Sprintf("m%d.%d@example.com", i, k), name, from,
				"agence@bench.example", subject, deskBodies[r.IntN(len(deskBodies))], agent, sendStatus, "", at, sent})
		}
		f.Messages += count
		if len(reqs) == deskChunk || i == n-1 {
			if err := loader.writeTables(ctx, []tableRows{{"desk_requests", deskRequestColumns, reqs},
				{"desk_messages", deskMessageColumns, msgs}}); err != nil {
				return f, g, err
			}
			reqs, msgs = reqs[:0], msgs[:0]
			logger.Info("bench: desk generated", "requests", i+1, "messages", f.Messages)
		}
	}
	if err := loader.close(); err != nil { // gives the writing connection back
		return f, g, err
	}
	if _, err := d.Exec(ctx, "UPDATE desk_counters SET value = ? WHERE name = 'request'", n); err != nil {
		return f, g, err
	}
	logger.Info("bench: indexing the desk", "indexes", len(indexes))
	if err := rebuildIndexes(ctx, d, indexes); err != nil {
		return f, g, err
	}
	// PostgreSQL's autovacuum would gather statistics and set the
	// visibility map soon after such a load; SQLite's desk queries are
	// written for its planner without statistics, and the application
	// never runs ANALYZE there.
	if d.Dialect() == db.Postgres {
		if _, err := d.Exec(ctx, "VACUUM (ANALYZE) desk_requests, desk_messages"); err != nil {
			return f, g, err
		}
	}
	f.Seconds = round(time.Since(began).Seconds())
	if f.Seconds > 0 {
		f.RowsPerSecond = round(float64(f.Requests+f.Messages) / f.Seconds)
	}
	return f, g, nil
}

// tableRows are rows to write into a table's columns.
type tableRows struct {
	table   string
	columns []string
	rows    [][]any
}

// writeTables writes each table's rows, in order, in one transaction:
// COPY on PostgreSQL, prepared multi-row INSERTs on SQLite.
func (l *bulkLoader) writeTables(ctx context.Context, tables []tableRows) error {
	if l.dialect == db.SQLite {
		tx, err := l.conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for _, t := range tables {
			if err := insertPrepared(ctx, tx, t.table, t.columns, t.rows); err != nil {
				return err
			}
		}
		return tx.Commit()
	}
	return l.conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, t := range tables {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.columns, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", t.table, err)
			}
		}
		return tx.Commit(ctx)
	})
}

// deskUnits returns the agencies with their advisor.
func deskUnits(ctx context.Context, d *sql.DB) ([]deskUnit, error) {
	rows, err := d.QueryContext(ctx, `SELECT u.id, MIN(a.id) FROM units u JOIN agents a ON a.unit_id = u.id
		WHERE u.kind = 'agency' GROUP BY u.id ORDER BY u.id`)
	if err != nil {
		return nil, fmt.Errorf("bench agencies: %w", err)
	}
	defer rows.Close()
	var out []deskUnit
	for rows.Next() {
		var u deskUnit
		if err := rows.Scan(&u.id, &u.advisorID); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// dropDeskIndexes drops the indexes of desk_requests and desk_messages
// that no constraint needs and returns them, to be rebuilt after the load.
func dropDeskIndexes(ctx context.Context, d *db.DB) ([]index, error) {
	return dropIndexes(ctx, d, "the desk", "desk_requests", "desk_messages")
}
