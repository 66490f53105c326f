package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// The kinds of what retention purges, as counted per source.
const (
	PurgedInlineImages = "inline_images"
	PurgedAttachments  = "attachments"
	PurgedBodies       = "bodies"
	PurgedInteractions = "interactions"
)

// PurgedKinds lists the kinds in the order reports show them.
var PurgedKinds = []string{PurgedInteractions, PurgedBodies, PurgedAttachments, PurgedInlineImages}

// Purged counts what retention removed: source → kind → count.
type Purged map[string]map[string]int

// add adds other's counts to p, leaving zeros out.
func (p Purged) add(other Purged) {
	for src, kinds := range other {
		for kind, n := range kinds {
			if n == 0 {
				continue
			}
			if p[src] == nil {
				p[src] = map[string]int{}
			}
			p[src][kind] += n
		}
	}
}

// Total is the number of things purged, every source and kind together.
func (p Purged) Total() int {
	n := 0
	for _, kinds := range p {
		for _, c := range kinds {
			n += c
		}
	}
	return n
}

// Kind is the number of things of one kind purged, every source together.
func (p Purged) Kind(kind string) int {
	n := 0
	for _, kinds := range p {
		n += kinds[kind]
	}
	return n
}

// RetentionRun is one day's run of the retention job (retention_runs).
type RetentionRun struct {
	Day         string    `json:"day"` // YYYY-MM-DD, UTC
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
	Resumed     bool      `json:"resumed"`      // an unfinished run of the day (a crash) was taken up
	AlreadyDone bool      `json:"already_done"` // the day's run had finished before: nothing was done
	Purged      Purged    `json:"purged"`       // what the day's run purged, before a crash included
}

// Retain runs the day's retention: for each interaction, by the retention
// of its establishment for its source's class, it purges the content of
// inline images and of other attachments past their durations, the body
// past its duration, and deletes the interaction past the subject's
// duration with its timeline links, unmatched coordinates, attachments and
// hidden links; a meeting report describing it stays, no longer attached.
// The files of the attachments it purges are deleted from the file store
// once their batch commits, unless another attachment holds the same
// content (releaseFiles).
//
// The day is the clock's, in UTC. A run that finished today is not redone;
// one that did not (a crash) is resumed. Every step is a condition on age,
// so running again is always safe and purges nothing new. Work is done in
// transactions of RetainBatch interactions, each recording its counts in
// the day's retention_runs row, told to OnPurged after commit, and logged
// on logger (when not nil) at the end.
func (s *Store) Retain(ctx context.Context, logger *slog.Logger) (RetentionRun, error) {
	now := s.clock.Now()
	run, err := s.startRun(ctx, now)
	if err != nil || run.AlreadyDone {
		if err == nil && logger != nil {
			logger.Info("retention already done today", "day", run.Day, "purged", run.Purged.Total())
		}
		return run, err
	}
	plan, err := s.retentionPlan(ctx, now)
	if err != nil {
		return run, err
	}
	batch := s.RetainBatch
	if batch <= 0 {
		batch = 1000
	}
	for _, source := range plan.sources {
		for _, g := range plan.groups(source) {
			err := s.eachDue(ctx, source, g, plan.cutoff(g.keep.Subject), "", batch, func(ids []string) error {
				return s.purgeBatch(ctx, &run, func(tx *db.Tx) (Purged, error) {
					if err := s.releaseFiles(ctx, tx, "interaction_id IN ("+db.Placeholders(len(ids))+")", idArgs(ids)); err != nil {
						return nil, err
					}
					n, err := deleteInteractions(ctx, tx, ids)
					return Purged{source: {PurgedInteractions: n}}, err
				})
			})
			if err != nil {
				return run, fmt.Errorf("retention of %s interactions: %w", source, err)
			}
			err = s.eachDue(ctx, source, g, plan.cutoff(g.keep.Body), hasBody, batch, func(ids []string) error {
				return s.purgeBatch(ctx, &run, func(tx *db.Tx) (Purged, error) {
					res, err := tx.Exec(ctx, "UPDATE interactions SET body = NULL, body_purged_at = ? WHERE id IN ("+
						db.Placeholders(len(ids))+")"+hasBody, append([]any{core.Millis(now)}, idArgs(ids)...)...)
					return Purged{source: {PurgedBodies: affected(res)}}, err
				})
			})
			if err != nil {
				return run, fmt.Errorf("retention of %s bodies: %w", source, err)
			}
		}
	}
	for _, inline := range []bool{true, false} {
		if err := s.purgeAttachments(ctx, &run, plan, inline, batch); err != nil {
			return run, fmt.Errorf("retention of attachments: %w", err)
		}
	}
	run.FinishedAt = s.clock.Now()
	if _, err := s.db.Exec(ctx, "UPDATE retention_runs SET finished_at = ? WHERE day = ? AND finished_at IS NULL",
		core.Millis(run.FinishedAt), run.Day); err != nil {
		return run, fmt.Errorf("finish the retention run of %s: %w", run.Day, err)
	}
	if logger != nil {
		for _, src := range slices.Sorted(maps.Keys(run.Purged)) {
			k := run.Purged[src]
			logger.Info("retention purged", "day", run.Day, "source", src, PurgedInteractions, k[PurgedInteractions],
				PurgedBodies, k[PurgedBodies], PurgedAttachments, k[PurgedAttachments], PurgedInlineImages, k[PurgedInlineImages])
		}
		logger.Info("retention run finished", "day", run.Day, "resumed", run.Resumed, "purged", run.Purged.Total())
	}
	return run, nil
}

