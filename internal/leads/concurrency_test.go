package leads_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/rapport-crm/rapport/internal/app"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
)

// checkFairAndUnique checks that the leads of A1 are each assigned once, to
// one of its three advisors, n/3 each, and that OnAssigned was told once
// per lead.
func checkFairAndUnique(t *testing.T, f *fixture, n int, told []leads.Assigned) {
	t.Helper()
	if got := f.count(t, "SELECT COUNT(*) FROM leads"); got != n {
		t.Errorf("%d leads stored, want %d", got, n)
	}
	if got := f.count(t, "SELECT COUNT(*) FROM leads WHERE assignee_id IS NULL"); got != 0 {
		t.Errorf("%d leads left unassigned", got)
	}
	perLead := map[string]int{}
	for _, a := range told {
		perLead[a.Lead.ID]++
	}
	if len(perLead) != n {
		t.Errorf("%d leads told, want %d", len(perLead), n)
	}
	for id, k := range perLead {
		if k != 1 {
			t.Errorf("lead %s assigned %d times", id, k)
		}
	}
	rows, err := f.DB.Query(f.ctx, `SELECT a.login, COUNT(*) FROM leads l JOIN agents a ON a.id = l.assignee_id
		GROUP BY a.login ORDER BY a.login`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var login string
		var k int
		if err := rows.Scan(&login, &k); err != nil {
			t.Fatal(err)
		}
		got[login] = k
	}
	want := map[string]int{"adv1": n / 3, "adv1b": n / 3, "adv1c": n / 3}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("leads per agent %v, want %v", got, want)
	}
}

func TestLeadsArrivingAtOnceAreEachAssignedOnceAndFairlyAndADuplicateIsStoredOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.toA1(t)
		var wg sync.WaitGroup
		errs := make(chan error, 30)
		results := make(chan leads.Lead, 5)
		created := make(chan bool, 5)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, err := f.Leads.Create(f.ctx, f.Admin, input(ext(i)))
				errs <- err
			}()
		}
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l, c, err := f.Leads.Create(f.ctx, f.Admin, input("same"))
				errs <- err
				results <- l
				created <- c
			}()
		}
		wg.Wait()
		close(errs)
		close(results)
		close(created)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		ids, firsts := map[string]bool{}, 0
		for l := range results {
			ids[l.ID] = true
		}
		for c := range created {
			if c {
				firsts++
			}
		}
		if len(ids) != 1 || firsts != 1 {
			t.Errorf("the same lead posted 5 times at once: %d ids, %d created, want 1 and 1", len(ids), firsts)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM parties WHERE last_name = 'Prospect-same'"); n != 1 {
			t.Errorf("%d prospects for the duplicate, want 1", n)
		}
		checkFairAndUnique(t, f, 21, f.told())
	})
}

func TestTwoInstancesCreatingLeadsAtOnceAssignEachOnceAndFairly(t *testing.T) {
	d1 := dbtest.Postgres(t) // two instances share a PostgreSQL schema; skipped without one
	f := newFixture(t, d1)
	f.toA1(t)
	two, err := app.New(dbtest.SecondHandle(t, d1), app.Config{Clock: f.Clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { two.Close() })
	var mu sync.Mutex
	var told []leads.Assigned
	for _, s := range []*leads.Store{f.Leads, two.Leads} {
		s.OnAssigned.Subscribe(func(_ context.Context, _ *db.Tx, a leads.Assigned) error {
			mu.Lock()
			defer mu.Unlock()
			told = append(told, a)
			return nil
		})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 30 {
		store := f.Leads
		if i%2 == 1 {
			store = two.Leads
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := store.Create(context.Background(), f.Admin, input(ext(i)))
			errs <- err
		}()
	}
	// The same lead posted to both instances at once.
	for i := range 6 {
		store := f.Leads
		if i%2 == 1 {
			store = two.Leads
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := store.Create(context.Background(), f.Admin, input(ext(0)))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	// f's own subscriber and the shared one both saw f's assignments: keep the shared list.
	checkFairAndUnique(t, f, 30, told)
}
