package leads_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
)

func TestTheSameSourceAndExternalIDAgainReturnsTheStoredLead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		first, created, err := f.Leads.Create(f.ctx, f.Admin, input("A-1"))
		if err != nil || !created {
			t.Fatalf("first: created %v, %v", created, err)
		}
		again := input("A-1")
		again.Message = "Une autre version"
		second, created, err := f.Leads.Create(f.ctx, f.Admin, again)
		if err != nil || created || second.ID != first.ID || second.Message != first.Message {
			t.Fatalf("again: created %v, id %s (first %s), message %q, %v", created, second.ID, first.ID, second.Message, err)
		}
		other := input("A-1")
		other.Source = "comparator"
		if _, created, err := f.Leads.Create(f.ctx, f.Admin, other); err != nil || !created {
			t.Errorf("the same external id from another source is another lead: created %v, %v", created, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM leads"); n != 2 {
			t.Errorf("%d leads, want 2", n)
		}
		if n := len(f.told()); n != 2 {
			t.Errorf("%d assignments told, want 2 (none for the repeat)", n)
		}
		for _, action := range []string{"lead.create", "lead.assign"} {
			if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action); n != 2 {
				t.Errorf("%d %s audit entries, want 2", n, action)
			}
		}
	})
}

func TestALeadIsMatchedToThePartyHoldingItsEmailElseItsPhoneElseCreatesAProspect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		byEmail := input("M-1")
		byEmail.Email = "  Helene.Dupre@Example.FR "
		if l := f.create(t, byEmail); l.PartyID != f.P1.ID || l.PartyName != "Hélène Dupré" || l.Email != "helene.dupre@example.fr" {
			t.Errorf("by email: party %s %q, email %q; want Hélène Dupré", l.PartyID, l.PartyName, l.Email)
		}
		byPhone := input("M-2")
		byPhone.Email, byPhone.Phone = "", "+33 6 12 34 56 78"
		if l := f.create(t, byPhone); l.PartyID != f.P1.ID || l.Phone != "+33612345678" {
			t.Errorf("by phone: party %s, phone %q; want Hélène Dupré's", l.PartyID, l.Phone)
		}
		parties := f.count(t, "SELECT COUNT(*) FROM parties")
		fresh := f.create(t, input("M-3"))
		if fresh.PartyID == "" || fresh.PartyID == f.P1.ID || fresh.PartyName != "Jeanne Prospect-M-3" {
			t.Fatalf("a new person: party %s %q", fresh.PartyID, fresh.PartyName)
		}
		p, err := f.Parties.Get(f.ctx, core.System(), fresh.PartyID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != "prospect" || p.AgencyCode != "A1" || len(p.Emails) != 1 || p.Emails[0].Address != "jeanne.m-3@example.org" {
			t.Errorf("the prospect: %+v", p)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM parties"); n != parties+1 {
			t.Errorf("%d parties after, want %d", n, parties+1)
		}
		// The prospect is found by its email next time.
		if l := f.create(t, input("M-3b")); l.PartyID == fresh.PartyID {
			t.Errorf("another email made the same party")
		}
		same := input("M-4")
		same.Email = "jeanne.m-3@example.org"
		if l := f.create(t, same); l.PartyID != fresh.PartyID {
			t.Errorf("the prospect's email again: party %s, want %s", l.PartyID, fresh.PartyID)
		}
	})
}

func TestALeadRoutedToTheEstablishmentCreatesItsProspectInTheFirstAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		l := f.create(t, input("D-1"))
		if l.Route != leads.RouteDefault || l.UnitCode != "BR" || l.RouteName() != "default" {
			t.Fatalf("route %s to %s", l.Route, l.UnitCode)
		}
		p, err := f.Parties.Get(f.ctx, core.System(), l.PartyID)
		if err != nil || p.AgencyCode != "A1" {
			t.Errorf("prospect agency %q, %v; want A1 (the first by code)", p.AgencyCode, err)
		}
	})
}

