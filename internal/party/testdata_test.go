package party

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// org is the sample organisation tests run in: one establishment, two
// regions with one agency each, an advisor in the first agency.
type org struct {
	Establishment, Region1, Region2, Agency1, Agency2 string
	AdvisorID                                         string
}

// seedOrg writes the sample organisation with plain inserts (the org package
// is not needed here).
func seedOrg(t *testing.T, d *db.DB) org {
	t.Helper()
	ctx := context.Background()
	o := org{Establishment: core.NewID(), Region1: core.NewID(), Region2: core.NewID(),
		Agency1: core.NewID(), Agency2: core.NewID(), AdvisorID: core.NewID()}
	now := core.Millis(time.Now())
	units := []struct{ id, code, name, kind, parent, path string }{
		{o.Establishment, "BANK", "Banque Exemple", "establishment", "", "/" + o.Establishment + "/"},
		{o.Region1, "R-NORD", "Région Nord", "region", o.Establishment, "/" + o.Establishment + "/" + o.Region1 + "/"},
		{o.Region2, "R-SUD", "Région Sud", "region", o.Establishment, "/" + o.Establishment + "/" + o.Region2 + "/"},
		{o.Agency1, "A-LILLE", "Agence de Lille", "agency", o.Region1, "/" + o.Establishment + "/" + o.Region1 + "/" + o.Agency1 + "/"},
		{o.Agency2, "A-NICE", "Agence de Nice", "agency", o.Region2, "/" + o.Establishment + "/" + o.Region2 + "/" + o.Agency2 + "/"},
	}
	for _, u := range units {
		if _, err := d.Exec(ctx, `INSERT INTO units (id, code, name, kind, parent_id, path, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.id, u.code, u.name, u.kind, nullable(u.parent), u.path, now, now); err != nil {
			t.Fatalf("seed unit %s: %v", u.code, err)
		}
	}
	if _, err := d.Exec(ctx, `INSERT INTO agents (id, login, name, initials, unit_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, o.AdvisorID, "jmartin", "Julie Martin", "JM", o.Agency1, now, now); err != nil {
		t.Fatalf("seed advisor: %v", err)
	}
	return o
}

// admin acts on the whole organisation.
func (o org) admin() *core.Actor {
	return &core.Actor{AgentID: "", Login: "admin", Name: "Admin", UnitID: o.Establishment,
		Permissions: core.AllPermissions, Scope: core.Scope{All: true}}
}

// advisor acts on the first agency only, as the seeded advisor.
func (o org) advisor() *core.Actor {
	return &core.Actor{AgentID: o.AdvisorID, Login: "jmartin", Name: "Julie Martin", UnitID: o.Agency1,
		Permissions: []core.Permission{core.PermPartyRead, core.PermPartyEdit}, Scope: core.Scope{UnitIDs: []string{o.Agency1}}}
}

// testClock is the fixed time tests run at.
func testClock() *core.FixedClock {
	return core.NewFixedClock(time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC))
}

// newStore returns a store on d with a fixed clock, and the organisation.
func newStore(t *testing.T, d *db.DB) (*Store, org) {
	t.Helper()
	clock := testClock()
	return NewStore(d, clock, audit.New(d, clock)), seedOrg(t, d)
}

// mustCreate creates a party or fails the test.
func mustCreate(t *testing.T, s *Store, actor *core.Actor, in Input) Party {
	t.Helper()
	p, err := s.Create(context.Background(), actor, in)
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	return p
}

// helene is a client of the first agency with every kind of coordinate.
func helene() Input {
	return Input{Status: "client", ClientNumber: "1000000001", FirstName: "Hélène", LastName: "Dupré",
		BirthDate: "1980-05-17", AgencyCode: "A-LILLE", AdvisorLogin: "jmartin",
		Emails:    []Email{{Address: "Helene.Dupre@Example.FR", Kind: "personal", Favorite: true}},
		Phones:    []Phone{{Number: "06 12 34 56 78", Kind: "mobile"}},
		Addresses: []Address{{Line1: "3 rue Nationale", PostalCode: "59000", City: "Lille"}}}
}

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, err error, code core.Code) {
	t.Helper()
	if got := core.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails the test unless err is Invalid and names field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, core.Invalid)
	e := err.(*core.Error)
	if _, ok := e.Fields[field]; !ok {
		t.Fatalf("invalid fields = %v, want %q among them", e.Fields, field)
	}
}
