package history

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// author returns the actor of the fixture's advisor Julie Martin, who
// writes reports.
func (f *fixture) author(t *testing.T, d *db.DB, login string) *core.Actor {
	t.Helper()
	var id, unit string
	if err := d.QueryRow(context.Background(), "SELECT id, unit_id FROM agents WHERE login = ?", login).Scan(&id, &unit); err != nil {
		t.Fatal(err)
	}
	return &core.Actor{AgentID: id, Login: login, UnitID: unit, Locale: "fr", Scope: core.Scope{All: true},
		Permissions: []core.Permission{core.PermPartyRead, core.PermHistoryRead, core.PermReportWrite}}
}

// paris is the time zone of the fixture's agency.
var paris, _ = time.LoadLocation("Europe/Paris")

// on is a time on 20 November 2026 in Paris.
func on(h, m int) time.Time { return time.Date(2026, 11, 20, h, m, 0, 0, paris) }

// call pushes a call between Julie Martin and the holder of phone.
func (f *fixture) call(t *testing.T, ext, direction, phone string, at time.Time, secs int) string {
	t.Helper()
	it := Item{Source: "telephony", ExternalID: ext, Channel: "phone", Direction: direction, Agent: "jmartin",
		OccurredAt: at.Format(time.RFC3339), DurationSeconds: seconds(secs), Outcome: "answered"}
	if direction == DirectionInbound {
		it.From = phone
	} else {
		it.To = []string{phone}
	}
	res, err := f.store.Ingest(context.Background(), f.integration, []Item{it})
	if err != nil || res[0].Status != Stored {
		t.Fatalf("call %s: %+v %v", ext, res, err)
	}
	return res[0].InteractionID
}

// report files Julie Martin's report on p.
func (f *fixture) report(t *testing.T, actor *core.Actor, p party.Party, medium, initiative string, written time.Time) Report {
	t.Helper()
	r, err := f.store.WriteReport(context.Background(), actor, ReportInput{PartyID: p.ID, Medium: medium, Initiative: initiative,
		Reason: "home_loan", Comment: "Projet d'achat à Lyon, rappeler avec une simulation.", WrittenAt: &written})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// lines returns the interaction ids of p's timeline, newest first.
func (f *fixture) lines(t *testing.T, p party.Party) []Entry {
	t.Helper()
	reader := &core.Actor{Login: "reader", Locale: "fr", Scope: core.Scope{All: true},
		Permissions: []core.Permission{core.PermPartyRead, core.PermHistoryRead}}
	page, err := f.store.Timeline(context.Background(), reader, p.ID, Filter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func TestAReportAttachesToTheCallItDescribes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		julie := f.author(t, d, "jmartin")
		f.call(t, "morning", "inbound", "06 12 34 56 78", on(9, 0), 300)
		last := f.call(t, "afternoon", "inbound", "06 12 34 56 78", on(15, 0), 120)
		r := f.report(t, julie, f.helene, "phone", "inbound", on(18, 0))
		if r.Status != Reconciled || r.InteractionID != last {
			t.Fatalf("report %s on %s, want reconciled on the last call of the day %s", r.Status, r.InteractionID, last)
		}
		lines := f.lines(t, f.helene)
		if len(lines) != 2 || lines[0].Report == nil || lines[0].Report.ReasonLabel != "Crédit immobilier" ||
			lines[0].Report.Comment == "" || lines[1].Report != nil {
			t.Errorf("timeline %+v: the report should show on the afternoon call only", lines)
		}
	})
}

func TestAReportWrittenJustAfterACallGoesToThatCall(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		julie := f.author(t, d, "jmartin")
		morning := f.call(t, "morning", "outbound", "06 12 34 56 78", on(9, 0), 300)
		f.call(t, "afternoon", "outbound", "06 12 34 56 78", on(15, 0), 120)
		r := f.report(t, julie, f.helene, "phone", "outbound", on(9, 12))
		if r.Status != Reconciled || r.InteractionID != morning {
			t.Errorf("report %s on %s, want the morning call %s", r.Status, r.InteractionID, morning)
		}
	})
}

