package party

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestCreateNormalisesCoordinatesAndDefaultsToAProspectOfTheAdvisorsAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), Input{FirstName: " Hélène ", LastName: "Dupré",
			Emails: []Email{{Address: " Helene.Dupre@Example.FR "}},
			Phones: []Phone{{Number: "0033 6 12 34 56 78"}}})
		if p.Status != "prospect" || p.Kind != "person" || p.AgencyCode != "A-LILLE" || p.AgencyName != "Agence de Lille" {
			t.Fatalf("defaults: %+v", p)
		}
		if p.DisplayName != "Hélène Dupré" || p.Version != 1 {
			t.Fatalf("display name %q version %d", p.DisplayName, p.Version)
		}
		got, err := s.Get(context.Background(), o.advisor(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Emails[0].Address != "helene.dupre@example.fr" || got.Emails[0].Kind != "personal" {
			t.Fatalf("email = %+v", got.Emails)
		}
		if got.Phones[0].Number != "+33612345678" || got.Phones[0].Display != "06 12 34 56 78" {
			t.Fatalf("phone = %+v", got.Phones)
		}
		if !got.CreatedAt.Equal(testClock().Now()) {
			t.Fatalf("created at %v", got.CreatedAt)
		}
	})
}

func TestCreateWithADuplicateClientNumberIsAConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		mustCreate(t, s, o.admin(), helene())
		other := helene()
		other.FirstName, other.ClientNumber = "Paul", " 1000000001 "
		_, err := s.Create(context.Background(), o.admin(), other)
		wantCode(t, err, core.Conflict)
	})
}

func TestCreateRefusesInvalidInputNamingTheField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		for _, tc := range []struct {
			name  string
			edit  func(*Input)
			field string
		}{
			{"bad email", func(in *Input) { in.Emails = append(in.Emails, Email{Address: "not-an-email"}) }, "emails[1].address"},
			{"named email", func(in *Input) { in.Emails[0].Address = "Hélène <h@example.fr>" }, "emails[0].address"},
			{"bad phone", func(in *Input) { in.Phones = append(in.Phones, Phone{Number: "06 12"}) }, "phones[1].number"},
			{"future birth", func(in *Input) { in.BirthDate = "2030-01-01" }, "birth_date"},
			{"bad birth", func(in *Input) { in.BirthDate = "17/05/1980" }, "birth_date"},
			{"client without number", func(in *Input) { in.ClientNumber = "" }, "client_number"},
			{"person without last name", func(in *Input) { in.LastName = "" }, "last_name"},
			{"organization without name", func(in *Input) { in.Kind = "organization" }, "name"},
			{"unknown agency", func(in *Input) { in.AgencyCode = "A-NOWHERE" }, "agency_code"},
			{"region is no agency", func(in *Input) { in.AgencyCode = "R-NORD" }, "agency_code"},
			{"unknown advisor", func(in *Input) { in.AdvisorLogin = "nobody" }, "advisor_login"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := helene()
				tc.edit(&in)
				_, err := s.Create(context.Background(), o.admin(), in)
				wantField(t, err, tc.field)
			})
		}
	})
}

func TestAdvisorCannotCreateAPartyInAnAgencyOutsideTheirScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		in := helene()
		in.AgencyCode = "A-NICE"
		_, err := s.Create(context.Background(), o.advisor(), in)
		wantField(t, err, "agency_code")
		if msg := err.(*core.Error).Fields["agency_code"]; msg.Code != "outside_scope" {
			t.Fatalf("reason = %q", msg)
		}
	})
}

func TestCreateIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		p := mustCreate(t, s, o.advisor(), helene())
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_log WHERE action = 'party.create' AND party_id = ? AND agent_id = ?",
			p.ID, o.AdvisorID).Scan(&n); err != nil || n != 1 {
			t.Fatalf("audit entries = %d, %v", n, err)
		}
	})
}

func TestReadOnlyAgentCannotCreate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, o := newStore(t, d)
		viewer := o.advisor()
		viewer.Permissions = []core.Permission{core.PermPartyRead}
		_, err := s.Create(context.Background(), viewer, helene())
		wantCode(t, err, core.Forbidden)
	})
}
