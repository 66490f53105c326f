package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// day is how far the tests move the clock.
const day = 24 * time.Hour

// push ingests items (as by) that occurred an hour before the fixture's
// clock, and returns their interaction ids by external id.
func (f *establishmentFixture) push(t *testing.T, by *core.Actor, items ...Item) map[string]string {
	t.Helper()
	at := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
	for i := range items {
		items[i].OccurredAt = at
	}
	res, err := f.store.Ingest(context.Background(), by, items)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, r := range res {
		if r.Status != Stored {
			t.Fatalf("%s: %s (%s)", r.ExternalID, r.Status, r.Reason)
		}
		ids[r.ExternalID] = r.InteractionID
	}
	return ids
}

// attach gives an interaction a file, an inline image when inline.
func (f *establishmentFixture) attach(t *testing.T, interactionID string, position int, inline bool) {
	t.Helper()
	if _, err := f.d.Exec(context.Background(), `INSERT INTO interaction_attachments (id, interaction_id, position, name,
		content_type, size, inline, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, core.NewID(), interactionID, position,
		fmt.Sprintf("file%d", position), "image/png", 3, inline, []byte("png")); err != nil {
		t.Fatal(err)
	}
}

// kept is what remains of an interaction.
type kept struct {
	exists, body, bodyPurged bool
	inline, files            int // attachments whose content is still kept (in the database or the file store)
	purgedFiles              int // attachments with content NULL and purged_at set
}

func (f *establishmentFixture) kept(t *testing.T, id string) kept {
	t.Helper()
	ctx := context.Background()
	var k kept
	var body sql.NullString
	var purgedAt sql.NullInt64
	err := f.d.QueryRow(ctx, "SELECT body, body_purged_at FROM interactions WHERE id = ?", id).Scan(&body, &purgedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return k
	}
	if err != nil {
		t.Fatal(err)
	}
	k.exists, k.body, k.bodyPurged = true, body.Valid && body.String != "", purgedAt.Valid
	if err := f.d.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN inline AND (content IS NOT NULL OR sha256 IS NOT NULL) AND purged_at IS NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN NOT inline AND (content IS NOT NULL OR sha256 IS NOT NULL) AND purged_at IS NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN content IS NULL AND purged_at IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM interaction_attachments WHERE interaction_id = ?`, id).Scan(&k.inline, &k.files, &k.purgedFiles); err != nil {
		t.Fatal(err)
	}
	return k
}

