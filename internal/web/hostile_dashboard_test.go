package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// dashboardForm is one form of the home page with valid values, whose
// every field the hostile test poisons in turn.
type dashboardForm struct {
	name   string
	path   string
	fields url.Values
	number []string // the fields that hold a number
}

// TestHostileInputInTheDashboardsFormsIsRefusedAndNothingIsStored: each
// form of the dashboard (add, move, configure both configurable kinds,
// the remove form's widget id) is posted with each field holding a NUL byte, invalid UTF-8, a
// huge text, and for numbers values past int64, past int4 and negative:
// the answer is a refusal (422, or back to the page saying the widget
// changed), never a 500, and the dashboard stays as it was.
func TestHostileInputInTheDashboardsFormsIsRefusedAndNothingIsStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		b := app.signIn("adv1")
		// Store the defaults, so that the widgets have their ids.
		if status, _, _ := b.post("/dashboard/widgets", url.Values{"kind": {"orphan_reports"}}); status != http.StatusSeeOther {
			t.Fatalf("add: %d", status)
		}
		_, body := b.get("/")
		kinds, ids := widgetsOn(body)
		id := map[string]string{}
		for i, k := range kinds {
			id[k] = ids[i]
		}
		stored := func() string {
			var out strings.Builder
			rows, err := d.Query(context.Background(), "SELECT id, position, kind, settings FROM dashboard_widgets ORDER BY position")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var wid, kind, settings string
				var pos int
				if err := rows.Scan(&wid, &pos, &kind, &settings); err != nil {
					t.Fatal(err)
				}
				out.WriteString(wid + kind + settings + string(rune('0'+pos)) + ";")
			}
			return out.String()
		}
		before := stored()
		forms := []dashboardForm{
			{"add", "/dashboard/widgets", url.Values{"kind": {"lead_response"}, "window": {"24h"}, "source_group": {"web"},
				"product": {"card"}, "unit": {"A1"}}, nil},
			{"move", "/dashboard/widgets/" + id["my_leads"] + "/move", url.Values{"position": {"1"}}, []string{"position"}},
			{"configure the response time", "/dashboard/widgets/" + id["lead_response"] + "/settings", url.Values{"window": {"7d"},
				"source_group": {"web"}, "product": {"card"}, "unit": {"A1"}}, nil},
			{"configure the recent customers", "/dashboard/widgets/" + id["recent_customers"] + "/settings",
				url.Values{"count": {"5"}}, []string{"count"}},
		}
		posted := 0
		for _, f := range forms {
			for name := range f.fields {
				bad := []string{"a\x00b", "caf\xe9", strings.Repeat("é", 20_000)}
				for _, n := range f.number {
					if n == name {
						bad = append(bad, "1e300", "3000000000", "-1", "99999999999999999999")
					}
				}
				for _, v := range bad {
					form := url.Values{}
					for k, vals := range f.fields {
						form[k] = vals
					}
					form.Set(name, v)
					posted++
					status, answer, loc := b.post(f.path, form)
					switch {
					case status >= 500:
						t.Errorf("%s, %s = %.12q: %d %.200s", f.name, name, v, status, answer)
					case status != http.StatusUnprocessableEntity && !(status == http.StatusSeeOther && loc == "/"):
						t.Errorf("%s, %s = %.12q: %d → %q, want a refusal", f.name, name, v, status, loc)
					}
					if now := stored(); now != before {
						t.Fatalf("%s, %s = %.12q changed the dashboard", f.name, name, v)
					}
				}
			}
		}
		if posted < 25 {
			t.Errorf("only %d hostile forms posted", posted)
		}
		// The remove form has no field: its widget's id, in the path, is poisoned instead.
		for _, path := range []string{"/dashboard/widgets/caf%E9/remove", "/dashboard/widgets/a%00b/remove",
			"/dashboard/widgets/" + strings.Repeat("x", 5000) + "/remove", "/dashboard/widgets/" + strings.Repeat("x", 5000) + "/settings"} {
			if status, _, _ := b.post(path, url.Values{"window": {"7d"}}); status >= 500 || status == http.StatusOK {
				t.Errorf("%.40s: %d", path, status)
			}
		}
		if now := stored(); now != before {
			t.Error("a poisoned widget id changed the dashboard")
		}
		if status, _, _ := b.post("/dashboard/widgets/"+id["my_tasks"]+"/remove", nil); status != http.StatusSeeOther || stored() == before {
			t.Errorf("the remove form itself: %d", status)
		}
	})
}
