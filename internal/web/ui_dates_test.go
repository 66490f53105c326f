package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

func TestDateFieldsAreWrittenTheUILanguagesWayAndReadEitherWay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.ingest(sharedMail())
		adv := app.signIn("adv1")
		_, page := adv.get("/parties/" + app.P1.ID + "/edit")
		if !strings.Contains(page, `value="12/04/1980"`) || strings.Contains(page, `type="date"`) {
			t.Errorf("the birth date is not written 12/04/1980 in a French text field")
		}
		// The timeline filters read a French date and keep it French.
		_, rows := adv.getHX("/parties/" + app.P1.ID + "/timeline?from=" + url.QueryEscape("19/11/2026") + "&to=" + url.QueryEscape("21/11/2026"))
		if !strings.Contains(rows, "Mon relevé") {
			t.Errorf("a French date range does not find the mail of 20/11: %s", rows)
		}
		_, filtered := adv.get("/parties/" + app.P1.ID + "?from=" + url.QueryEscape("19/11/2026"))
		if !strings.Contains(filtered, `name="from" value="19/11/2026"`) || !strings.Contains(filtered, `placeholder="jj/mm/aaaa"`) {
			t.Errorf("the filter does not show the date as typed in French")
		}
		if status, _, _ := adv.post("/lang", url.Values{"lang": {"en"}, "next": {"/"}}); status != http.StatusSeeOther {
			t.Fatal("switch to English")
		}
		if _, page := adv.get("/parties/" + app.P1.ID + "/edit"); !strings.Contains(page, `value="1980-04-12"`) ||
			!strings.Contains(page, `placeholder="yyyy-mm-dd"`) {
			t.Errorf("in English the birth date is not written 1980-04-12")
		}
		// The browser's own validation bubbles, in its own language, are not used.
		resp, err := http.Get(app.Server.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		login, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(login), `class="card" novalidate`) {
			t.Errorf("the sign-in form lets the browser validate in its language")
		}
	})
}