// hasBody is the condition of an interaction whose body is still kept.
const hasBody = " AND body IS NOT NULL AND body <> ''"

// startRun opens the day's run, or takes up its unfinished one, or finds
// it finished.
func (s *Store) startRun(ctx context.Context, now time.Time) (RetentionRun, error) {
	run := RetentionRun{Day: now.UTC().Format(time.DateOnly), Purged: Purged{}}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var started int64
		var finished sql.NullInt64
		var raw string
		err := tx.QueryRow(ctx, "SELECT started_at, finished_at, purged FROM retention_runs WHERE day = ?", run.Day).
			Scan(&started, &finished, &raw)
		if errors.Is(err, sql.ErrNoRows) {
			run.StartedAt = now
			_, err = tx.Exec(ctx, "INSERT INTO retention_runs (day, started_at, purged) VALUES (?, ?, '{}')",
				run.Day, core.Millis(now))
			return err
		}
		if err != nil {
			return err
		}
		run.StartedAt = core.FromMillis(started)
		if err := json.Unmarshal([]byte(raw), &run.Purged); err != nil {
			return fmt.Errorf("counts of the retention run of %s: %w", run.Day, err)
		}
		if finished.Valid {
			run.AlreadyDone, run.FinishedAt = true, core.FromMillis(finished.Int64)
		} else {
			run.Resumed = true
		}
		return nil
	})
	if db.IsUniqueViolation(err) {
		// Another process opened the day's run at the same moment: join it.
		return s.startRun(ctx, now)
	}
	if err != nil {
		return run, fmt.Errorf("start the retention run of %s: %w", run.Day, err)
	}
	return run, nil
}

// retentionPlan is what a run applies: the class of each source and the
// retention of each establishment that has settings of its own.
type retentionPlan struct {
	now      time.Time
	sources  []string             // every known source, in code order
	classes  map[string]string    // source → retention class
	custom   map[string]Retention // establishment id → its retention
	defaults Retention
}

func (s *Store) retentionPlan(ctx context.Context, now time.Time) (*retentionPlan, error) {
	classes, err := s.sourceClasses(ctx)
	if err != nil {
		return nil, err
	}
	p := &retentionPlan{now: now, sources: slices.Sorted(maps.Keys(classes)), classes: classes,
		custom: map[string]Retention{}, defaults: DefaultRetention()}
	rows, err := s.db.Query(ctx, "SELECT establishment_id, retention FROM history_settings")
	if err != nil {
		return nil, fmt.Errorf("read retention settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, err
		}
		r := DefaultRetention()
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return nil, fmt.Errorf("retention settings of establishment %s: %w", id, err)
		}
		p.custom[id] = r
	}
	return p, rows.Err()
}

// cutoff is the time before which something kept days is due.
func (p *retentionPlan) cutoff(days int) int64 {
	return core.Millis(p.now.Add(-time.Duration(days) * 24 * time.Hour))
}

