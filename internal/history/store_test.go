package history

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// fixture is a bank with one agency, an advisor, a couple sharing an email
// and a landline, and a third client.
type fixture struct {
	store                 *Store
	parties               *party.Store
	helene, marc, zoe     party.Party
	integration, readOnly *core.Actor
	filesDir              string // the file store's directory
}

// newFiles opens the file store in dir on clock.
func newFiles(t *testing.T, dir string, clock core.Clock) *blob.Disk {
	t.Helper()
	files, err := blob.NewDisk(dir, clock)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	log := audit.New(d, clock)
	orgs := org.NewStore(d, clock, log)
	sys := core.System()
	for _, u := range []org.UnitInput{{Code: "BR", Name: "Banque", Kind: "establishment"},
		{Code: "A1", Name: "Agence", Kind: "agency", ParentCode: "BR"}} {
		if _, err := orgs.CreateUnit(ctx, sys, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := orgs.CreateAgent(ctx, sys, org.AgentInput{Login: "jmartin", Name: "Julie Martin", UnitCode: "A1", Roles: []string{"advisor"}}); err != nil {
		t.Fatal(err)
	}
	parties := party.NewStore(d, clock, log)
	dir := t.TempDir()
	f := &fixture{store: NewStore(d, clock, log, parties, DefaultRules(), newFiles(t, dir, clock)), parties: parties, filesDir: dir,
		integration: &core.Actor{Login: "telephony", Permissions: []core.Permission{core.PermHistoryWrite}, Scope: core.Scope{All: true}},
		readOnly:    &core.Actor{Login: "viewer", Permissions: []core.Permission{core.PermHistoryRead}, Scope: core.Scope{All: true}}}
	create := func(first, last, number string, emails []string, phones []string) party.Party {
		in := party.Input{Kind: "person", Status: "client", ClientNumber: number, FirstName: first, LastName: last, AgencyCode: "A1"}
		for _, e := range emails {
			in.Emails = append(in.Emails, party.Email{Address: e, Kind: "personal"})
		}
		for _, p := range phones {
			in.Phones = append(in.Phones, party.Phone{Number: p, Kind: "home"})
		}
		p, err := f.parties.Create(ctx, sys, in)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.helene = create("Hélène", "Dupré", "1000000001", []string{"helene@example.fr", "famille.dupre@example.fr"}, []string{"04 78 00 00 01", "06 12 34 56 78"})
	f.marc = create("Marc", "Dupré", "1000000002", []string{"famille.dupre@example.fr"}, []string{"04 78 00 00 01"})
	f.zoe = create("Zoé", "Lefèvre", "1000000003", []string{"zoe@example.fr"}, nil)
	return f
}

func seconds(n int) *int { return &n }

func TestIngestAppliesTheRulesAndIdentifiesParties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		var excluded []Exclusion
		f.store.OnExcluded(func(e Exclusion) { excluded = append(excluded, e) })
		items := []Item{
			{Source: "telephony", ExternalID: "c1", Channel: "phone", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00+01:00",
				DurationSeconds: seconds(5), Outcome: "unanswered", From: "+33612345678", Agent: "jmartin"},
			{Source: "telephony", ExternalID: "c2", Channel: "phone", Direction: "outbound", OccurredAt: "2026-11-20T11:00:00+01:00",
				DurationSeconds: seconds(20), To: []string{"06 12 34 56 78"}},
			{Source: "agent_mailbox", ExternalID: "m1", Channel: "email", Direction: "inbound", OccurredAt: "2026-11-20T12:00:00Z",
				From: "Famille.Dupre@example.fr", To: []string{"julie.martin@banque.fr"}, Cc: []string{"zoe@example.fr"}, Subject: "Re: votre prêt"},
			{Source: "agent_mailbox", ExternalID: "m2", Channel: "email", Direction: "inbound", OccurredAt: "2026-11-20T12:05:00Z",
				From: "helene@example.fr", Subject: "TR: Perso vacances"},
			{Source: "telephony", ExternalID: "bad", Channel: "fax", Direction: "sideways", OccurredAt: "yesterday"},
			{Source: "agent_mailbox", ExternalID: "m3", Channel: "email", Direction: "inbound", OccurredAt: "2026-11-20T13:00:00Z",
				From: "inconnu@example.fr", Subject: "Bonjour", Agent: "nobody"},
			{Source: "letter", ExternalID: "l1", Channel: "letter", Direction: "outbound", OccurredAt: "2026-11-20T13:00:00Z",
				ClientNumber: "1000000003", LetterType: "pnd"},
		}
		res, err := f.store.Ingest(ctx, f.integration, items)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{Stored, Excluded, Stored, Excluded, Rejected, Stored, Stored}
		for i, r := range res {
			if r.Status != want[i] {
				t.Errorf("item %s: %s (%s), want %s", r.ExternalID, r.Status, r.Reason, want[i])
			}
		}
		// Every inbound call is kept, even 5 s unanswered, on the mobile's owner.
		if len(res[0].PartyIDs) != 1 || res[0].PartyIDs[0] != f.helene.ID {
			t.Errorf("inbound call parties %v, want Hélène", res[0].PartyIDs)
		}
		if res[1].Reason != string(ShortOutboundCall) || res[3].Reason != string(PrivateSubject) {
			t.Errorf("exclusion reasons %q, %q", res[1].Reason, res[3].Reason)
		}
		if len(excluded) != 2 {
			t.Errorf("metrics told of %v, want two exclusions", excluded)
		}
		// A shared email puts the interaction in both spouses' histories, and Cc'd Zoé's.
		if got := res[2].PartyIDs; len(got) != 3 {
			t.Errorf("shared email parties %v, want Hélène, Marc and Zoé", got)
		}
		for _, f := range []string{"channel", "direction", "occurred_at"} {
			if !contains(res[4].Reason, f) {
				t.Errorf("rejection %q does not name %s", res[4].Reason, f)
			}
		}
		// Unknown sender and agent: kept, unattached, flagged.
		if len(res[5].PartyIDs) != 0 || !contains(res[5].Reason, "unattached") || !contains(res[5].Reason, "unknown_agent") {
			t.Errorf("unknown sender: %+v", res[5])
		}
		var raw, coordinate string
		if err := d.QueryRow(ctx, "SELECT i.agent_login_raw, u.coordinate FROM interactions i JOIN interaction_unmatched u ON u.interaction_id = i.id WHERE i.id = ?",
			res[5].InteractionID).Scan(&raw, &coordinate); err != nil || raw != "nobody" || coordinate != "inconnu@example.fr" {
			t.Errorf("unknown agent and address kept as %q, %q (%v)", raw, coordinate, err)
		}
		if len(res[6].PartyIDs) != 1 || res[6].PartyIDs[0] != f.zoe.ID {
			t.Errorf("letter by client number: %v", res[6].PartyIDs)
		}
		// Private and short items were not stored at all.
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM interactions").Scan(&n); err != nil || n != 4 {
			t.Errorf("%d interactions stored, want 4 (%v)", n, err)
		}
	})
}

func TestIngestIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		call := Item{Source: "telephony", ExternalID: "c1", Channel: "phone", Direction: "inbound",
			OccurredAt: "2026-11-20T10:00:00+01:00", From: "04 78 00 00 01"}
		first, err := f.store.Ingest(ctx, f.integration, []Item{call, call})
		if err != nil {
			t.Fatal(err)
		}
		if first[0].Status != Stored || first[1].Status != Duplicate || len(first[0].PartyIDs) != 2 {
			t.Fatalf("first batch: %+v", first)
		}
		again, err := f.store.Ingest(ctx, f.integration, []Item{call})
		if err != nil {
			t.Fatal(err)
		}
		if again[0].Status != Duplicate || again[0].InteractionID != first[0].InteractionID || len(again[0].PartyIDs) != 2 {
			t.Errorf("second send: %+v, want duplicate of %s with both parties", again[0], first[0].InteractionID)
		}
		// Another source may use the same external id.
		other := call
		other.Source = "chat"
		other.Channel = "chat"
		if res, _ := f.store.Ingest(ctx, f.integration, []Item{other}); res[0].Status != Stored {
			t.Errorf("same id from another source: %+v", res[0])
		}
	})
}

func TestIngestConcurrentSameItemStoredOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		call := Item{Source: "telephony", ExternalID: "race", Channel: "phone", Direction: "inbound",
			OccurredAt: "2026-11-20T10:00:00+01:00", From: "+33612345678"}
		var wg sync.WaitGroup
		statuses := make([]string, 8)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.store.Ingest(ctx, f.integration, []Item{call})
				if err != nil {
					t.Error(err)
					return
				}
				statuses[i] = res[0].Status
			}()
		}
		wg.Wait()
		stored := 0
		for _, s := range statuses {
			if s == Stored {
				stored++
			}
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM interactions").Scan(&n); err != nil || n != 1 || stored != 1 {
			t.Errorf("%d rows, %d answers stored (%v), want exactly one", n, stored, statuses)
		}
	})
}