func TestAReportMatchingNothingIsAnOrphanWithSuggestionsAndFixingItReconciles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		julie := f.author(t, d, "jmartin")
		call := f.call(t, "c1", "outbound", "06 12 34 56 78", on(10, 0), 600)
		// The advisor ticks "inbound" for a call she made.
		r := f.report(t, julie, f.helene, "phone", "inbound", on(10, 30))
		if r.Status != Orphan || r.InteractionID == "" || r.InteractionID == call {
			t.Fatalf("report %s on %s, want an orphan with its own interaction", r.Status, r.InteractionID)
		}
		if len(r.Suggestions) != 1 || r.Suggestions[0].InteractionID != call || r.Suggestions[0].Direction != "outbound" {
			t.Errorf("suggestions %+v, want the outbound call", r.Suggestions)
		}
		lines := f.lines(t, f.helene)
		if len(lines) != 2 || lines[0].ID != r.InteractionID || lines[0].Direction != "inbound" ||
			lines[0].Report == nil || !lines[0].Report.Orphan {
			t.Fatalf("timeline %+v: the orphan should be a line of its own", lines)
		}
		orphans, err := f.store.Orphans(ctx, julie, "", 10)
		if err != nil || len(orphans.Items) != 1 || orphans.Items[0].ID != r.ID {
			t.Fatalf("author's orphans %+v %v", orphans, err)
		}
		fixed, err := f.store.FixReport(ctx, julie, r.ID, ReportFix{Medium: "phone", Initiative: "outbound", Reason: r.Reason,
			Comment: r.Comment, Version: r.Version})
		if err != nil || fixed.Status != Reconciled || fixed.InteractionID != call {
			t.Fatalf("fixed report %+v %v, want reconciled on the call", fixed, err)
		}
		lines = f.lines(t, f.helene)
		if len(lines) != 1 || lines[0].ID != call || lines[0].Report == nil || lines[0].Report.Orphan {
			t.Errorf("timeline after the fix %+v: only the call, with the report", lines)
		}
		if orphans, _ := f.store.Orphans(ctx, julie, "", 10); len(orphans.Items) != 0 {
			t.Errorf("still listed as orphan: %+v", orphans.Items)
		}
		if _, err := f.store.FixReport(ctx, julie, r.ID, ReportFix{Medium: "phone", Initiative: "outbound", Reason: r.Reason,
			Version: r.Version}); core.ErrorCode(err) != core.Conflict {
			t.Errorf("stale fix: %v, want a conflict", err)
		}
	})
}

func TestAReportOlderThanSevenDaysAfterTheCallIsAnOrphan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		julie := f.author(t, d, "jmartin")
		f.call(t, "old", "inbound", "06 12 34 56 78", on(10, 0).AddDate(0, 0, -8), 60)
		if r := f.report(t, julie, f.helene, "phone", "inbound", on(10, 0)); r.Status != Orphan || len(r.Suggestions) != 0 {
			t.Errorf("report %s with %d suggestions, want an orphan without any", r.Status, len(r.Suggestions))
		}
	})
}

func TestACallArrivingAfterItsReportTakesItAndTheOrphanLineDisappears(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		julie := f.author(t, d, "jmartin")
		r := f.report(t, julie, f.helene, "phone", "inbound", on(11, 0))
		if r.Status != Orphan {
			t.Fatalf("report before its call: %s", r.Status)
		}
		// The telephony platform delivers the call hours late.
		call := f.call(t, "late", "inbound", "06 12 34 56 78", on(10, 45), 600)
		lines := f.lines(t, f.helene)
		if len(lines) != 1 || lines[0].ID != call || lines[0].Report == nil || lines[0].Report.ID != r.ID || lines[0].Report.Orphan {
			t.Errorf("timeline %+v: the late call with the report, and no orphan line", lines)
		}
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM interactions WHERE source = ?", ReportSource).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d orphan interactions left (%v)", n, err)
		}
	})
}

func TestAReportTakesTheCallAwayFromThoseWhoOnlySharedTheNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		julie := f.author(t, d, "jmartin")
		// The couple's landline: the call shows in both histories.
		call := f.call(t, "home", "inbound", "04 78 00 00 01", on(10, 0), 200)
		if len(f.lines(t, f.marc)) != 1 || len(f.lines(t, f.helene)) != 1 {
			t.Fatal("the landline call should show to both spouses first")
		}
		r := f.report(t, julie, f.helene, "phone", "inbound", on(10, 5))
		if r.InteractionID != call {
			t.Fatalf("report on %s, want the landline call", r.InteractionID)
		}
		if lines := f.lines(t, f.marc); len(lines) != 0 {
			t.Errorf("Marc still sees %+v", lines)
		}
		if lines := f.lines(t, f.helene); len(lines) != 1 || lines[0].SharedWith != 0 {
			t.Errorf("Hélène's timeline %+v", lines)
		}
		// Correcting the report so it no longer describes the call gives it back to Marc.
		if _, err := f.store.FixReport(context.Background(), julie, r.ID, ReportFix{Medium: "face_to_face", Initiative: "inbound",
			Reason: r.Reason, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		if lines := f.lines(t, f.marc); len(lines) != 1 || lines[0].ID != call {
			t.Errorf("Marc's timeline after the correction %+v, want the call back", lines)
		}
	})
}

func TestOneReportPerCustomerAgentAndDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		julie := f.author(t, d, "jmartin")
		f.report(t, julie, f.helene, "phone", "inbound", on(9, 0))
		written := on(17, 0)
		_, err := f.store.WriteReport(ctx, julie, ReportInput{PartyID: f.helene.ID, Medium: "email", Initiative: "outbound",
			Reason: "savings", WrittenAt: &written})
		if core.ErrorCode(err) != core.Conflict || !contains(core.ErrorMessage(err), "2026-11-20") {
			t.Errorf("second report the same day: %v, want a conflict naming the day", err)
		}
		// Another customer, or the next day, is fine.
		f.report(t, julie, f.zoe, "phone", "inbound", on(9, 0))
		f.report(t, julie, f.helene, "phone", "inbound", on(9, 0).AddDate(0, 0, 1))
	})
}

func TestAReportIsValidated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		julie := f.author(t, d, "jmartin")
		long := make([]rune, MaxComment+1)
		for i := range long {
			long[i] = 'é'
		}
		_, err := f.store.WriteReport(context.Background(), julie, ReportInput{PartyID: f.helene.ID, Medium: "pigeon",
			Initiative: "sideways", Reason: "nope", Comment: string(long), Sales: []Sale{{Product: "yacht", Money: core.Money{Minor: -1}}}})
		var e *core.Error
		if !errors.As(err, &e) || e.Code != core.Invalid {
			t.Fatalf("invalid report: %v", err)
		}
		for _, field := range []string{"medium", "initiative", "reason", "comment", "sales[0].product", "sales[0].amount_minor"} {
			if e.Fields[field].Code == "" {
				t.Errorf("field %s not named in %v", field, e.Fields)
			}
		}
		// 5,000 accented characters are allowed.
		written := on(9, 0)
		r, err := f.store.WriteReport(context.Background(), julie, ReportInput{PartyID: f.helene.ID, Medium: "face_to_face",
			Initiative: "inbound", Reason: "savings", Comment: string(long[:MaxComment]), WrittenAt: &written,
			Sales: []Sale{{Product: "savings", Money: core.Money{Minor: 150000}}}})
		if err != nil || len([]rune(r.Comment)) != MaxComment || len(r.Sales) != 1 {
			t.Fatalf("a 5,000-character report: %v", err)
		}
		// The sale is kept in cents, in euros when no currency was named.
		got, err := f.store.Report(context.Background(), julie, r.ID)
		if err != nil || len(got.Sales) != 1 || got.Sales[0].Money != (core.Money{Minor: 150000, Currency: "EUR"}) {
			t.Errorf("sale read back: %+v (%v), want 1,500.00 EUR", got.Sales, err)
		}
		// A sale stored the old way (a decimal amount in euros, as an instance
		// not yet upgraded writes it) reads back in cents, exactly.
		if _, err := d.Exec(context.Background(), "UPDATE reports SET sales = ? WHERE id = ?",
			`[{"product":"savings","amount":1234.56},{"product":"card","amount":0.29}]`, r.ID); err != nil {
			t.Fatal(err)
		}
		got, err = f.store.Report(context.Background(), julie, r.ID)
		if err != nil || len(got.Sales) != 2 || got.Sales[0].Money != (core.Money{Minor: 123456, Currency: "EUR"}) ||
			got.Sales[1].Minor != 29 {
			t.Errorf("old sales read back: %+v (%v), want 123456 and 29 cents", got.Sales, err)
		}
	})
}

func TestOrphansAreListedForTheirAuthorAndManagerOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		clock := core.NewFixedClock(on(12, 0))
		orgs := org.NewStore(d, clock, f.store.log)
		for _, a := range []org.AgentInput{{Login: "pdurand", Name: "Paul Durand", UnitCode: "A1", Roles: []string{"advisor"}},
			{Login: "chef", Name: "Claire Chef", UnitCode: "A1", Roles: []string{"manager"}}} {
			if _, err := orgs.CreateAgent(ctx, core.System(), a); err != nil {
				t.Fatal(err)
			}
		}
		r := f.report(t, f.author(t, d, "jmartin"), f.helene, "video", "outbound", on(9, 0))
		paul := f.author(t, d, "pdurand")
		manager := f.author(t, d, "chef")
		manager.Permissions = append(manager.Permissions, core.PermReportReview)
		if page, err := f.store.Orphans(ctx, paul, "", 10); err != nil || len(page.Items) != 0 {
			t.Errorf("another advisor sees %+v (%v)", page.Items, err)
		}
		page, err := f.store.Orphans(ctx, manager, "", 10)
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != r.ID || page.Items[0].PartyName != "Hélène Dupré" {
			t.Errorf("manager's orphans %+v (%v)", page.Items, err)
		}
		if _, err := f.store.FixReport(ctx, paul, r.ID, ReportFix{Medium: "phone", Initiative: "outbound", Reason: "other",
			Version: r.Version}); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("another advisor fixing the report: %v, want forbidden", err)
		}
		if _, err := f.store.FixReport(ctx, manager, r.ID, ReportFix{Medium: "phone", Initiative: "outbound", Reason: "other",
			Version: r.Version}); err != nil {
			t.Errorf("manager fixing the report: %v", err)
		}
	})
}

