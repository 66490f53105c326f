package history

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestABadItemIsRejectedAloneAndTheOthersOfTheBatchAreStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mail := func(ext string) Item {
			return Item{Source: "agent_mailbox", ExternalID: ext, Channel: "email", Direction: "inbound",
				OccurredAt: "2026-11-20T10:00:00+01:00", From: "zoe@example.fr", Subject: "Bonjour"}
		}
		nul, longFrom, hugeSubject, badUTF8, longCall, negative, nulComment := mail("nul"), mail("from"), mail("subject"),
			mail("utf8"), mail("call"), mail("neg"), mail("body")
		nul.Subject = "a\x00b"
		longFrom.From = strings.Repeat("x", 3000) + "@example.fr"
		hugeSubject.Subject = strings.Repeat("é", core.MaxSubject+1)
		badUTF8.Subject = "caf\xe9"
		longCall.Channel, longCall.Source, longCall.From, longCall.DurationSeconds = "phone", "telephony", "0612345678", seconds(3_000_000_000)
		negative.Channel, negative.Source, negative.From, negative.DurationSeconds = "phone", "telephony", "0612345678", seconds(-1)
		nulComment.Body = "<p>\x00</p>"
		items := []Item{mail("ok1"), nul, longFrom, hugeSubject, badUTF8, longCall, negative, nulComment, mail("ok2")}
		res, err := f.store.Ingest(context.Background(), f.integration, items)
		if err != nil {
			t.Fatalf("one bad item took the batch down: %v", err)
		}
		want := map[string]string{"nul": "subject: " + core.NulByte().English(), "from": "from: " + core.TooLong(core.MaxCoordinate).English(),
			"subject": "subject: " + core.TooLong(core.MaxSubject).English(), "utf8": "subject: " + core.InvalidUTF8().English(),
			"call": "duration_seconds: " + core.OutOfRange(0, core.MaxSeconds).English(),
			"neg":  "duration_seconds: " + core.OutOfRange(0, core.MaxSeconds).English(), "body": "body: " + core.NulByte().English()}
		for _, r := range res {
			if why, bad := want[r.ExternalID]; bad {
				if r.Status != Rejected || r.Reason != why {
					t.Errorf("%s: %s %q, want rejected %q", r.ExternalID, r.Status, r.Reason, why)
				}
			} else if r.Status != Stored || !slices.Equal(r.PartyIDs, []string{f.zoe.ID}) {
				t.Errorf("%s: %+v, want stored for Zoé", r.ExternalID, r)
			}
		}
		if n := count(t, d, "SELECT COUNT(*) FROM interactions"); n != 2 {
			t.Errorf("%d interactions stored, want the 2 valid ones", n)
		}
	})
}

func TestASenderWrittenWithADisplayNameIsLinkedToItsParty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		res, err := f.store.Ingest(context.Background(), f.integration, []Item{
			{Source: "agent_mailbox", ExternalID: "m1", Channel: "email", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00+01:00",
				From: `"Zoé" <Zoe@Example.fr>`, To: []string{"=?utf-8?q?H=C3=A9l=C3=A8ne?= <helene@example.fr>"}, Subject: "Bonjour"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res[0].PartyIDs; res[0].Status != Stored || !slices.Contains(got, f.zoe.ID) || !slices.Contains(got, f.helene.ID) {
			t.Errorf("got %+v, want linked to Zoé and Hélène", res[0])
		}
	})
}

func TestIngestionAppliesThePushingAgentsScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		pusher := &core.Actor{Login: "agence1", Permissions: []core.Permission{core.PermHistoryWrite},
			Scope: f.advisor1.Scope}
		res, err := f.store.Ingest(ctx, pusher, []Item{
			// Omar is in A2: named by id, refused as if he did not exist.
			{Source: "crm_message", ExternalID: "byid", Channel: "chat", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00+01:00",
				PartyID: f.other.ID},
			{Source: "crm_message", ExternalID: "unknown", Channel: "chat", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00+01:00",
				PartyID: core.NewID()},
			// Omar's email: the exchange is his too, but the pusher does not learn who he is.
			{Source: "agent_mailbox", ExternalID: "mail", Channel: "email", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00+01:00",
				From: "omar@example.fr", To: []string{"zoe@example.fr"}, Subject: "Bonjour"},
			{Source: "crm_message", ExternalID: "byid-ok", Channel: "chat", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00+01:00",
				PartyID: f.zoe.ID},
			// Omar's client number names nobody for this pusher.
			{Source: "crm_message", ExternalID: "bynumber", Channel: "chat", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00+01:00",
				ClientNumber: f.other.ClientNumber},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 1} {
			if res[i].Status != Rejected || res[i].Reason != "party_id: party not found" || res[i].Reasons["party_id"].Code != "party_not_found" {
				t.Errorf("%s: %+v, want rejected as no party", res[i].ExternalID, res[i])
			}
		}
		if res[2].Status != Stored || !slices.Equal(res[2].PartyIDs, []string{f.zoe.ID}) {
			t.Errorf("mail: %+v, want stored naming Zoé only", res[2])
		}
		if res[3].Status != Stored || !slices.Equal(res[3].PartyIDs, []string{f.zoe.ID}) {
			t.Errorf("byid-ok: %+v", res[3])
		}
		if res[4].Status != Stored || len(res[4].PartyIDs) != 0 {
			t.Errorf("bynumber: %+v, want stored unattached", res[4])
		}
		// Omar's own advisor sees the exchange in his history.
		page, err := f.store.Timeline(ctx, f.advisor2, f.other.ID, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].ID != res[2].InteractionID {
			t.Errorf("Omar's timeline: %+v, want the mail", page.Items)
		}
		// Pushed again, the duplicate's answer hides Omar as well.
		again, err := f.store.Ingest(ctx, pusher, []Item{{Source: "agent_mailbox", ExternalID: "mail", Channel: "email",
			Direction: "inbound", OccurredAt: "2026-11-20T10:00:00+01:00", From: "omar@example.fr"}})
		if err != nil {
			t.Fatal(err)
		}
		if again[0].Status != Duplicate || !slices.Equal(again[0].PartyIDs, []string{f.zoe.ID}) {
			t.Errorf("duplicate: %+v, want Zoé only", again[0])
		}
		// Omar alone: the answer reads as if nobody held the address.
		alone, err := f.store.Ingest(ctx, pusher, []Item{{Source: "agent_mailbox", ExternalID: "omar-only", Channel: "email",
			Direction: "inbound", OccurredAt: "2026-11-20T11:00:00+01:00", From: "omar@example.fr", Subject: "Bonjour"}})
		if err != nil {
			t.Fatal(err)
		}
		if alone[0].Status != Stored || len(alone[0].PartyIDs) != 0 || alone[0].Reason != "unattached" {
			t.Errorf("omar-only: %+v, want stored, unattached to the pusher's eyes", alone[0])
		}
	})
}

func count(t *testing.T, d *db.DB, query string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAnItemTheDatabaseRefusesIsRejectedAlone: should an item pass every
// check and still be refused by the database, the batch is written again
// item by item and only that one is rejected. A trigger, made for the test,
// plays the refusal.
func TestAnItemTheDatabaseRefusesIsRejectedAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		stmts := []string{`CREATE TRIGGER refuse_boom BEFORE INSERT ON interactions WHEN NEW.subject = 'boom'
			BEGIN SELECT RAISE(ABORT, 'refused'); END`}
		if d.Dialect() == db.Postgres {
			stmts = []string{`CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN
				IF NEW.subject = 'boom' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER refuse_boom BEFORE INSERT ON interactions FOR EACH ROW EXECUTE FUNCTION refuse_boom()`}
		}
		for _, q := range stmts {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		mail := func(ext, subject string) Item {
			return Item{Source: "agent_mailbox", ExternalID: ext, Channel: "email", Direction: "inbound",
				OccurredAt: "2026-11-20T10:00:00+01:00", From: "zoe@example.fr", Subject: subject}
		}
		res, err := f.store.Ingest(ctx, f.integration, []Item{mail("a", "Bonjour"), mail("b", "boom"), mail("c", "Merci")})
		if err != nil {
			t.Fatalf("the batch failed: %v", err)
		}
		got := []string{res[0].Status, res[1].Status + " " + res[1].Reason, res[2].Status}
		if want := []string{Stored, Rejected + " " + ReasonRefused, Stored}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM interactions"); n != 2 {
			t.Errorf("%d interactions stored, want 2", n)
		}
	})
}