// keep returns the durations for an interaction of source pushed for
// establishment.
func (p *retentionPlan) keep(source, establishment string) KeepDays {
	class, ok := p.classes[source]
	if !ok {
		class = ClassOther
	}
	if r, ok := p.custom[establishment]; ok {
		return r.For(class)
	}
	return p.defaults.For(class)
}

// group is the interactions of one source whose establishment has the
// same durations: those of one establishment with settings of its own, or
// those of every other (the defaults).
type group struct {
	establishment string   // when set, only this establishment's interactions
	others        []string // otherwise every establishment's but these
	keep          KeepDays
}

func (p *retentionPlan) groups(source string) []group {
	ids := slices.Sorted(maps.Keys(p.custom))
	out := make([]group, 0, len(ids)+1)
	for _, id := range ids {
		out = append(out, group{establishment: id, keep: p.keep(source, id)})
	}
	class, ok := p.classes[source]
	if !ok {
		class = ClassOther
	}
	return append(out, group{others: ids, keep: p.defaults.For(class)})
}

// dueQuery selects the next batch of a group's interactions of source that
// occurred before cutoff and match extra, oldest first, after the keyset
// (lastAt, lastID) when lastID is set. It reads a range of the
// interactions_source_occurred index that begins at the keyset, so a batch
// never reads again what the batches before it read.
func dueQuery(source string, g group, cutoff int64, extra string, lastAt int64, lastID string, limit int) (string, []any) {
	q := "SELECT id, occurred_at FROM interactions WHERE source = ? AND occurred_at < ?"
	args := []any{source, cutoff}
	if lastID != "" {
		q += " AND occurred_at >= ? AND (occurred_at > ? OR id > ?)"
		args = append(args, lastAt, lastAt, lastID)
	}
	switch {
	case g.establishment != "":
		q += " AND establishment_id = ?"
		args = append(args, g.establishment)
	case len(g.others) > 0:
		q += " AND establishment_id NOT IN (" + db.Placeholders(len(g.others)) + ")"
		args = append(args, idArgs(g.others)...)
	}
	return q + extra + " ORDER BY occurred_at, id LIMIT ?", append(args, limit)
}

// eachDue calls fn with the ids of every batch dueQuery selects, until none
// is left.
func (s *Store) eachDue(ctx context.Context, source string, g group, cutoff int64, extra string, batch int, fn func(ids []string) error) error {
	var lastAt int64
	lastID := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		q, args := dueQuery(source, g, cutoff, extra, lastAt, lastID, batch)
		rows, err := s.db.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		var ids []string
		for rows.Next() {
			if err := rows.Scan(&lastID, &lastAt); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, lastID)
		}
		err = rows.Err()
		rows.Close()
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := fn(ids); err != nil {
			return err
		}
		if len(ids) < batch {
			return nil
		}
	}
}

// deleteInteractions deletes interactions with what hangs off them; the
// meeting reports describing them stay, detached.
func deleteInteractions(ctx context.Context, tx *db.Tx, ids []string) (int, error) {
	in := "(" + db.Placeholders(len(ids)) + ")"
	args := idArgs(ids)
	for _, stmt := range []string{
		"UPDATE reports SET interaction_id = NULL WHERE interaction_id IN ",
		"DELETE FROM report_hidden_links WHERE interaction_id IN ",
		"DELETE FROM interaction_parties WHERE interaction_id IN ",
		"DELETE FROM interaction_unmatched WHERE interaction_id IN ",
		"DELETE FROM interaction_attachments WHERE interaction_id IN ",
	} {
		if _, err := tx.Exec(ctx, stmt+in, args...); err != nil {
			return 0, err
		}
	}
	res, err := tx.Exec(ctx, "DELETE FROM interactions WHERE id IN "+in, args...)
	if err != nil {
		return 0, err
	}
	return affected(res), nil
}

