package api_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestACaseFromAContactHoldsItsLinksAndAContactMovesInOnlyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		first := app.contact("card_opposition")
		c := app.must(http.StatusCreated, "adv1", http.MethodPost, "/contacts/"+first["id"].(string)+"/case",
			map[string]any{"classification": "claim"})
		want := []string{"agents", "classification", "classification_name", "closed", "closed_at", "created_at", "elements", "id",
			"interlocutors", "next_steps", "objects", "origin", "party_id", "party_name", "reference", "status", "step_data",
			"title", "unit_code", "unit_name", "updated_at"}
		if got := keysOf(c); !slices.Equal(got, want) {
			t.Errorf("a case's JSON has %v, want exactly %v", got, want)
		}
		if c["status"] != "received" || c["origin"] != "contact" || c["unit_code"] != "A1" || c["party_id"] != app.P1.ID ||
			!strings.HasPrefix(c["reference"].(string), "C-") || c["closed_at"] != nil {
			t.Errorf("case %v", c)
		}
		if got := field(c["interlocutors"], "party_id"); !slices.Equal(got, []string{app.P1.ID, app.CoHolder.ID}) {
			t.Errorf("the case's interlocutors %v, want the contact's", got)
		}
		if got := field(c["objects"], "id"); !slices.Equal(got, []string{app.Card.ID}) {
			t.Errorf("the case's objects %v, want the contact's card", got)
		}
		elements := c["elements"].(map[string]any)
		if got := keysOf(elements); !slices.Equal(got, []string{"contacts", "documents", "emails", "letters", "notes", "tasks"}) {
			t.Errorf("elements grouped as %v", got)
		}
		if got := field(elements["contacts"], "ref_id"); !slices.Equal(got, []string{first["id"].(string)}) {
			t.Errorf("contacts of the case %v, want the contact", got)
		}
		if got := field(c["next_steps"], "code"); !slices.Equal(got, []string{"analyse"}) {
			t.Errorf("next steps %v, want analyse from received", got)
		}
		id := c["id"].(string)
		// Another contact moves in; moving it again adds nothing.
		second := app.contact("information")["id"].(string)
		for range 2 {
			moved := app.must(http.StatusOK, "adv1", http.MethodPost, "/contacts/"+second+"/move", map[string]any{"case_id": id})
			if got := field(moved["elements"].(map[string]any)["contacts"], "ref_id"); !slices.Equal(got, []string{first["id"].(string), second}) {
				t.Errorf("contacts after the move %v", got)
			}
			if n := len(moved["interlocutors"].([]any)); n != 2 {
				t.Errorf("%d interlocutors after the move, want 2 (nobody twice)", n)
			}
		}
		if got := app.must(http.StatusOK, "adv1", http.MethodGet, "/contacts/"+second, nil)["case_ids"]; !slices.Equal(toStrings(got), []string{id}) {
			t.Errorf("the moved contact's cases %v", got)
		}
		status, raw, body := app.call("adv1", http.MethodPost, "/contacts/"+second+"/move",
			map[string]any{"case_id": "01900000-0000-7000-8000-000000000000"})
		if status != http.StatusUnprocessableEntity || reasonOf(body, "case_id") != "case_not_found" {
			t.Errorf("a move to no case: %d %s, want 422 case_not_found", status, raw)
		}
		status, raw, body = app.call("adv1", http.MethodPost, "/contacts/"+second+"/case", map[string]any{"classification": "nope"})
		if status != http.StatusUnprocessableEntity || reasonOf(body, "classification") != "unknown_classification" {
			t.Errorf("a case of an unknown classification: %d %s", status, raw)
		}
	})
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestOpeningACaseWithAKeyAlreadyUsedAnswers200WithTheSameCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		first := app.openCase("dunning-2026-11-0042")
		if first["origin"] != "api" {
			t.Errorf("origin %v, want api", first["origin"])
		}
		again := app.must(http.StatusOK, "adv1", http.MethodPost, "/cases", map[string]any{"classification": "claim",
			"party_id": app.P1.ID, "unit_code": "A1", "idempotency_key": "dunning-2026-11-0042"})
		if again["id"] != first["id"] || again["reference"] != first["reference"] {
			t.Errorf("the same key opened %v then %v", first["id"], again["id"])
		}
		other := app.openCase("dunning-2026-11-0043")
		if other["id"] == first["id"] {
			t.Error("another key answered the same case")
		}
		page := app.must(http.StatusOK, "adv1", http.MethodGet, "/cases?party_id="+app.P1.ID, nil)
		if n := len(page["cases"].([]any)); n != 2 {
			t.Errorf("%d cases listed, want 2", n)
		}
		// Without a key every call opens one.
		manual := app.must(http.StatusCreated, "adv1", http.MethodPost, "/cases", map[string]any{"classification": "claim",
			"party_id": app.P1.ID, "title": "Frais contestés"})
		if manual["origin"] != "manual" || manual["title"] != "Frais contestés" || manual["unit_code"] != "A1" {
			t.Errorf("manual case %v", manual)
		}
	})
}

