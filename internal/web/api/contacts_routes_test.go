package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestAContactTracedByTheAPIHasItsTemplateAppliedAndIsReadBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		// The proposal is what the form shows before saving: the card is the only eligible contract.
		proposal := app.must(http.StatusOK, "adv1", http.MethodGet, "/contact-types/card_opposition/proposal?party_id="+app.P1.ID, nil)
		if got := field(proposal["contracts"], "id"); !slices.Equal(got, []string{app.Card.ID}) {
			t.Errorf("eligible contracts %v, want the card", got)
		}
		created := app.must(http.StatusCreated, "adv1", http.MethodPost, "/contacts", map[string]any{"type": "card_opposition",
			"party_id": app.P1.ID, "direction": "inbound", "comment": "Carte perdue"})
		want := []string{"agents", "case_ids", "comment", "created_at", "direction", "id", "interaction_id", "interlocutors",
			"medium", "objects", "party_id", "reason", "type", "type_name"}
		if got := keysOf(created); !slices.Equal(got, want) {
			t.Errorf("a contact's JSON has %v, want exactly %v", got, want)
		}
		if got := field(created["interlocutors"], "party_id"); !slices.Equal(got, []string{app.P1.ID, app.CoHolder.ID}) {
			t.Errorf("interlocutors %v, want Hélène then her card's co-holder", got)
		}
		if got := field(created["interlocutors"], "role"); !slices.Equal(got, []string{"customer", "co-holder"}) {
			t.Errorf("interlocutor roles %v", got)
		}
		agents := field(created["agents"], "login")
		roles := field(created["agents"], "role")
		if !slices.Equal(agents, []string{"adv1", "adv1"}) || !slices.Equal(roles, []string{"emitter", "responsible"}) {
			t.Errorf("agents %v %v, want adv1 emitter (signed in) and responsible (the advisor)", agents, roles)
		}
		if got := field(created["objects"], "id"); !slices.Equal(got, []string{app.Card.ID}) {
			t.Errorf("objects %v, want the card", got)
		}
		if created["medium"] != "phone" || created["interaction_id"] == "" || created["type"] != "card_opposition" {
			t.Errorf("created %v", created)
		}
		id := created["id"].(string)
		read := app.must(http.StatusOK, "adv1", http.MethodGet, "/contacts/"+id, nil)
		if read["interaction_id"] != created["interaction_id"] || len(read["interlocutors"].([]any)) != 2 {
			t.Errorf("read back %v", read)
		}
		// The contact is in Hélène's timeline.
		// (Read raw: the timeline's own schema is not this test's subject.)
		timeline := app.rawGet("adv1", "/parties/"+app.P1.ID+"/timeline")
		if !containsID(timeline, created["interaction_id"].(string)) {
			t.Errorf("the contact's interaction is not in the party's timeline: %.500v", timeline)
		}
	})
}

// containsID says whether any object of the answer's first list has id.
func containsID(body map[string]any, id string) bool {
	for _, v := range body {
		if list, ok := v.([]any); ok && slices.Contains(field(list, "id"), id) {
			return true
		}
	}
	return false
}

func TestContactRefusalsNameTheFieldAndItsReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newCasesApp(t, d)
		for _, c := range []struct {
			name   string
			as     string
			body   map[string]any
			status int
			field  string
			reason string
		}{
			{"an unknown type", "adv1", map[string]any{"type": "nope", "party_id": app.P1.ID}, 422, "type", "unknown_contact_type"},
			{"a party of another agency", "adv1", map[string]any{"type": "information", "party_id": app.P2.ID}, 422, "party_id", "party_not_found"},
			{"a contract the party does not hold", "adv2", map[string]any{"type": "card_opposition", "party_id": app.P2.ID}, 422, "objects[0]", "contract_of_product_required"},
			{"a medium not offered", "adv1", map[string]any{"type": "information", "party_id": app.P1.ID, "medium": "pigeon"}, 422, "medium", ""},
			{"a unit outside the scope", "adv1", map[string]any{"type": "information", "party_id": app.P1.ID, "unit_code": "A2"}, 422, "unit_code", "outside_scope"},
			{"an unknown agent added", "adv1", map[string]any{"type": "information", "party_id": app.P1.ID,
				"agents": []any{map[string]any{"login": "ghost", "role": "contributor"}}}, 422, "agents[0].login", "unknown_agent"},
			{"a read-only agent", "viewer", map[string]any{"type": "information", "party_id": app.P1.ID}, 403, "", ""},
		} {
			status, raw, body := app.call(c.as, http.MethodPost, "/contacts", c.body)
			if status != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, status, raw, c.status)
				continue
			}
			if c.field != "" {
				if fields, _ := body["error"].(map[string]any)["fields"].(map[string]any); fields[c.field] == nil {
					t.Errorf("%s: %s, want the field %s named", c.name, raw, c.field)
				}
			}
			if c.reason != "" && reasonOf(body, c.field) != c.reason {
				t.Errorf("%s: %s, want the reason %s", c.name, raw, c.reason)
			}
		}
		id := app.contact("information")["id"].(string)
		if status, _, _ := app.call("adv2", http.MethodGet, "/contacts/"+id, nil); status != http.StatusNotFound {
			t.Errorf("an agent of A2 reads an A1 contact: %d, want 404", status)
		}
		if status, _, body := app.call("adv1", http.MethodGet, "/contact-types/nope/proposal?party_id="+app.P1.ID, nil); status != 422 ||
			reasonOf(body, "type") != "unknown_contact_type" {
			t.Errorf("the proposal of an unknown type: %d %v", status, body)
		}
	})
}
