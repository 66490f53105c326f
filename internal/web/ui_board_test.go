package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// withClaims gives the establishment the classification "claim" (open →
// review → closed; closing asks for its outcome) and opens a case of it
// for Hélène Dupré in A1.
func (a *testApp) withClaims() cases.Case {
	a.t.Helper()
	ctx := context.Background()
	_, err := a.App.App.Cases.SaveClassification(ctx, a.actorOf("admin"), "BR", cases.Classification{Code: "claim",
		NameFR: "Réclamation", NameEN: "Claim", Process: cases.Process{
			Statuses: []cases.Status{{Code: "open", NameFR: "Ouvert", NameEN: "Open"}, {Code: "review", NameFR: "En revue", NameEN: "In review"},
				{Code: "closed", NameFR: "Clôturé", NameEN: "Closed", Closed: true}},
			Steps: []cases.Step{{Code: "review", NameFR: "Revoir", From: []string{"open"}, To: "review"},
				{Code: "close", NameFR: "Clôturer", From: []string{"review"}, To: "closed",
					Fields: []cases.Field{{Code: "outcome", LabelFR: "Issue", Type: cases.FieldText, Required: true}}}}}})
	if err != nil {
		a.t.Fatalf("save classification: %v", err)
	}
	c, _, err := a.App.App.Cases.OpenCase(ctx, a.actorOf("adv1"), cases.NewCase{Classification: "claim", PartyID: a.P1.ID,
		Title: "Frais contestés"})
	if err != nil {
		a.t.Fatalf("open case: %v", err)
	}
	return c
}

// moveJSON posts a move as board.js does and returns the status and the message.
func (b *browser) moveJSON(form url.Values) (int, map[string]string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.app.Server.URL+"/board/move", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Board", "1")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]string{}
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// column is the board's column of status.
func column(page, status string) string {
	i := strings.Index(page, `data-status="`+status+`"`)
	if i < 0 {
		return ""
	}
	rest := page[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func TestTheBoardShowsTheProcessColumnsInOrderWithTheirCardsAndCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.withClaims()
		adv := app.signIn("adv1")
		status, page := adv.get("/board")
		if status != http.StatusOK {
			t.Fatalf("GET /board: %d", status)
		}
		page = html.UnescapeString(page)
		open, review, closed := strings.Index(page, `data-name="Ouvert"`), strings.Index(page, `data-name="En revue"`), strings.Index(page, `data-name="Clôturé"`)
		if open < 0 || !(open < review && review < closed) {
			t.Errorf("columns not in the process's order: %d %d %d", open, review, closed)
		}
		col := column(page, "open")
		for _, want := range []string{c.Reference, "Frais contestés", "Hélène Dupré", `data-count="1"`, `href="/cases/` + c.ID + `"`} {
			if !strings.Contains(col, want) {
				t.Errorf("the open column lacks %q", want)
			}
		}
		if !strings.Contains(page, `href="/board"`) {
			t.Errorf("the navigation has no Board entry")
		}
		if status, page := adv.get("/board?kind=requests"); status != http.StatusOK || !strings.Contains(page, `data-status="new"`) {
			t.Errorf("requests board: %d", status)
		}
	})
}

func TestACardMovesAlongItsProcessAndARefusedMoveSaysWhy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.withClaims()
		adv := app.signIn("adv1")
		// board.js: JSON answers with the message to announce.
		status, out := adv.moveJSON(url.Values{"kind": {"cases"}, "id": {c.ID}, "to": {"closed"}})
		if status != http.StatusConflict || !strings.Contains(out["error"], "aucune étape ne mène de Ouvert à Clôturé") {
			t.Errorf("open → closed: %d %q", status, out["error"])
		}
		if status, out := adv.moveJSON(url.Values{"kind": {"cases"}, "id": {c.ID}, "to": {"review"}}); status != http.StatusOK {
			t.Fatalf("open → review: %d %v", status, out)
		}
		status, out = adv.moveJSON(url.Values{"kind": {"cases"}, "id": {c.ID}, "to": {"closed"}})
		if status != http.StatusConflict || !strings.Contains(out["error"], "l'étape Clôturer demande Issue") {
			t.Errorf("review → closed with a required field: %d %q", status, out["error"])
		}
		// Without JavaScript: the card's form, then back to the board with the message.
		status, _, loc := adv.post("/board/move", url.Values{"kind": {"cases"}, "id": {c.ID}, "to": {"open"},
			"back": {"/board?kind=cases"}})
		if status != http.StatusSeeOther || loc != "/board?kind=cases" {
			t.Fatalf("form move: %d → %q", status, loc)
		}
		_, page := adv.get(loc)
		page = html.UnescapeString(page)
		if !strings.Contains(page, "Déplacement refusé") || !strings.Contains(column(page, "review"), c.Reference) {
			t.Errorf("the refused form move (no step back to open) is not explained, or the card moved")
		}
	})
}

func TestBoardMovesRefuseCrossOriginPostsAndOtherAgenciesCases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		c := app.withClaims()
		adv := app.signIn("adv1")
		req, _ := http.NewRequest(http.MethodPost, app.Server.URL+"/board/move",
			strings.NewReader(url.Values{"kind": {"cases"}, "id": {c.ID}, "to": {"review"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		resp, err := adv.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site move: %d, want 403", resp.StatusCode)
		}
		if _, page := adv.get("/board"); !strings.Contains(column(page, "open"), c.Reference) {
			t.Errorf("the cross-site post moved the case")
		}
		if status, _ := app.signIn("viewer").moveJSON(url.Values{"kind": {"cases"}, "id": {c.ID}, "to": {"review"}}); status != http.StatusForbidden {
			t.Errorf("viewer moves a case: %d", status)
		}
	})
}