func (f *establishmentFixture) retain(t *testing.T) RetentionRun {
	t.Helper()
	run, err := f.store.Retain(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func mail(source, id string) Item {
	return Item{Source: source, ExternalID: id, Channel: "email", Direction: "inbound", From: "helene@example.fr",
		Subject: "Votre prêt", Body: "Bonjour, voici les pièces."}
}

func TestRetentionAppliesEachRowOfTheTableAsTimePasses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		f.store.RetainBatch = 2
		// BR keeps bodies of "other" sources 300 days, the subject 2 years.
		st := f.store.DefaultSettings()
		st.Retention[ClassOther] = KeepDays{Subject: 730, Body: 300, Attachments: 730, Inline: 730}
		if _, err := f.store.SaveSettings(ctx, f.admin, "BR", st); err != nil {
			t.Fatal(err)
		}
		var items []Item
		for i := range 5 {
			items = append(items, mail("agent_mailbox", fmt.Sprintf("agent-%d", i)))
		}
		items = append(items, mail("shared_mailbox", "shared"), mail("crm_message", "crm"),
			Item{Source: "notification", ExternalID: "notif", Channel: "notification", Direction: "outbound",
				ClientNumber: "1000000001", Category: "appointment", Body: "Rendez-vous confirmé"},
			Item{Source: "letter", ExternalID: "letter", Channel: "letter", Direction: "outbound",
				ClientNumber: "1000000001", LetterType: "PND", Body: "Courrier revenu"})
		ids := f.push(t, f.integration, items...)
		br := f.push(t, f.branch, Item{Source: "letter", ExternalID: "br-letter", Channel: "letter", Direction: "outbound",
			ClientNumber: "1000000001", LetterType: "PND", Body: "Courrier revenu"})
		for i := range 5 {
			f.attach(t, ids[fmt.Sprintf("agent-%d", i)], 0, true)
			f.attach(t, ids[fmt.Sprintf("agent-%d", i)], 1, false)
		}
		// Three inline images on one email: a batch of 2 ends amid them.
		f.attach(t, ids["agent-2"], 2, true)
		f.attach(t, ids["agent-2"], 3, true)
		f.attach(t, ids["shared"], 0, true)
		f.attach(t, ids["shared"], 1, false)
		f.attach(t, ids["crm"], 0, false)
		f.attach(t, ids["letter"], 0, false)
		// A meeting report describes the letter, hiding it from a party who shared its coordinate.
		var agentID string
		if err := d.QueryRow(ctx, "SELECT id FROM agents WHERE login = 'jmartin'").Scan(&agentID); err != nil {
			t.Fatal(err)
		}
		reportID := core.NewID()
		now := core.Millis(f.clock.Now())
		if _, err := d.Exec(ctx, `INSERT INTO reports (id, party_id, agent_id, medium, initiative, reason, written_at, day,
			status, interaction_id, created_at, updated_at) VALUES (?, ?, ?, 'letter', 'outbound', 'Relance', ?, '2026-11-23',
			'reconciled', ?, ?, ?)`, reportID, f.helene.ID, agentID, now, ids["letter"], now, now); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `INSERT INTO report_hidden_links (report_id, party_id, occurred_at, interaction_id, role, coordinate)
			VALUES (?, ?, ?, ?, 'party', '')`, reportID, f.marc.ID, now, ids["letter"]); err != nil {
			t.Fatal(err)
		}

		// Day 0: CRM messages keep no attachments; everything else stays.
		run := f.retain(t)
		if run.Purged.Kind(PurgedAttachments) != 1 || run.Purged[ClassCRMMessage][PurgedAttachments] != 1 || run.Purged.Total() != 1 {
			t.Errorf("day 0 purged %v, want the CRM message's attachment only", run.Purged)
		}
		if k := f.kept(t, ids["crm"]); !k.exists || !k.body || k.files != 0 || k.purgedFiles != 1 {
			t.Errorf("CRM message on day 0: %+v", k)
		}
		if k := f.kept(t, ids["agent-0"]); k.inline != 1 || k.files != 1 {
			t.Errorf("agent mailbox on day 0: %+v", k)
		}

		// Day 61: inline images of the mailboxes are gone, their attachments kept.
		f.clock.Advance(61 * day)
		run = f.retain(t)
		if run.Purged[ClassAgentMailbox][PurgedInlineImages] != 7 || run.Purged[ClassSharedMailbox][PurgedInlineImages] != 1 ||
			run.Purged.Total() != 8 {
			t.Errorf("day 61 purged %v, want 8 inline images", run.Purged)
		}
		if k := f.kept(t, ids["agent-2"]); k.inline != 0 || k.files != 1 || k.purgedFiles != 3 {
			t.Errorf("the email with three inline images on day 61: %+v", k)
		}
		for _, id := range []string{ids["agent-3"], ids["shared"]} {
			if k := f.kept(t, id); !k.exists || !k.body || k.inline != 0 || k.files != 1 || k.purgedFiles != 1 {
				t.Errorf("mailbox email on day 61: %+v", k)
			}
		}
		// The next day nothing new is due: a second run purges nothing.
		f.clock.Advance(day)
		if run = f.retain(t); run.Purged.Total() != 0 || run.AlreadyDone {
			t.Errorf("day 62 purged %v", run.Purged)
		}

		// Day 301: BR's letter has lost its body but keeps its subject; the
		// same letter pushed without an establishment keeps its body.
		f.clock.Advance(239 * day)
		run = f.retain(t)
		if run.Purged["letter"][PurgedBodies] != 1 || run.Purged.Total() != 1 {
			t.Errorf("day 301 purged %v, want BR's letter body", run.Purged)
		}
		if k := f.kept(t, br["br-letter"]); !k.exists || k.body || !k.bodyPurged {
			t.Errorf("BR's letter on day 301: %+v", k)
		}
		if k := f.kept(t, ids["letter"]); !k.exists || !k.body || k.bodyPurged || k.files != 1 {
			t.Errorf("letter on day 301: %+v", k)
		}
		if page, err := f.store.Timeline(ctx, f.admin, f.helene.ID, Filter{}); err != nil || len(page.Items) != 10 {
			t.Errorf("Hélène's timeline on day 301: %d lines (%v), want 10", len(page.Items), err)
		}

		// Day 366: mailbox emails and notifications are gone with their
		// timeline lines; CRM messages and letters stay.
		f.clock.Advance(65 * day)
		run = f.retain(t)
		if run.Purged[ClassAgentMailbox][PurgedInteractions] != 5 || run.Purged[ClassSharedMailbox][PurgedInteractions] != 1 ||
			run.Purged[ClassNotification][PurgedInteractions] != 1 || run.Purged.Total() != 7 {
			t.Errorf("day 366 purged %v", run.Purged)
		}
		for _, name := range []string{"agent-0", "agent-4", "shared", "notif"} {
			if k := f.kept(t, ids[name]); k.exists || k.purgedFiles+k.files+k.inline != 0 {
				t.Errorf("%s on day 366: %+v", name, k)
			}
		}
		if k := f.kept(t, ids["crm"]); !k.exists || !k.body {
			t.Errorf("CRM message on day 366: %+v", k)
		}
		page, err := f.store.Timeline(ctx, f.admin, f.helene.ID, Filter{})
		if err != nil || len(page.Items) != 3 {
			t.Errorf("Hélène's timeline on day 366: %d lines (%v), want the CRM message and two letters", len(page.Items), err)
		}

		// Day 731: the rest is gone; the report stays, detached.
		f.clock.Advance(365 * day)
		run = f.retain(t)
		if run.Purged[ClassCRMMessage][PurgedInteractions] != 1 || run.Purged["letter"][PurgedInteractions] != 2 || run.Purged.Total() != 3 {
			t.Errorf("day 731 purged %v", run.Purged)
		}
		var left int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM interactions").Scan(&left); err != nil || left != 0 {
			t.Errorf("%d interactions left (%v)", left, err)
		}
		var interaction sql.NullString
		if err := d.QueryRow(ctx, "SELECT interaction_id FROM reports WHERE id = ?", reportID).Scan(&interaction); err != nil || interaction.Valid {
			t.Errorf("the report: %v, interaction %v", err, interaction)
		}
		for _, table := range []string{"interaction_parties", "interaction_unmatched", "interaction_attachments", "report_hidden_links"} {
			if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&left); err != nil || left != 0 {
				t.Errorf("%d rows left in %s (%v)", left, table, err)
			}
		}
	})
}

