package web_test

import (
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestPickersSuggestNamesAndSendIdentifiers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.ingest(sharedMail())
		adv := app.signIn("adv1")
		_, page := adv.get("/parties/" + app.P1.ID)
		for _, want := range []string{`list="pick-tl-agent"`, `hx-get="/pick/agents?field=agent"`, `list="pick-related"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the 360 page lacks the picker %q", want)
			}
		}
		_, agents := adv.getHX("/pick/agents?field=agent&agent=hugo")
		if !strings.Contains(agents, `<option value="adv1" label="Hugo Conseiller · Paris Opéra">`) {
			t.Errorf("agent picker for hugo: %s", agents)
		}
		_, parties := adv.getHX("/pick/parties?field=related_client_number&related_client_number=dupre")
		if !strings.Contains(parties, `value="1000000001"`) || !strings.Contains(parties, "Hélène Dupré") {
			t.Errorf("party picker for dupre: %s", parties)
		}
		// Out of the agent's scope, a customer is not suggested.
		if _, parties := adv.getHX("/pick/parties?field=related_client_number&related_client_number=lefevre"); strings.Contains(parties, "Zoé") {
			t.Errorf("the picker suggests another agency's customer: %s", parties)
		}
		if _, search := adv.get("/parties"); !strings.Contains(search, `list="pick-advisor"`) {
			t.Errorf("the advanced search's advisor is no picker")
		}
		if _, tokens := app.signIn("admin").get("/admin/tokens"); !strings.Contains(tokens, `list="pick-token-agent"`) {
			t.Errorf("the token's agent is no picker")
		}
	})
}