func TestAConcurrentReportAndCallForTheSamePartyAttachOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		julie := f.author(t, d, "jmartin")
		const rounds = 12
		for i := range rounds {
			day := on(10, 0).AddDate(0, 0, -i)
			var wg sync.WaitGroup
			var reportErr, callErr error
			wg.Add(2)
			go func() {
				defer wg.Done()
				written := day.Add(5 * time.Minute)
				_, reportErr = f.store.WriteReport(ctx, julie, ReportInput{PartyID: f.helene.ID, Medium: "phone",
					Initiative: "inbound", Reason: "account", WrittenAt: &written})
			}()
			go func() {
				defer wg.Done()
				_, callErr = f.store.Ingest(ctx, f.integration, []Item{{Source: "telephony", ExternalID: fmt.Sprint("race", i),
					Channel: "phone", Direction: "inbound", OccurredAt: day.Format(time.RFC3339), DurationSeconds: seconds(60),
					Outcome: "answered", From: "06 12 34 56 78", Agent: "jmartin"}})
			}()
			wg.Wait()
			if reportErr != nil || callErr != nil {
				t.Fatalf("round %d: report %v, call %v", i, reportErr, callErr)
			}
		}
		var reconciled, orphans, lines int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM reports WHERE status = 'reconciled'").Scan(&reconciled); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM interactions WHERE source = ?", ReportSource).Scan(&orphans); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM interaction_parties WHERE party_id = ?", f.helene.ID).Scan(&lines); err != nil {
			t.Fatal(err)
		}
		if reconciled != rounds || orphans != 0 || lines != rounds {
			t.Errorf("%d reconciled, %d orphan interactions, %d lines; want %d, 0, %d", reconciled, orphans, lines, rounds, rounds)
		}
	})
}

func TestAnUnknownAddressIsLinkedWhenAPartyGainsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		res, err := f.store.Ingest(ctx, f.integration, []Item{{Source: "agent_mailbox", ExternalID: "new-address",
			Channel: "email", Direction: "inbound", OccurredAt: on(8, 0).Format(time.RFC3339),
			From: "Zoe.Pro@Entreprise.fr", Subject: "Mon nouveau mail professionnel"}})
		if err != nil || len(res[0].PartyIDs) != 0 {
			t.Fatalf("unknown sender: %+v %v", res, err)
		}
		if len(f.lines(t, f.zoe)) != 0 {
			t.Fatal("not yet Zoé's")
		}
		emails := append(f.zoe.Emails, party.Email{Address: "zoe.pro@entreprise.fr", Kind: "professional"})
		if _, err := f.parties.Update(ctx, core.System(), f.zoe.ID, party.Patch{Emails: &emails, Version: &f.zoe.Version}); err != nil {
			t.Fatal(err)
		}
		lines := f.lines(t, f.zoe)
		if len(lines) != 1 || lines[0].ID != res[0].InteractionID {
			t.Fatalf("Zoé's timeline after adding the address: %+v", lines)
		}
		var flags string
		var kept int
		if err := d.QueryRow(ctx, "SELECT flags, (SELECT COUNT(*) FROM interaction_unmatched) FROM interactions WHERE id = ?",
			res[0].InteractionID).Scan(&flags, &kept); err != nil || flags != "" || kept != 0 {
			t.Errorf("flags %q, %d unmatched kept (%v): should be attached now", flags, kept, err)
		}
	})
}

func TestTheWindowAfterAnExchangeIsSetPerEstablishment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		julie := f.author(t, d, "jmartin")
		settings := f.store.DefaultSettings()
		settings.Rules.ReportWindow = time.Hour
		if _, err := f.store.SaveSettings(ctx, core.System(), "BR", settings); err != nil {
			t.Fatal(err)
		}
		morning := f.call(t, "morning", "inbound", "06 12 34 56 78", on(9, 0), 300)
		f.call(t, "afternoon", "inbound", "06 12 34 56 78", on(15, 0), 120)
		// 50 minutes after the morning call: within this bank's hour, not the default 15 minutes.
		if r := f.report(t, julie, f.helene, "phone", "inbound", on(9, 55)); r.InteractionID != morning {
			t.Errorf("report on %s, want the morning call %s", r.InteractionID, morning)
		}
	})
}
