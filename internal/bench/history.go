package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// heavyParties is how many parties get a long history; the timeline is
// timed on them.
const heavyParties = 20

// heavyInteractions is the length of each heavy party's history at full
// size (smaller runs give them what their size allows).
const heavyInteractions = 10_000

// historyChunk is how many generated interactions are written per
// transaction (one COPY of each table on PostgreSQL).
const historyChunk = 100_000

// historyYears is how far back the generated history goes.
const historyYears = 3

// The columns of interactions and interaction_parties, as history.Store
// writes them.
var (
	interactionColumns = []string{"id", "source", "external_id", "channel", "direction", "outcome", "occurred_at",
		"duration_seconds", "agent_id", "agent_login_raw", "flags", "subject", "body", "category", "letter_type",
		"created_at", "establishment_id", "party_count"}
	linkColumns = []string{"party_id", "occurred_at", "interaction_id", "role", "coordinate"}
)

// historyFigure is the size the generated history reached and the time
// the bare bulk load took: inserting, rebuilding the secondary indexes,
// gathering the planner's statistics.
type historyFigure struct {
	Figure         string  `json:"figure"`
	Interactions   int     `json:"interactions"`
	Links          int     `json:"links"`
	HeavyParties   int     `json:"heavy_parties"`
	PerHeavyParty  int     `json:"interactions_per_heavy_party"`
	Seconds        float64 `json:"seconds"`
	InsertSeconds  float64 `json:"insert_seconds"`
	IndexSeconds   float64 `json:"index_seconds"`
	AnalyzeSeconds float64 `json:"analyze_seconds"`
	RowsPerSecond  float64 `json:"interactions_per_second"`
}

// benchParty is an imported party as the history generator needs it.
type benchParty struct {
	id, email, phone  string // the coordinates as stored: lower-case email, E.164 phone
	agentID, login    string // the advisor
	heavy             bool
	interactionsToGen int
}

// generated is what the generated history left for the figures after it.
type generated struct {
	heavy         []string // ids of the heavy parties
	perHeavy      int
	establishment string
}

// loadParties reads every party in id order with its email, phone and
// advisor; the parties of generator rows 0 to heavyParties-1 are heavy.
func loadParties(ctx context.Context, d *db.DB) ([]benchParty, error) {
	heavyNumbers := map[string]bool{}
	for i := range heavyParties {
		heavyNumbers[fmt.Sprintf("%010d", 1_000_000_000+i)] = true
	}
	rows, err := d.Query(ctx, `SELECT p.id, COALESCE(p.client_number, ''), COALESCE(e.address, ''), COALESCE(ph.number, ''),
		COALESCE(a.id, ''), COALESCE(a.login, '')
		FROM parties p LEFT JOIN party_emails e ON e.party_id = p.id LEFT JOIN party_phones ph ON ph.party_id = p.id
		LEFT JOIN agents a ON a.id = p.advisor_id ORDER BY p.id`)
	if err != nil {
		return nil, fmt.Errorf("read parties: %w", err)
	}
	defer rows.Close()
	var out []benchParty
	agents := map[string]string{} // one copy of each advisor's id and login
	intern := func(s string) string {
		if v, ok := agents[s]; ok {
			return v
		}
		agents[s] = s
		return s
	}
	for rows.Next() {
		var p benchParty
		var number string
		if err := rows.Scan(&p.id, &number, &p.email, &p.phone, &p.agentID, &p.login); err != nil {
			return nil, err
		}
		if len(out) > 0 && out[len(out)-1].id == p.id {
			continue // a second email or phone
		}
		p.agentID, p.login, p.heavy = intern(p.agentID), intern(p.login), heavyNumbers[number]
		out = append(out, p)
	}
	return out, rows.Err()
}

