package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
)

// line returns the timeline line of the 360 page that holds marker.
func line(t *testing.T, page, marker string) string {
	t.Helper()
	for _, l := range regexp.MustCompile(`(?s)<tr class="tl-line">.*?</tr>`).FindAllString(page, -1) {
		if strings.Contains(l, marker) {
			return l
		}
	}
	t.Fatalf("no timeline line holds %q", marker)
	return ""
}

func TestTimelinePictogramsAreSVGIconsWithATextAlternative(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		app := newTestApp(t, d)
		app.ingest(sharedMail(),
			map[string]any{"source": "telephony", "external_id": "c1", "channel": "phone", "direction": "inbound",
				"occurred_at": "2026-11-21T11:00:00Z", "from": "06 12 34 56 78", "duration_seconds": 95, "outcome": "answered",
				"subject": "Appel prêt"},
			map[string]any{"source": "telephony", "external_id": "c2", "channel": "phone", "direction": "inbound",
				"occurred_at": "2026-11-21T12:00:00Z", "from": "06 12 34 56 78", "outcome": "unanswered", "subject": "Appel manqué"},
			map[string]any{"source": "sms", "external_id": "s1", "channel": "sms", "direction": "outbound",
				"occurred_at": "2026-11-21T13:00:00Z", "to": []string{"06 12 34 56 78"}, "body": "Votre rendez-vous", "subject": "Rappel SMS"})
		_, page := app.signIn("adv1").get("/parties/" + app.P1.ID)

		call := line(t, page, "Appel prêt")
		if !strings.Contains(call, `icon-phone-incoming`) || !strings.Contains(call, "1 min 35 s") {
			t.Errorf("an answered inbound call shows its glyph and duration:\n%s", call)
		}
		missed := line(t, page, "Appel manqué")
		if !strings.Contains(missed, `icon-phone-missed`) {
			t.Errorf("a missed call has the missed-call glyph:\n%s", missed)
		}
		sms := line(t, page, "Rappel SMS")
		if !strings.Contains(sms, `icon-message-square-text`) || !strings.Contains(sms, `icon-arrow-up-right`) {
			t.Errorf("an outbound SMS shows the SMS glyph with an outgoing arrow:\n%s", sms)
		}
		mail := line(t, page, "Mon relevé")
		if !strings.Contains(mail, `icon-at-sign`) || strings.Contains(mail, `icon-mail"`) {
			t.Errorf("an email is not drawn like a letter:\n%s", mail)
		}
		// The glyphs are drawn, not text characters, and the line's pictogram
		// says what it is to assistive technology.
		for _, l := range []string{call, missed, sms, mail} {
			if strings.ContainsAny(l, "☎✉✎↗↙") || !strings.Contains(l, `<svg`) ||
				!regexp.MustCompile(`role="img" aria-label="[^"]+"`).MatchString(l) {
				t.Errorf("a pictogram is not an SVG with a text alternative:\n%s", l)
			}
		}
		// The mail is also in Zoé's history: the marker says so in words.
		if !strings.Contains(mail, "aussi chez 1 autre personne") || strings.Contains(mail, ">+1<") {
			t.Errorf("the shared marker does not say what it means:\n%s", mail)
		}
	})
}
