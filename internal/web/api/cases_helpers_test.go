package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/web/webtest"
)

// casesApp is the desk's test application with webtest.SeedCases: Hélène
// Dupré's card held with Marc Dupré, her advisor adv1, the contact types
// card_opposition and information, the claim classification and the
// callback plan of establishment BR.
type casesApp struct {
	*deskApp
	webtest.CaseSetup
}

func newCasesApp(t *testing.T, d *db.DB) *casesApp {
	t.Helper()
	app := &casesApp{deskApp: newDeskApp(t, d)}
	app.CaseSetup = webtest.SeedCases(t, app.App)
	return app
}

// analysed are values of the claim's analyse step.
var analysed = map[string]any{"amount": "12,50", "decided_on": "2026-11-30", "channel": "letter", "urgent": "true",
	"summary": "Frais prélevés deux fois"}

// contact traces a contact of type typ with Hélène Dupré as adv1.
func (a *casesApp) contact(typ string) map[string]any {
	a.t.Helper()
	return a.must(http.StatusCreated, "adv1", http.MethodPost, "/contacts", map[string]any{"type": typ, "party_id": a.P1.ID,
		"comment": "Appel de la cliente"})
}

// openCase opens a claim for Hélène Dupré in A1 as adv1.
func (a *casesApp) openCase(key string) map[string]any {
	a.t.Helper()
	want := http.StatusCreated
	return a.must(want, "adv1", http.MethodPost, "/cases", map[string]any{"classification": "claim", "party_id": a.P1.ID,
		"unit_code": "A1", "idempotency_key": key})
}

// field returns the values of key of each object of list.
func field(list any, key string) []string {
	var out []string
	for _, x := range list.([]any) {
		v, _ := x.(map[string]any)[key].(string)
		out = append(out, v)
	}
	return out
}

// keysOf returns the sorted keys of m.
func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// reasonOf returns the reason code the error answer gives for field.
func reasonOf(body map[string]any, field string) string {
	e, _ := body["error"].(map[string]any)
	reasons, _ := e["reasons"].(map[string]any)
	r, _ := reasons[field].(map[string]any)
	code, _ := r["code"].(string)
	return code
}

// rawGet reads path as the agent without checking the answer against the
// document, and decodes it.
func (a *casesApp) rawGet(as, path string) map[string]any {
	a.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, a.Server.URL+"/api/v1"+path, nil)
	req.Header.Set("Authorization", "Bearer "+a.Tokens[as])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return out
}

// tick advances the application's clock by a minute.
func (a *casesApp) tick() { a.App.App.Clock.(*core.FixedClock).Advance(time.Minute) }