// generateHistory writes n interactions with bare bulk inserts (multi-row
// INSERTs in big transactions on SQLite, COPY on PostgreSQL): 10,000 for
// each heavy party (fewer when n is small), the rest spread at random over
// the other parties, 5% of those shared with the next party (a household's
// common address). The secondary indexes of the two tables are dropped
// during the load and rebuilt after it, then the tables are analysed.
func generateHistory(ctx context.Context, d *db.DB, admin *core.Actor, n int, seed uint64, logger *slog.Logger) (historyFigure, generated, error) {
	defer d.BulkLoad(ctx)() // the writer's larger cache, as an import gets
	start := time.Now()
	parties, err := loadParties(ctx, d)
	if err != nil {
		return historyFigure{}, generated{}, err
	}
	h := generated{perHeavy: min(heavyInteractions, n/(2*heavyParties))}
	for _, p := range parties {
		if p.heavy {
			h.heavy = append(h.heavy, p.id)
		}
	}
	if len(h.heavy) != heavyParties || len(parties) <= 2*heavyParties || h.perHeavy < 51 {
		return historyFigure{}, generated{}, fmt.Errorf("bench: the history needs more than %d parties and %d interactions",
			2*heavyParties, 2*heavyParties*51)
	}
	if h.establishment, err = establishment(ctx, d, admin.UnitID); err != nil {
		return historyFigure{}, generated{}, err
	}
	r := rand.New(rand.NewPCG(seed, 0x4157))
	others := make([]int, 0, len(parties))
	for i := range parties {
		if parties[i].heavy {
			parties[i].interactionsToGen = h.perHeavy
		} else {
			others = append(others, i)
		}
	}
	for range n - heavyParties*h.perHeavy {
		parties[others[r.IntN(len(others))]].interactionsToGen++
	}

	indexes, err := dropSecondaryIndexes(ctx, d)
	if err != nil {
		return historyFigure{}, generated{}, err
	}
	// The rows are generated on one core while the database writes them.
	genCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan historyRows, 2)
	go func() {
		defer close(chunks)
		generateRows(genCtx, parties, h.establishment, r, chunks)
	}()
	f := historyFigure{Figure: "generate_history", HeavyParties: heavyParties, PerHeavyParty: h.perHeavy}
	insertStart := time.Now()
	loader, err := newBulkLoader(ctx, d)
	if err != nil {
		return historyFigure{}, generated{}, err
	}
	for c := range chunks {
		if err := loader.write(ctx, c); err != nil {
			cancel()
			for range chunks {
			}
			return historyFigure{}, generated{}, errors.Join(err, loader.close())
		}
		f.Interactions += len(c.interactions)
		f.Links += len(c.links)
		logger.Info("bench: history written", "interactions", f.Interactions, "of", n, "links", f.Links,
			"per_second", round(float64(f.Interactions)/time.Since(insertStart).Seconds()))
	}
	if err := errors.Join(ctx.Err(), loader.close()); err != nil {
		return historyFigure{}, generated{}, err
	}
	f.InsertSeconds = round(time.Since(insertStart).Seconds())

	t := time.Now()
	logger.Info("bench: rebuilding the history's indexes", "indexes", len(indexes))
	if err := rebuildIndexes(ctx, d, indexes); err != nil {
		return historyFigure{}, generated{}, err
	}
	f.IndexSeconds = round(time.Since(t).Seconds())
	t = time.Now()
	logger.Info("bench: analysing the history")
	if err := analyseHistory(ctx, d); err != nil {
		return historyFigure{}, generated{}, err
	}
	f.AnalyzeSeconds = round(time.Since(t).Seconds())
	f.Seconds = round(time.Since(start).Seconds())
	f.RowsPerSecond = round(float64(f.Interactions) / time.Since(start).Seconds())
	return f, h, nil
}

// establishment returns the root unit of unitID, which the ingestion
// records on each interaction.
func establishment(ctx context.Context, d *db.DB, unitID string) (string, error) {
	var path string
	if err := d.QueryRow(ctx, "SELECT path FROM units WHERE id = ?", unitID).Scan(&path); err != nil {
		return "", fmt.Errorf("establishment of unit %s: %w", unitID, err)
	}
	root, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return root, nil
}

// historyRows are the rows of one transaction of the bulk load.
type historyRows struct {
	interactions, links [][]any
}

// genLink is one timeline row before its interaction has an id.
type genLink struct {
	party       string
	at          int64
	interaction int // index in the chunk
	role, coord string
}

// The generated subjects and bodies: none starts with a private keyword or
// a spam tag, so the restitution rules would have kept every one.
var (
	benchSubjects = []string{"Votre demande de prêt immobilier", "RE: Rendez-vous de jeudi", "Justificatifs de domicile",
		"TR: Relevé annuel", "Votre nouvelle carte", "Question sur mon contrat d'assurance", "RE: Virement international",
		"Ouverture d'un livret A", "Procuration pour mon fils", "Changement d'adresse"}
	benchSMS = []string{"Rappel : votre rendez-vous en agence demain à 10h", "Votre nouvelle carte est disponible en agence",
		"Votre conseiller a essayé de vous joindre"}
	benchBodies = []string{"Bonjour, pourriez-vous me rappeler au sujet de mon dossier ? Cordialement",
		"Veuillez trouver ci-joint les documents demandés. Bien à vous",
		"Merci pour votre retour, je passerai en agence la semaine prochaine."}
)