func TestAnAgentOfAnotherAgencyGets404OnACaseOfA1(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		id := app.openCase("k-1")["id"].(string)
		note := app.must(http.StatusCreated, "adv1", http.MethodPost, "/cases/"+id+"/documents", map[string]any{"name": "releve.txt",
			"content_type": "text/plain", "content_base64": base64.StdEncoding.EncodeToString([]byte("bonjour"))})
		for _, c := range []struct{ method, path string }{
			{http.MethodGet, "/cases/" + id},
			{http.MethodGet, "/cases/" + id + "/history"},
			{http.MethodGet, "/cases/" + id + "/files/" + note["id"].(string)},
			{http.MethodPost, "/cases/" + id + "/notes"},
			{http.MethodPost, "/cases/" + id + "/steps"},
			{http.MethodPost, "/cases/" + id + "/documents"},
		} {
			var body any
			switch {
			case strings.HasSuffix(c.path, "/notes"):
				body = map[string]any{"body": "Vu"}
			case strings.HasSuffix(c.path, "/steps"):
				body = map[string]any{"step": "analyse"}
			case strings.HasSuffix(c.path, "/documents"):
				body = map[string]any{"name": "a.txt", "content_base64": "Ym9uam91cg=="}
			}
			if status, raw, _ := app.call("adv2", c.method, c.path, body); status != http.StatusNotFound {
				t.Errorf("adv2 %s %s: %d %s, want 404", c.method, c.path, status, raw)
			}
		}
		if page := app.must(http.StatusOK, "adv2", http.MethodGet, "/cases", nil); len(page["cases"].([]any)) != 0 {
			t.Errorf("adv2 lists %v", page["cases"])
		}
		status, raw, body := app.call("adv2", http.MethodPost, "/contacts/"+app.contact("information")["id"].(string)+"/move",
			map[string]any{"case_id": id})
		if status != http.StatusNotFound {
			t.Errorf("adv2 moves an A1 contact: %d %s %v, want 404", status, raw, body)
		}
		// An A2 agent may not reuse the key of a case it cannot see.
		status, raw, _ = app.call("adv2", http.MethodPost, "/cases", map[string]any{"classification": "claim", "idempotency_key": "k-1"})
		if status != http.StatusConflict {
			t.Errorf("adv2 reuses an A1 case's key: %d %s, want 409", status, raw)
		}
		if status, _, _ := app.call("viewer", http.MethodGet, "/cases/"+id, nil); status != http.StatusForbidden {
			t.Errorf("a viewer without case.manage: %d, want 403", status)
		}
	})
}

func TestACaseRunsItsProcessStepByStepAndRefusesAStepItsStatusDoesNotOffer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		id := app.openCase("")["id"].(string)
		path := "/cases/" + id + "/steps"
		status, raw, body := app.call("adv1", http.MethodPost, path, map[string]any{"step": "answer",
			"fields": map[string]any{"decision": "accepted"}})
		if status != http.StatusConflict || reasonOf(body, "step") != "step_not_available" {
			t.Errorf("answering a received claim: %d %s, want 409 step_not_available", status, raw)
		}
		c := app.must(http.StatusOK, "adv1", http.MethodPost, path, map[string]any{"step": "analyse"})
		if c["status"] != "analysis" {
			t.Errorf("after analyse: %v", c["status"])
		}
		next := c["next_steps"].([]any)
		if len(next) != 1 || next[0].(map[string]any)["code"] != "answer" {
			t.Fatalf("next steps %v", next)
		}
		fields := next[0].(map[string]any)["fields"].([]any)
		if f := fields[0].(map[string]any); f["code"] != "decision" || f["type"] != "choice" || f["required"] != true ||
			!slices.Equal(toStrings(f["choices"]), []string{"accepted", "refused"}) {
			t.Errorf("the answer's first field %v", f)
		}
		for _, bad := range []struct {
			fields map[string]any
			field  string
		}{
			{map[string]any{}, "field.decision"},
			{map[string]any{"decision": "maybe"}, "field.decision"},
			{map[string]any{"decision": "accepted", "amount": "douze"}, "field.amount"},
			{map[string]any{"decision": "accepted", "colour": "red"}, "field.colour"},
		} {
			status, raw, body := app.call("adv1", http.MethodPost, path, map[string]any{"step": "answer", "fields": bad.fields})
			if status != http.StatusUnprocessableEntity || reasonOf(body, bad.field) == "" {
				t.Errorf("answer with %v: %d %s, want 422 naming %s", bad.fields, status, raw, bad.field)
			}
		}
		c = app.must(http.StatusOK, "adv1", http.MethodPost, path, map[string]any{"step": "answer",
			"fields": map[string]any{"decision": "accepted", "amount": "12,50"}})
		if c["status"] != "answered" || c["closed"] != true || c["closed_at"] == nil || len(c["next_steps"].([]any)) != 0 {
			t.Errorf("after answer: %v", c)
		}
		if got := c["step_data"].(map[string]any)["answer"].(map[string]any); got["decision"] != "accepted" || got["amount"] != "12.50" {
			t.Errorf("step data %v", got)
		}
		history := app.must(http.StatusOK, "adv1", http.MethodGet, "/cases/"+id+"/history", nil)
		if got := field(history["items"], "action"); !slices.Equal(got, []string{"opened", "step", "step"}) {
			t.Errorf("history %v", got)
		}
		if got := field(history["items"], "to_status"); !slices.Equal(got, []string{"received", "analysis", "answered"}) {
			t.Errorf("history statuses %v", got)
		}
	})
}