func TestRetentionRunsOnceADayAndRecordsWhatItPurged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		ctx := context.Background()
		ids := f.push(t, f.integration, mail("agent_mailbox", "a"))
		f.attach(t, ids["a"], 0, true)
		var told []string
		f.store.OnPurged(func(source, kind string, n int) { told = append(told, fmt.Sprintf("%s/%s/%d", source, kind, n)) })
		f.clock.Advance(61 * day)
		first := f.retain(t)
		if first.AlreadyDone || first.Resumed || first.Purged.Total() != 1 || first.FinishedAt.IsZero() {
			t.Errorf("first run %+v", first)
		}
		if strings.Join(told, ",") != "agent_mailbox/inline_images/1" {
			t.Errorf("metrics told %v", told)
		}
		f.attach(t, ids["a"], 1, true) // arrives after the day's run
		second := f.retain(t)
		if !second.AlreadyDone || second.Purged.Total() != 1 {
			t.Errorf("second run the same day %+v", second)
		}
		if k := f.kept(t, ids["a"]); k.inline != 1 {
			t.Errorf("the day's finished run was redone: %+v", k)
		}
		var purged string
		var finished sql.NullInt64
		if err := d.QueryRow(ctx, "SELECT purged, finished_at FROM retention_runs WHERE day = ?", first.Day).Scan(&purged, &finished); err != nil ||
			!finished.Valid || purged != `{"agent_mailbox":{"inline_images":1}}` {
			t.Errorf("retention_runs row: %s, %v (%v)", purged, finished, err)
		}
	})
}

func TestRetentionResumesAfterACrash(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		f.store.RetainBatch = 2
		var items []Item
		for i := range 7 {
			items = append(items, mail("shared_mailbox", fmt.Sprintf("s%d", i)))
		}
		ids := f.push(t, f.integration, items...)
		for _, id := range ids {
			f.attach(t, id, 0, true)
		}
		f.clock.Advance(366 * day)
		// The process dies after the first batch of deletions has committed.
		ctx, crash := context.WithCancel(context.Background())
		f.store.OnPurged(func(string, string, int) { crash() }) // cancelling again later does nothing
		if _, err := f.store.Retain(ctx, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("crashed run: %v", err)
		}
		var left int
		var finished sql.NullInt64
		d.QueryRow(context.Background(), "SELECT COUNT(*) FROM interactions").Scan(&left)
		d.QueryRow(context.Background(), "SELECT finished_at FROM retention_runs").Scan(&finished)
		if left != 5 || finished.Valid {
			t.Fatalf("after the crash: %d interactions left, finished %v; want 5 and unfinished", left, finished)
		}
		run := f.retain(t)
		if !run.Resumed || run.Purged[ClassSharedMailbox][PurgedInteractions] != 7 || run.Purged.Total() != 7 {
			t.Errorf("resumed run %+v, want the 7 deletions counted once", run)
		}
		d.QueryRow(context.Background(), "SELECT COUNT(*) FROM interactions").Scan(&left)
		d.QueryRow(context.Background(), "SELECT finished_at FROM retention_runs").Scan(&finished)
		if left != 0 || !finished.Valid {
			t.Errorf("after the resumed run: %d interactions left, finished %v", left, finished)
		}
	})
}

