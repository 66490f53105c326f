package party

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestRelationsShowDirectorsBothWaysAndHouseholdSymmetrically(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		adv := o.advisor()
		h := mustCreate(t, s, adv, helene())
		paul := mustCreate(t, s, adv, Input{FirstName: "Paul", LastName: "Dupré"})
		company := mustCreate(t, s, adv, Input{Kind: "organization", Name: "Dupré SARL"})
		if err := s.AddRelation(ctx, adv, h.ID, "director", company.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.AddRelation(ctx, adv, h.ID, "household", paul.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.AddRelation(ctx, adv, paul.ID, "household", h.ID); err != nil { // already there: nothing changes
			t.Fatal(err)
		}
		rels, err := s.Relations(ctx, adv, h.ID)
		if err != nil || len(rels) != 2 {
			t.Fatalf("relations of Hélène = %+v, %v", rels, err)
		}
		if rels[0].Kind != "director" || rels[0].Direction != "of" || rels[0].Party.ID != company.ID {
			t.Fatalf("director = %+v", rels[0])
		}
		rels, _ = s.Relations(ctx, adv, company.ID)
		if len(rels) != 1 || rels[0].Direction != "has" || rels[0].Party.ID != h.ID {
			t.Fatalf("relations of the company = %+v", rels)
		}
		rels, _ = s.Relations(ctx, adv, paul.ID)
		if len(rels) != 1 || rels[0].Kind != "household" || rels[0].Party.ID != h.ID {
			t.Fatalf("relations of Paul = %+v", rels)
		}
		wantField(t, s.AddRelation(ctx, adv, h.ID, "director", paul.ID), "related_id")
		wantField(t, s.AddRelation(ctx, adv, h.ID, "cousin", paul.ID), "kind")
	})
}

func TestRelationsLeaveOutPartiesOutsideScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, o := newStore(t, d)
		h := mustCreate(t, s, o.advisor(), helene())
		far := mustCreate(t, s, o.admin(), Input{Kind: "organization", Name: "Nice SA", AgencyCode: "A-NICE"})
		wantCode(t, s.AddRelation(ctx, o.advisor(), h.ID, "director", far.ID), core.NotFound)
		if err := s.AddRelation(ctx, o.admin(), h.ID, "director", far.ID); err != nil {
			t.Fatal(err)
		}
		if rels, err := s.Relations(ctx, o.advisor(), h.ID); err != nil || len(rels) != 0 {
			t.Fatalf("advisor sees %+v, %v", rels, err)
		}
		if rels, _ := s.Relations(ctx, o.admin(), h.ID); len(rels) != 1 {
			t.Fatalf("admin sees %+v", rels)
		}
	})
}
