package party

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func ptr[T any](v T) *T { return &v }

func TestUpdateIsAuditedWithOldAndNewValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		got, err := s.Update(ctx, o.advisor(), p.ID, Patch{LastName: ptr("Dupré-Morel"), Segment: ptr("premium"),
			FirstName: ptr("Hélène"), Phones: &[]Phone{{Number: "+33 7 81 23 45 67", Kind: "work"}}, Version: ptr(1)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 2 || got.LastName != "Dupré-Morel" || got.Phones[0].Number != "+33781234567" || len(got.Emails) != 1 {
			t.Fatalf("updated = %+v", got)
		}
		var raw string
		if err := d.QueryRow(ctx, "SELECT detail FROM audit_log WHERE action = 'party.update' AND party_id = ?", p.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var detail map[string]audit.Change
		if err := json.Unmarshal([]byte(raw), &detail); err != nil {
			t.Fatal(err)
		}
		if c := detail["last_name"]; c.Old != "Dupré" || c.New != "Dupré-Morel" {
			t.Fatalf("last_name change = %+v", c)
		}
		if c := detail["segment"]; c.Old != "" || c.New != "premium" {
			t.Fatalf("segment change = %+v", c)
		}
		if _, ok := detail["phones"]; !ok {
			t.Fatalf("phones change missing: %s", raw)
		}
		if _, ok := detail["first_name"]; ok || len(detail) != 3 {
			t.Fatalf("detail should hold only the changed fields: %s", raw)
		}
	})
}

func TestUpdateWithAStaleVersionIsAConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		if _, err := s.Update(ctx, o.advisor(), p.ID, Patch{Segment: ptr("a"), Version: ptr(1)}); err != nil {
			t.Fatal(err)
		}
		_, err := s.Update(ctx, o.advisor(), p.ID, Patch{Segment: ptr("b"), Version: ptr(1)})
		wantCode(t, err, core.Conflict)
	})
}

func TestUpdateThatChangesNothingKeepsTheVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		got, err := s.Update(context.Background(), o.advisor(), p.ID, Patch{LastName: ptr("Dupré"),
			Emails: &[]Email{{Address: "HELENE.DUPRE@example.fr", Kind: "personal", Favorite: true}}})
		if err != nil || got.Version != 1 || got.Emails[0].ID != p.Emails[0].ID {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
}

func TestUpdateRefusesMovingAPartyOutsideTheAdvisorsScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		_, err := s.Update(context.Background(), o.advisor(), p.ID, Patch{AgencyCode: ptr("A-NICE")})
		wantField(t, err, "agency_code")
		moved, err := s.Update(context.Background(), o.admin(), p.ID, Patch{AgencyCode: ptr("A-NICE")})
		if err != nil || moved.AgencyCode != "A-NICE" {
			t.Fatalf("admin move: %+v, %v", moved, err)
		}
	})
}

func TestUpdateRefusesAnInvalidEmailNamingTheField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		_, err := s.Update(context.Background(), o.advisor(), p.ID, Patch{Emails: &[]Email{{Address: "a@b.fr"}, {Address: "oops"}}})
		wantField(t, err, "emails[1].address")
	})
}

func TestConvertToClientGeneratesAFreeTenDigitNumber(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), Input{LastName: "Prospect"})
		c, err := s.ConvertToClient(ctx, o.advisor(), p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != "client" || len(c.ClientNumber) != 10 || c.Version != 2 {
			t.Fatalf("converted = %+v", c)
		}
		_, err = s.ConvertToClient(ctx, o.advisor(), p.ID, "")
		wantCode(t, err, core.Conflict)
		q := mustCreate(t, s, o.advisor(), Input{LastName: "Autre"})
		_, err = s.ConvertToClient(ctx, o.advisor(), q.ID, c.ClientNumber)
		wantCode(t, err, core.Conflict)
	})
}