// generateRows sends the rows of the parties' histories to out, chunk by
// chunk, in party id order: each chunk's timeline rows, sorted, come after
// the previous chunk's in the primary key, and the interactions' ids
// (time-ordered) increase, so every remaining index is written at its end.
func generateRows(ctx context.Context, parties []benchParty, establishment string, r *rand.Rand, out chan<- historyRows) {
	now := time.Now()
	created := core.Millis(now)
	span := int64(historyYears * 365 * 24 * time.Hour / time.Millisecond)
	var cur historyRows
	var links []genLink
	flush := func() bool {
		ids := make([]string, len(cur.interactions))
		for i, row := range cur.interactions {
			ids[i] = core.NewID()
			row[0] = ids[i]
		}
		slices.SortFunc(links, func(a, b genLink) int {
			return cmp.Or(strings.Compare(a.party, b.party), cmp.Compare(a.at, b.at), strings.Compare(ids[a.interaction], ids[b.interaction]))
		})
		cur.links = make([][]any, len(links))
		for i, l := range links {
			cur.links[i] = []any{l.party, l.at, ids[l.interaction], l.role, l.coord}
		}
		select {
		case out <- cur:
		case <-ctx.Done():
			return false
		}
		cur, links = historyRows{}, nil
		return true
	}
	seq := 0
	for pi := range parties {
		p := &parties[pi]
		for range p.interactionsToGen {
			seq++
			at := created - r.Int64N(span)
			row := []any{"", "", fmt.Sprintf("hist-%010d", seq), "", "", "", at, nil, p.agentID, p.login, "", "", nil, "", "", created, establishment}
			role, coord := "", ""
			switch u := r.IntN(100); {
			case u < 45 && p.phone != "": // calls
				row[1], row[3], coord = "telephony", "phone", p.phone
				if r.IntN(5) < 3 {
					row[4], role, row[7] = "inbound", "from", int64(r.IntN(900))
					row[5] = []string{"answered", "answered", "answered", "unanswered", "voicemail"}[r.IntN(5)]
				} else {
					row[4], role, row[5], row[7] = "outbound", "to", "answered", int64(40+r.IntN(900))
				}
			case u < 80 && p.email != "": // emails
				row[1], row[3], coord = "agent_mailbox", "email", p.email
				row[11], row[12] = benchSubjects[r.IntN(len(benchSubjects))], benchBodies[r.IntN(len(benchBodies))]
				if r.IntN(2) == 0 {
					row[4], role = "inbound", "from"
				} else {
					row[4], role = "outbound", "to"
				}
			case u < 88 && p.phone != "":
				row[1], row[3], row[4], role, coord = "sms", "sms", "outbound", "to", p.phone
				row[12] = benchSMS[r.IntN(len(benchSMS))]
			case u < 93:
				row[1], row[3], row[4], role = "letter", "letter", "outbound", "party"
				row[8], row[9], row[14] = nil, "", []string{"PND", "PEL", "RPA", "OCF"}[r.IntN(4)]
			case u < 98:
				row[1], row[3], row[4], role = "notification", "notification", "outbound", "party"
				row[8], row[9], row[13] = nil, "", []string{"appointment", "card", "security"}[r.IntN(3)]
				row[11] = "Notification automatique"
			default:
				row[1], row[3], row[4], role, coord = "chat", "chat", "inbound", "from", p.email
			}
			if p.agentID == "" {
				row[8] = nil
			}
			row = append(row, 1) // party_count
			cur.interactions = append(cur.interactions, row)
			k := len(cur.interactions) - 1
			links = append(links, genLink{p.id, at, k, role, coord})
			if !p.heavy && pi+1 < len(parties) && !parties[pi+1].heavy && r.IntN(20) == 0 {
				links = append(links, genLink{parties[pi+1].id, at, k, role, coord})
				row[len(row)-1] = 2
			}
		}
		// Chunks end between parties, so each party's rows go out together.
		if len(cur.interactions) >= historyChunk && !flush() {
			return
		}
	}
	if len(cur.interactions) > 0 {
		flush()
	}
}