func TestRetentionFollowsTheClassOfAConfiguredSource(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newEstablishmentFixture(t, d)
		if _, err := f.store.AddSource(context.Background(), f.admin, SourceInput{Code: "outlook_web", Name: "Outlook Web",
			Retention: ClassAgentMailbox}); err != nil {
			t.Fatal(err)
		}
		ids := f.push(t, f.integration, mail("outlook_web", "o1"), mail("chat", "c1"))
		f.attach(t, ids["o1"], 0, true)
		f.attach(t, ids["c1"], 0, true)
		f.clock.Advance(61 * day)
		if run := f.retain(t); run.Purged["outlook_web"][PurgedInlineImages] != 1 || run.Purged.Total() != 1 {
			t.Errorf("day 61 purged %v, want the added mailbox source's inline image only", run.Purged)
		}
	})
}

// TestRetentionQueriesReadIndexes checks on each engine that the job's
// queries are answered from indexes rather than by reading whole tables.
func TestRetentionQueriesReadIndexes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		type query struct {
			sql  string
			args []any
		}
		var qs []query
		add := func(q string, args []any) { qs = append(qs, query{q, args}) }
		add(dueQuery("agent_mailbox", group{others: []string{"e1", "e2"}}, 1, hasBody, 0, "", 10))
		add(dueQuery("agent_mailbox", group{establishment: "e1"}, 1, "", 5, "x", 10))
		add(attachmentsQuery(true, "", 10))
		add(attachmentsQuery(false, "x", 10))
		for _, table := range []string{"interaction_parties", "interaction_unmatched", "interaction_attachments", "report_hidden_links"} {
			add("DELETE FROM "+table+" WHERE interaction_id IN (?, ?)", []any{"a", "b"})
		}
		add("UPDATE reports SET interaction_id = NULL WHERE interaction_id IN (?, ?)", []any{"a", "b"})
		add("UPDATE interaction_attachments SET content = NULL, purged_at = ? WHERE interaction_id IN (?, ?) AND inline = TRUE AND purged_at IS NULL",
			[]any{1, "a", "b"})
		for _, q := range qs {
			var plan []string
			err := d.WithTx(ctx, func(tx *db.Tx) error {
				explain := "EXPLAIN QUERY PLAN "
				if d.Dialect() == db.Postgres {
					explain = "EXPLAIN "
					// Tables are empty: without this the planner rightly reads them whole.
					if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
						return err
					}
				}
				rows, err := tx.Query(ctx, explain+q.sql, q.args...)
				if err != nil {
					return err
				}
				defer rows.Close()
				cols, _ := rows.Columns()
				for rows.Next() {
					vals := make([]any, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					if err := rows.Scan(ptrs...); err != nil {
						return err
					}
					plan = append(plan, fmt.Sprint(vals[len(vals)-1]))
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
			text := strings.Join(plan, "\n")
			if strings.Contains(text, "Seq Scan") || strings.Contains(text, "SCAN ") && !strings.Contains(text, "INDEX") {
				t.Errorf("%s\nreads a whole table:\n%s", q.sql, text)
			}
			if strings.Contains(q.sql, "purged_at IS NULL AND a.inline") && (!strings.Contains(text, "interaction_attachments_kept") ||
				strings.Contains(text, "Sort") || strings.Contains(text, "TEMP B-TREE")) {
				t.Errorf("%s\ndoes not walk the kept attachments index in its order:\n%s", q.sql, text)
			}
			if strings.Contains(q.sql, "FROM interactions WHERE source") && !strings.Contains(text, "interactions_source_occurred") {
				t.Errorf("%s\ndoes not read the source index:\n%s", q.sql, text)
			}
		}
	})
}