func TestCaseListsFilterAndPageLastUpdatedFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		var made []string
		for _, k := range []string{"a", "b", "c"} {
			made = append(made, app.openCase(k)["id"].(string))
			app.tick()
		}
		app.must(http.StatusOK, "adv1", http.MethodPost, "/cases/"+made[0]+"/steps", map[string]any{"step": "analyse"})
		ids := func(query string) []string {
			return field(app.must(http.StatusOK, "adv1", http.MethodGet, "/cases"+query, nil)["cases"], "id")
		}
		for query, want := range map[string][]string{
			"?status=analysis":           {made[0]},
			"?status=received&unit=A1":   {made[2], made[1]},
			"?classification=claim":      {made[0], made[2], made[1]},
			"?classification=other":      nil,
			"?party_id=" + app.P2.ID:     nil,
			"?unit=A2":                   nil,
			"?open=true&status=analysis": {made[0]},
		} {
			if got := ids(query); !slices.Equal(got, want) {
				t.Errorf("GET /cases%s: %v, want %v", query, got, want)
			}
		}
		var seen []string
		cursor := ""
		for range 5 {
			page := app.must(http.StatusOK, "adv1", http.MethodGet, "/cases?limit=2&cursor="+cursor, nil)
			seen = append(seen, field(page["cases"], "id")...)
			if cursor, _ = page["next_cursor"].(string); cursor == "" {
				break
			}
		}
		if !slices.Equal(seen, []string{made[0], made[2], made[1]}) {
			t.Errorf("paged %v", seen)
		}
		for query, want := range map[string]int{"?unit=XX": 422, "?limit=500": 422, "?cursor=nope": 400} {
			if status, raw, _ := app.call("adv1", http.MethodGet, "/cases"+query, nil); status != want {
				t.Errorf("GET /cases%s: %d %s, want %d", query, status, raw, want)
			}
		}
	})
}