func TestALeadIsRefusedWhenAFieldIsInvalidAndNothingIsWritten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		now := f.Clock.Now()
		future, ancient := now.Add(10*time.Minute), time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)
		parties := f.count(t, "SELECT COUNT(*) FROM parties")
		audits := f.count(t, "SELECT COUNT(*) FROM audit_log")
		for _, c := range []struct {
			name, field, reason string
			edit                func(*leads.Input)
		}{
			{"no source", "source", "required", func(in *leads.Input) { in.Source = " " }},
			{"no external id", "external_id", "required", func(in *leads.Input) { in.ExternalID = "" }},
			{"no last name", "last_name", "required", func(in *leads.Input) { in.LastName = "" }},
			{"neither email nor phone", "email", "email_or_phone", func(in *leads.Input) { in.Email = "" }},
			{"a bad email", "email", "email", func(in *leads.Input) { in.Email = "jeanne@" }},
			{"a bad phone", "phone", "phone", func(in *leads.Input) { in.Phone = "12" }},
			{"received in the future", "received_at", "not_future", func(in *leads.Input) { in.ReceivedAt = &future }},
			{"received before 2000", "received_at", "too_old", func(in *leads.Input) { in.ReceivedAt = &ancient }},
			{"an unknown unit", "unit_code", "unknown_unit", func(in *leads.Input) { in.UnitCode = "ZZ" }},
			{"a NUL byte", "message", "nul_byte", func(in *leads.Input) { in.Message = "a\x00b" }},
			{"invalid UTF-8", "first_name", "invalid_utf8", func(in *leads.Input) { in.FirstName = "caf\xe9" }},
			{"a huge source", "source", "too_long", func(in *leads.Input) { in.Source = strings.Repeat("é", core.MaxCode+1) }},
			{"a huge message", "message", "too_long", func(in *leads.Input) { in.Message = strings.Repeat("x", core.MaxLongText+1) }},
			{"a huge postal code", "postal_code", "too_long", func(in *leads.Input) { in.PostalCode = strings.Repeat("7", 21) }},
		} {
			in := input("BAD")
			c.edit(&in)
			_, _, err := f.Leads.Create(f.ctx, f.Admin, in)
			var e *core.Error
			if !errors.As(err, &e) || e.Code != core.Invalid || e.Fields[c.field].Code != c.reason {
				t.Errorf("%s: %v, want %s %s", c.name, err, c.field, c.reason)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM leads"); n != 0 {
			t.Errorf("%d leads written", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM parties"); n != parties {
			t.Errorf("%d parties, want %d", n, parties)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log"); n != audits {
			t.Errorf("%d audit entries, want %d", n, audits)
		}
	})
}

func TestOnlyAnActorWithLeadWorkCreatesLeads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if _, _, err := f.Leads.Create(f.ctx, f.actor(t, "viewer"), input("V-1")); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("viewer: %v, want forbidden", err)
		}
		if _, _, err := f.Leads.Create(f.ctx, f.actor(t, "adv1"), input("V-2")); err != nil {
			t.Errorf("an advisor's token: %v", err)
		}
	})
}

func TestALeadFromTheWebFormGetsAnExternalIDAndIsRoutedLikeAnother(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		in := input("form")
		in.Source = "site"
		a, err := f.Leads.CreateFromForm(f.ctx, "BR", in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.Leads.CreateFromForm(f.ctx, "BR", in)
		if err != nil {
			t.Fatal(err)
		}
		if a.Channel != leads.ChannelForm || a.ExternalID == "" || a.ExternalID == b.ExternalID || a.ID == b.ID ||
			a.UnitCode != "A1" || assigneeOf(a) != "adv1" || assigneeOf(b) != "adv1b" {
			t.Errorf("form leads: %+v / %+v", a, b)
		}
		if _, err := f.Leads.CreateFromForm(f.ctx, "A1", in); core.ErrorCode(err) != core.NotFound {
			t.Errorf("an agency's code: %v, want not found", err)
		}
	})
}
