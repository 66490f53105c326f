package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestTheBoardShowsCardsByStatusAndExplainsARefusedMove(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		c := app.openCase("")["id"].(string)
		columns := func(query string) map[string][]string {
			b := app.must(http.StatusOK, "adv1", http.MethodGet, "/board"+query, nil)
			out := map[string][]string{}
			for _, col := range b["columns"].([]any) {
				m := col.(map[string]any)
				out[m["status"].(string)] = field(m["cards"], "id")
			}
			return out
		}
		got := columns("?kind=cases&classification=claim&unit=A1")
		if len(got) != 3 || !slices.Equal(got["received"], []string{c}) || len(got["analysis"]) != 0 {
			t.Errorf("the claims' board %v, want the case received", got)
		}
		moved := app.must(http.StatusOK, "adv1", http.MethodPost, "/board/move", map[string]any{"kind": "cases", "id": c, "status": "analysis"})
		if moved["status"] != "analysis" {
			t.Errorf("moved %v", moved)
		}
		if got := columns("?classification=claim"); !slices.Equal(got["analysis"], []string{c}) {
			t.Errorf("after the move %v", got)
		}
		for _, r := range []struct {
			name   string
			to     string
			status int
			reason string
		}{
			{"a step with required fields", "answered", 409, "step_needs_fields"},
			{"no step back", "received", 409, "no_step"},
			{"a status the process lacks", "lost", 422, "unknown_status"},
		} {
			status, raw, body := app.call("adv1", http.MethodPost, "/board/move", map[string]any{"kind": "cases", "id": c, "status": r.to})
			if status != r.status || reasonOf(body, "status") != r.reason {
				t.Errorf("%s: %d %s, want %d %s", r.name, status, raw, r.status, r.reason)
			}
		}
		if status, _, _ := app.call("adv2", http.MethodPost, "/board/move", map[string]any{"kind": "cases", "id": c, "status": "received"}); status != http.StatusNotFound {
			t.Errorf("adv2 moves an A1 case: %d, want 404", status)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/board?classification=claim&unit=A2", nil); status != http.StatusNotFound {
			t.Errorf("adv1 opens A2's board: %d, want 404 (outside the scope)", status)
		}
		r := app.newRequest("Carte bloquée")["id"].(string)
		if got := columns("?kind=requests&channel=phone"); !slices.Equal(got["new"], []string{r}) {
			t.Errorf("the requests' board %v", got)
		}
		app.must(http.StatusOK, "adv1", http.MethodPost, "/board/move", map[string]any{"kind": "requests", "id": r, "status": "waiting"})
		if got := columns("?kind=requests"); !slices.Equal(got["waiting"], []string{r}) {
			t.Errorf("after moving the request %v", got)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/board?kind=tickets", nil); status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown kind: %d, want 422", status)
		}
	})
}

func TestAnEstablishmentWithoutClassificationsHasACasesBoardWithoutColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newDeskApp(t, d)
		b := app.must(http.StatusOK, "adv1", http.MethodGet, "/board", nil)
		if b["kind"] != "cases" || len(b["columns"].([]any)) != 0 {
			t.Errorf("board %v, want cases without columns", b)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/board?classification=claim", nil); status != http.StatusNotFound {
			t.Errorf("the board of an unknown classification: %d, want 404", status)
		}
	})
}