func TestNotesAndDocumentsAreElementsOfTheCaseAndDocumentsDownload(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		id := app.openCase("")["id"].(string)
		note := app.must(http.StatusCreated, "adv1", http.MethodPost, "/cases/"+id+"/notes", map[string]any{"title": "Appel",
			"body": "La cliente rappellera."})
		if note["kind"] != "note" || note["body"] != "La cliente rappellera." || note["url"] != "" {
			t.Errorf("note %v", note)
		}
		doc := app.must(http.StatusCreated, "adv1", http.MethodPost, "/cases/"+id+"/documents", map[string]any{"name": "../releve.txt",
			"content_type": "text/plain", "content_base64": base64.StdEncoding.EncodeToString([]byte("relevé"))})
		url, _ := doc["url"].(string)
		if doc["kind"] != "document" || doc["file_name"] != "releve.txt" || url != "/api/v1/cases/"+id+"/files/"+doc["id"].(string) {
			t.Errorf("document %v", doc)
		}
		c := app.must(http.StatusOK, "adv1", http.MethodGet, "/cases/"+id, nil)
		els := c["elements"].(map[string]any)
		if len(els["notes"].([]any)) != 1 || len(els["documents"].([]any)) != 1 || len(els["contacts"].([]any)) != 0 {
			t.Errorf("elements %v", els)
		}
		req, _ := http.NewRequest(http.MethodGet, app.Server.URL+url, nil)
		req.Header.Set("Authorization", "Bearer "+app.Tokens["adv1"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != "relevé" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("download: %d %q %s", resp.StatusCode, body, resp.Header.Get("Content-Disposition"))
		}
		for _, c := range []struct {
			name string
			body map[string]any
		}{
			{"not base64", map[string]any{"name": "a.txt", "content_base64": "%%%"}},
			{"an executable", map[string]any{"name": "a.exe", "content_base64": base64.StdEncoding.EncodeToString([]byte("MZ\x90\x00\x03"))}},
		} {
			status, raw, body := app.call("adv1", http.MethodPost, "/cases/"+id+"/documents", c.body)
			fields, _ := body["error"].(map[string]any)["fields"].(map[string]any)
			if status != http.StatusUnprocessableEntity || len(fields) == 0 {
				t.Errorf("%s: %d %s, want 422 naming the field", c.name, status, raw)
			}
		}
		if status, raw, body := app.call("adv1", http.MethodPost, "/cases/"+id+"/notes", map[string]any{"body": "  "}); status != 422 ||
			reasonOf(body, "body") != "required" {
			t.Errorf("an empty note: %d %s", status, raw)
		}
		if status, _, _ := app.call("adv1", http.MethodGet, "/cases/"+id+"/files/"+note["id"].(string), nil); status != http.StatusNotFound {
			t.Errorf("the file of a note: %d, want 404", status)
		}
	})
}

func TestAStepsLetterIsAnElementOfTheCaseDownloadedAsAPDF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		app.must(http.StatusOK, "admin", http.MethodPost, "/admin/case-classifications", map[string]any{"code": "dunning",
			"establishment_code": "BR", "name": "Relance",
			"statuses": []any{map[string]any{"code": "open", "name": "Ouverte"}, map[string]any{"code": "sent", "name": "Relancée"}},
			"steps": []any{map[string]any{"code": "remind", "name": "Relancer", "from": []any{"open"}, "to": "sent",
				"document_template": map[string]any{"kind": "letter", "subject": "Relance {{case.reference}}",
					"body": "Madame, Monsieur, votre échéance est passée."}}}})
		c := app.must(http.StatusCreated, "adv1", http.MethodPost, "/cases", map[string]any{"classification": "dunning",
			"party_id": app.P1.ID})
		id := c["id"].(string)
		if got := c["next_steps"].([]any)[0].(map[string]any)["document"]; got != "letter" {
			t.Errorf("the remind step's document %v, want letter", got)
		}
		// Without a postal address, no letter: the step is refused and the case stays.
		status, raw, body := app.call("adv1", http.MethodPost, "/cases/"+id+"/steps", map[string]any{"step": "remind"})
		if status != http.StatusUnprocessableEntity || reasonOf(body, "party_id") != "no_postal_address" {
			t.Errorf("a letter without an address: %d %s, want 422 no_postal_address", status, raw)
		}
		if _, err := d.Exec(context.Background(), `INSERT INTO party_addresses (id, party_id, line1, postal_code, city,
			city_folded, country) VALUES (?, ?, '8 allée des Érables', '69003', 'Lyon', 'lyon', 'FR')`, core.NewID(), app.P1.ID); err != nil {
			t.Fatal(err)
		}
		c = app.must(http.StatusOK, "adv1", http.MethodPost, "/cases/"+id+"/steps", map[string]any{"step": "remind"})
		letters := c["elements"].(map[string]any)["letters"].([]any)
		if c["status"] != "sent" || len(letters) != 1 {
			t.Fatalf("after the step: %v", c)
		}
		letter := letters[0].(map[string]any)
		if letter["step"] != "remind" || letter["content_type"] != "application/pdf" || letter["url"] == "" {
			t.Errorf("the letter %v", letter)
		}
		req, _ := http.NewRequest(http.MethodGet, app.Server.URL+letter["url"].(string), nil)
		req.Header.Set("Authorization", "Bearer "+app.Tokens["adv1"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		pdf, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(pdf), "%PDF") || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("the letter's download: %d %s %.10q", resp.StatusCode, resp.Header.Get("Content-Type"), pdf)
		}
		if status, _, _ := app.call("adv2", http.MethodGet, "/cases/"+id+"/files/"+letter["id"].(string), nil); status != http.StatusNotFound {
			t.Errorf("adv2 downloads an A1 case's letter: %d, want 404", status)
		}
	})
}
