package leads_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/leads"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// summaryNow is the injected clock's time in the summary fixture.
var summaryNow = time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC)

// summaryFixture writes six leads around summaryNow: four of agency A1,
// one of A2, one too old for a week's window.
func summaryFixture(t *testing.T, d *db.DB) (*leads.Store, map[string]*core.Actor) {
	t.Helper()
	app := webtest.New(t, d)
	ctx := context.Background()
	store := leads.NewStore(leads.Deps{DB: d, Clock: core.NewFixedClock(summaryNow), Audit: app.App.Audit, Orgs: app.Orgs,
		Parties: app.Parties})
	unit := map[string]string{}
	for _, code := range []string{"BR", "A1", "A2"} {
		u, err := app.Orgs.UnitByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		unit[code] = u.ID
	}
	h := time.Hour
	for i, l := range []struct {
		unit, group, product string
		received             time.Duration // before now
		answered             time.Duration // before now; 0: not answered
		minutes              int64
	}{
		{"A1", "web", "loan", 2 * h, 1 * h, 30},
		{"A1", "web", "card", 20 * h, 14 * h, 90},
		{"A1", "branch", "loan", 3 * h, 0, 0},
		{"A2", "web", "loan", 1 * h, 30 * time.Minute, 10},
		{"A1", "web", "loan", 72 * h, 48 * h, 600},
		{"A1", "web", "loan", 240 * h, 0, 0},
	} {
		received := core.Millis(summaryNow.Add(-l.received))
		var respondedAt, minutes any
		status := leads.StatusAssigned
		if l.answered > 0 {
			respondedAt, minutes, status = core.Millis(summaryNow.Add(-l.answered)), l.minutes, leads.StatusAnswered
		}
		_, err := d.Exec(ctx, `INSERT INTO leads (id, establishment_id, unit_id, channel, source, source_group, external_id,
			received_at, clock_start_at, product, status, route, first_response_at, response_minutes, created_at, updated_at)
			VALUES (?, ?, ?, 'api', 'site', ?, ?, ?, ?, ?, ?, 'unit', ?, ?, ?, ?)`,
			core.NewID(), unit["BR"], unit[l.unit], l.group, fmt.Sprint("ext-", i), received, received, l.product, status,
			respondedAt, minutes, received, received)
		if err != nil {
			t.Fatal(err)
		}
	}
	actors := map[string]*core.Actor{}
	for _, login := range []string{"admin", "adv1", "viewer"} {
		a, err := app.Orgs.AgentByLogin(ctx, login)
		if err != nil {
			t.Fatal(err)
		}
		if actors[login], err = app.Orgs.Actor(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	return store, actors
}

func TestLeadSummaryCountsTheLeadsReceivedInTheWindowOfTheScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		store, actors := summaryFixture(t, d)
		day, week := 24*time.Hour, 7*24*time.Hour
		for _, c := range []struct {
			name                       string
			login                      string
			criteria                   leads.SummaryCriteria
			received, answered, recent int
			average                    int64 // -1: none answered
		}{
			{"an advisor's day: their agency only", "adv1", leads.SummaryCriteria{Window: day}, 3, 2, 1, 60},
			{"an advisor's week", "adv1", leads.SummaryCriteria{Window: week}, 4, 3, 1, 240},
			{"the last 12 hours", "adv1", leads.SummaryCriteria{Window: 12 * time.Hour}, 2, 1, 1, 30},
			{"a source group", "adv1", leads.SummaryCriteria{Window: day, SourceGroup: "web"}, 2, 2, 1, 60},
			{"a product", "adv1", leads.SummaryCriteria{Window: week, Product: "card"}, 1, 1, 0, 90},
			{"nothing answered", "adv1", leads.SummaryCriteria{Window: day, SourceGroup: "branch"}, 1, 0, 0, -1},
			{"the whole bank, rounded", "admin", leads.SummaryCriteria{Window: day}, 4, 3, 2, 43},
			{"a unit", "admin", leads.SummaryCriteria{Window: day, UnitCode: "A2"}, 1, 1, 1, 10},
			{"a region holds its agencies", "admin", leads.SummaryCriteria{Window: day, UnitCode: "R1"}, 3, 2, 1, 60},
			{"a unit out of scope counts nothing", "adv1", leads.SummaryCriteria{Window: day, UnitCode: "A2"}, 0, 0, 0, -1},
		} {
			got, err := store.Summary(context.Background(), actors[c.login], c.criteria)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			avg := int64(-1)
			if got.AverageResponseMinutes != nil {
				avg = *got.AverageResponseMinutes
			}
			if got.Received != c.received || got.Answered != c.answered || got.AnsweredRecently != c.recent || avg != c.average {
				t.Errorf("%s: received %d answered %d recently %d average %d, want %d %d %d %d", c.name,
					got.Received, got.Answered, got.AnsweredRecently, avg, c.received, c.answered, c.recent, c.average)
			}
			if !got.To.Equal(summaryNow) || !got.From.Equal(summaryNow.Add(-c.criteria.Window)) {
				t.Errorf("%s: window %s – %s", c.name, got.From, got.To)
			}
		}
	})
}

func TestLeadSummaryRefusesAnUnknownUnitAndAnAgentWithoutLeads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		store, actors := summaryFixture(t, d)
		ctx := context.Background()
		_, err := store.Summary(ctx, actors["admin"], leads.SummaryCriteria{Window: time.Hour, UnitCode: "ZZ"})
		var e *core.Error
		if core.ErrorCode(err) != core.Invalid || !errors.As(err, &e) || e.Fields["unit"].Code != "unknown_unit_code" {
			t.Errorf("unknown unit: %v", err)
		}
		if _, err := store.Summary(ctx, actors["viewer"], leads.SummaryCriteria{Window: time.Hour}); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("viewer: %v, want forbidden", err)
		}
	})
}