// attachmentsQuery selects the next batch of attachments (inline images
// when inline) whose content is still kept, with their interaction, in
// interaction order after after. It walks the interaction_attachments_kept
// index, which holds only those, in its order (no sort, so a batch stops
// at its limit) and finds each interaction by its key. An interaction with
// several such attachments comes once per attachment; a batch that stops
// amid them is harmless, as the purge takes them all.
func attachmentsQuery(inline bool, after string, limit int) (string, []any) {
	flag := "FALSE"
	if inline {
		flag = "TRUE"
	}
	return `SELECT a.interaction_id, i.source, i.establishment_id, i.occurred_at
		FROM interaction_attachments a JOIN interactions i ON i.id = a.interaction_id
		WHERE a.purged_at IS NULL AND a.inline = ` + flag + ` AND a.interaction_id > ?
		ORDER BY a.interaction_id LIMIT ?`, []any{after, limit}
}

// purgeAttachments purges the content of the attachments (inline images
// when inline) past their duration, in one pass over those still kept.
func (s *Store) purgeAttachments(ctx context.Context, run *RetentionRun, plan *retentionPlan, inline bool, batch int) error {
	kind, flag := PurgedAttachments, "FALSE"
	if inline {
		kind, flag = PurgedInlineImages, "TRUE"
	}
	after := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		q, args := attachmentsQuery(inline, after, batch)
		rows, err := s.db.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		due := map[string][]string{} // source → interaction ids
		n := 0
		for rows.Next() {
			var source, establishment string
			var at int64
			if err := rows.Scan(&after, &source, &establishment, &at); err != nil {
				rows.Close()
				return err
			}
			n++
			keep := plan.keep(source, establishment)
			days := keep.Attachments
			if inline {
				days = keep.Inline
			}
			if at < plan.cutoff(days) && !slices.Contains(due[source], after) {
				due[source] = append(due[source], after)
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		if len(due) > 0 {
			err := s.purgeBatch(ctx, run, func(tx *db.Tx) (Purged, error) {
				p := Purged{}
				for source, ids := range due {
					cond := "interaction_id IN (" + db.Placeholders(len(ids)) + ") AND inline = " + flag
					if err := s.releaseFiles(ctx, tx, cond, idArgs(ids)); err != nil {
						return nil, err
					}
					res, err := tx.Exec(ctx, "UPDATE interaction_attachments SET content = NULL, purged_at = ? WHERE interaction_id IN ("+
						db.Placeholders(len(ids))+") AND inline = "+flag+" AND purged_at IS NULL",
						append([]any{core.Millis(plan.now)}, idArgs(ids)...)...)
					if err != nil {
						return nil, err
					}
					p.add(Purged{source: {kind: affected(res)}})
				}
				return p, nil
			})
			if err != nil {
				return err
			}
		}
		if n < batch {
			return nil
		}
	}
}

// purgeBatch runs one batch's purge in a transaction of its own that also
// adds its counts to the day's run, then tells OnPurged.
func (s *Store) purgeBatch(ctx context.Context, run *RetentionRun, purge func(tx *db.Tx) (Purged, error)) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		delta, err := purge(tx)
		if err != nil || delta.Total() == 0 {
			return err
		}
		// Two runners at once add up rather than overwrite.
		if err := db.LockRows(ctx, tx, "retention_runs", "day", []string{run.Day}); err != nil {
			return err
		}
		var raw string
		if err := tx.QueryRow(ctx, "SELECT purged FROM retention_runs WHERE day = ?", run.Day).Scan(&raw); err != nil {
			return fmt.Errorf("read the retention run of %s: %w", run.Day, err)
		}
		total := Purged{}
		if err := json.Unmarshal([]byte(raw), &total); err != nil {
			return fmt.Errorf("counts of the retention run of %s: %w", run.Day, err)
		}
		total.add(delta)
		b, err := json.Marshal(total)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE retention_runs SET purged = ? WHERE day = ?", string(b), run.Day); err != nil {
			return fmt.Errorf("count the retention run of %s: %w", run.Day, err)
		}
		tx.AfterCommit(func() {
			run.Purged = total
			for _, fn := range s.purged.List() {
				for src, kinds := range delta {
					for kind, n := range kinds {
						fn(src, kind, n)
					}
				}
			}
		})
		return nil
	})
}

func affected(res sql.Result) int {
	if res == nil {
		return 0
	}
	n, _ := res.RowsAffected()
	return int(n)
}

func idArgs(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