func TestIngestNeedsHistoryWrite(t *testing.T) {
	f := newFixture(t, dbtest.SQLite(t))
	_, err := f.store.Ingest(context.Background(), f.readOnly, []Item{{Source: "sms"}})
	if core.ErrorCode(err) != core.Forbidden {
		t.Errorf("a reader ingests: %v, want forbidden", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestIngestRecognisesAPartyByAnyOfItsAddressesAndPhones: personal or
// professional, favourite or not, with or without consent (docs/product/contact-history.md).
func TestIngestRecognisesAPartyByAnyOfItsAddressesAndPhones(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		p, err := f.parties.Create(ctx, core.System(), party.Input{Kind: "person", Status: "client", ClientNumber: "1000000009",
			FirstName: "Noël", LastName: "Bézier", AgencyCode: "A1", Consents: party.Consents{},
			Emails: []party.Email{{Address: "noel@perso.fr", Kind: "personal", Favorite: true},
				{Address: "n.bezier@entreprise.fr", Kind: "professional"}},
			Phones: []party.Phone{{Number: "06 98 76 54 32", Kind: "mobile"}, {Number: "01 45 00 00 02", Kind: "work"}}})
		if err != nil {
			t.Fatal(err)
		}
		for i, from := range []string{"noel@perso.fr", "N.Bezier@Entreprise.fr", "+33698765432", "01 45 00 00 02"} {
			channel := "email"
			if !strings.Contains(from, "@") {
				channel = "phone"
			}
			res, err := f.store.Ingest(ctx, f.integration, []Item{{Source: "telephony", ExternalID: fmt.Sprint("x", i),
				Channel: channel, Direction: "inbound", OccurredAt: "2026-11-20T10:00:00Z", From: from}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res[0].PartyIDs) != 1 || res[0].PartyIDs[0] != p.ID {
				t.Errorf("from %s: parties %v, want Noël Bézier (no consent given)", from, res[0].PartyIDs)
			}
		}
	})
}

// TestIngestShowsAnOrganisationsInteractionToItsDirectorSharingTheCoordinates
// (docs/product/contact-history.md, shared coordinates).
func TestIngestShowsAnOrganisationsInteractionToItsDirectorSharingTheCoordinates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		sys := core.System()
		company, err := f.parties.Create(ctx, sys, party.Input{Kind: "organization", Status: "client", ClientNumber: "2000000001",
			Name: "Boulangerie Dupré", AgencyCode: "A1",
			Emails: []party.Email{{Address: "contact@boulangerie-dupre.fr", Kind: "professional"}}})
		if err != nil {
			t.Fatal(err)
		}
		director, err := f.parties.Create(ctx, sys, party.Input{Kind: "person", Status: "client", ClientNumber: "2000000002",
			FirstName: "Paul", LastName: "Dupré", AgencyCode: "A1",
			Emails: []party.Email{{Address: "contact@boulangerie-dupre.fr", Kind: "professional"}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.parties.AddRelation(ctx, sys, director.ID, "director", company.ID); err != nil {
			t.Fatal(err)
		}
		res, err := f.store.Ingest(ctx, f.integration, []Item{{Source: "agent_mailbox", ExternalID: "o1", Channel: "email",
			Direction: "inbound", OccurredAt: "2026-11-20T10:00:00Z", From: "contact@boulangerie-dupre.fr", Subject: "Terminal de paiement"}})
		if err != nil {
			t.Fatal(err)
		}
		reader := &core.Actor{Permissions: []core.Permission{core.PermHistoryRead, core.PermPartyRead}, Scope: core.Scope{All: true}}
		for _, p := range []party.Party{company, director} {
			page, err := f.store.Timeline(ctx, reader, p.ID, Filter{})
			if err != nil || len(page.Items) != 1 || page.Items[0].ID != res[0].InteractionID {
				t.Errorf("%s's timeline: %+v, %v; want the company's email", p.DisplayName, page.Items, err)
			}
		}
	})
}
