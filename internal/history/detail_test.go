package history

import (
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/party"
)

// htmlMail is an email whose HTML body carries a script, an event handler,
// a tracking pixel and a link.
const htmlMail = `<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>
<p onclick="steal()">Bonjour,</p><img src="x" onerror="alert(document.cookie)">
<img src="http://tracker.example.com/open.gif?id=42" width="1" height="1">
<p>Voir <a href="https://banque.example.fr/rdv" onmouseover="x()">votre rendez-vous</a>.</p>
<a href="javascript:alert(1)">clic</a><iframe src="https://evil.example"></iframe></body></html>`

// scopeFixture adds a second agency with its advisor's actor and a client.
type scopeFixture struct {
	*fixture
	other    party.Party  // client of A2
	advisor1 *core.Actor  // scope A1
	advisor2 *core.Actor  // scope A2
	bank     *core.Actor  // the whole organisation
	files    []Attachment // of the shared email
}

func newScopeFixture(t *testing.T, d *db.DB) *scopeFixture {
	t.Helper()
	ctx := context.Background()
	f := &scopeFixture{fixture: newFixture(t, d)}
	orgs := org.NewStore(d, f.store.clock, f.store.log)
	a2, err := orgs.CreateUnit(ctx, core.System(), org.UnitInput{Code: "A2", Name: "Autre agence", Kind: "agency", ParentCode: "BR"})
	if err != nil {
		t.Fatal(err)
	}
	var a1 string
	if err := d.QueryRow(ctx, "SELECT id FROM units WHERE code = 'A1'").Scan(&a1); err != nil {
		t.Fatal(err)
	}
	if f.other, err = f.parties.Create(ctx, core.System(), party.Input{Kind: "person", Status: "client", ClientNumber: "3000000001",
		FirstName: "Omar", LastName: "Bellec", AgencyCode: "A2", Emails: []party.Email{{Address: "omar@example.fr", Kind: "personal"}}}); err != nil {
		t.Fatal(err)
	}
	read := []core.Permission{core.PermHistoryRead, core.PermPartyRead}
	f.advisor1 = &core.Actor{Login: "jmartin", Permissions: read, Scope: core.Scope{UnitIDs: []string{a1}}}
	f.advisor2 = &core.Actor{Login: "autre", Permissions: read, Scope: core.Scope{UnitIDs: []string{a2.ID}}}
	f.bank = &core.Actor{Login: "siege", Permissions: read, Scope: core.Scope{All: true}, Locale: "fr"}
	f.files = []Attachment{{Name: "releve.pdf", ContentType: "application/pdf", ContentBase64: b64(pdf)},
		{Name: "logo.png", ContentBase64: b64(png), Inline: true}}
	return f
}

// ingest stores items and returns their interaction ids.
func (f *scopeFixture) ingest(t *testing.T, items ...Item) []string {
	t.Helper()
	res, err := f.store.Ingest(context.Background(), f.integration, items)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(res))
	for i, r := range res {
		if r.Status != Stored {
			t.Fatalf("item %d: %+v", i, r)
		}
		ids[i] = r.InteractionID
	}
	return ids
}

func TestDetailShowsTheSanitizedBodyParticipantsAndFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		ids := f.ingest(t, Item{Source: "agent_mailbox", ExternalID: "m1", Channel: "email", Direction: "inbound",
			OccurredAt: "2026-11-20T10:00:00Z", From: "helene@example.fr", To: []string{"conseiller@banque.fr"},
			Cc: []string{"omar@example.fr"}, Subject: "Rendez-vous", Body: htmlMail, Agent: "jmartin", Attachments: f.files},
			Item{Source: "telephony", ExternalID: "c1", Channel: "phone", Direction: "inbound", OccurredAt: "2026-11-20T11:00:00Z",
				DurationSeconds: seconds(95), Outcome: "answered", From: "06 12 34 56 78", Agent: "inconnu",
				Body: "Rappeler demain <b>sans faute</b>\r\nà 10 h & après"})
		m, err := f.store.Interaction(ctx, f.advisor1, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, gone := range []string{"<script", "alert", "onerror", "onclick", "onmouseover", "tracker.example.com",
			"<img", "<iframe", "javascript:", "color:red", "steal"} {
			if strings.Contains(m.Body, gone) {
				t.Errorf("the sanitized body still holds %q: %s", gone, m.Body)
			}
		}
		for _, kept := range []string{"Bonjour,", `href="https://banque.example.fr/rdv"`, "nofollow", "noopener", "votre rendez-vous"} {
			if !strings.Contains(m.Body, kept) {
				t.Errorf("the sanitized body lost %q: %s", kept, m.Body)
			}
		}
		if m.Subject != "Rendez-vous" || m.Agent == nil || m.Agent.Name != "Julie Martin" || m.BodyPurged || m.Unattached {
			t.Errorf("detail %+v", m)
		}
		// Omar, of another agency, is left out of the advisor's view; the
		// unknown recipient is kept as sent.
		if len(m.Participants) != 1 || m.Participants[0].PartyID != f.helene.ID || m.Participants[0].Role != "from" ||
			m.Participants[0].Name != "Hélène Dupré" || m.Participants[0].Coordinate != "helene@example.fr" {
			t.Errorf("participants %+v, want Hélène as sender only", m.Participants)
		}
		if len(m.Unmatched) != 1 || m.Unmatched[0] != (Coordinate{"conseiller@banque.fr", "to"}) {
			t.Errorf("unmatched %+v", m.Unmatched)
		}
		if len(m.Attachments) != 2 || m.Attachments[0].Name != "releve.pdf" || m.Attachments[0].Size != int64(len(pdf)) ||
			!m.Attachments[0].Available || !m.Attachments[1].Inline || m.Attachments[1].ContentType != "image/png" {
			t.Errorf("attachments %+v", m.Attachments)
		}
		whole, err := f.store.Interaction(ctx, f.bank, ids[0])
		if err != nil || len(whole.Participants) != 2 || whole.Participants[1].Role != "cc" || whole.SharedWith != 1 {
			t.Errorf("the bank sees %+v (%v), want Hélène and Omar", whole.Participants, err)
		}
		// A plain text body is escaped and keeps its line breaks.
		c, err := f.store.Interaction(ctx, f.advisor1, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if c.Body != "Rappeler demain &lt;b&gt;sans faute&lt;/b&gt;<br>\nà 10 h &amp; après" {
			t.Errorf("plain body %q", c.Body)
		}
		if c.DurationSeconds == nil || *c.DurationSeconds != 95 || !c.UnknownAgent || c.Agent.Login != "inconnu" || c.Outcome != "answered" {
			t.Errorf("call detail %+v", c)
		}
		file, err := f.store.AttachmentFile(ctx, f.advisor1, ids[0], m.Attachments[0].ID)
		if err != nil || string(file.Content) != string(pdf) || file.ContentType != "application/pdf" || file.Name != "releve.pdf" {
			t.Errorf("download: %+v, %v", file, err)
		}
	})
}

// TestDetailFollowsTheScopeOfTheLinkedParties: an advisor reads an
// interaction only through a party of their agency; one linked to nobody
// only the whole organisation reads; refusals look like absence.
func TestDetailFollowsTheScopeOfTheLinkedParties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		ids := f.ingest(t,
			Item{Source: "agent_mailbox", ExternalID: "omar", Channel: "email", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00Z",
				From: "omar@example.fr", Subject: "Pour l'agence 2", Attachments: f.files},
			Item{Source: "agent_mailbox", ExternalID: "nobody", Channel: "email", Direction: "inbound", OccurredAt: "2026-11-20T10:00:00Z",
				From: "inconnu@example.fr", Subject: "Qui suis-je ?"})
		omar, unattached := ids[0], ids[1]
		missing := "0190f0f0-0000-7000-8000-000000000000"
		_, errMissing := f.store.Interaction(ctx, f.advisor1, missing)
		_, errOut := f.store.Interaction(ctx, f.advisor1, omar)
		if core.ErrorCode(errOut) != core.NotFound || core.ErrorCode(errMissing) != core.NotFound ||
			strings.ReplaceAll(core.ErrorMessage(errOut), omar, "ID") != strings.ReplaceAll(core.ErrorMessage(errMissing), missing, "ID") {
			t.Errorf("another agency's interaction: %v; a missing one: %v; want the same not found", errOut, errMissing)
		}
		if _, err := f.store.Interaction(ctx, f.advisor2, omar); err != nil {
			t.Errorf("Omar's advisor: %v", err)
		}
		if _, err := f.store.Interaction(ctx, f.advisor2, unattached); core.ErrorCode(err) != core.NotFound {
			t.Errorf("an advisor reads an unattached interaction: %v", err)
		}
		d2, err := f.store.Interaction(ctx, f.bank, unattached)
		if err != nil || !d2.Unattached || len(d2.Participants) != 0 {
			t.Errorf("the bank reads the unattached interaction: %+v, %v", d2, err)
		}
		det, err := f.store.Interaction(ctx, f.bank, omar)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.AttachmentFile(ctx, f.advisor1, omar, det.Attachments[0].ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("another agency's file: %v, want not found", err)
		}
		if _, err := f.store.AttachmentFile(ctx, f.advisor2, unattached, det.Attachments[0].ID); core.ErrorCode(err) != core.NotFound {
			t.Errorf("a file under another interaction's id: %v, want not found", err)
		}
		if _, err := f.store.AttachmentFile(ctx, f.advisor2, omar, det.Attachments[0].ID); err != nil {
			t.Errorf("Omar's advisor downloads: %v", err)
		}
		noRight := &core.Actor{Permissions: []core.Permission{core.PermPartyRead}, Scope: core.Scope{All: true}}
		if _, err := f.store.Interaction(ctx, noRight, omar); core.ErrorCode(err) != core.Forbidden {
			t.Errorf("without history.read: %v", err)
		}
		if _, err := f.store.Interaction(ctx, f.bank, "not-an-id"); core.ErrorCode(err) != core.NotFound {
			t.Errorf("a malformed id: %v", err)
		}
	})
}

func TestDetailAndDownloadsAreAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		ids := f.ingest(t, Item{Source: "agent_mailbox", ExternalID: "m1", Channel: "email", Direction: "outbound",
			OccurredAt: "2026-11-20T10:00:00Z", To: []string{"famille.dupre@example.fr"}, Subject: "Votre dossier", Attachments: f.files})
		det, err := f.store.Interaction(ctx, f.advisor1, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.AttachmentFile(ctx, f.advisor1, ids[0], det.Attachments[1].ID); err != nil {
			t.Fatal(err)
		}
		// Hélène and Marc share the address: each one's audit trail has both readings.
		for _, p := range []string{f.helene.ID, f.marc.ID} {
			var views, downloads int
			if err := d.QueryRow(ctx, `SELECT
				SUM(CASE WHEN action = 'history.interaction' AND object_type = 'interaction' AND object_id = ? THEN 1 ELSE 0 END),
				SUM(CASE WHEN action = 'history.attachment' AND object_type = 'attachment' AND object_id = ? THEN 1 ELSE 0 END)
				FROM audit_log WHERE party_id = ?`, ids[0], det.Attachments[1].ID, p).Scan(&views, &downloads); err != nil {
				t.Fatal(err)
			}
			if views != 1 || downloads != 1 {
				t.Errorf("party %s: %d consultations, %d downloads audited; want 1 and 1", p, views, downloads)
			}
		}
		// A refused reading leaves no entry.
		f.store.Interaction(ctx, f.advisor2, ids[0])
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = 'history.interaction'").Scan(&n); err != nil || n != 2 {
			t.Errorf("%d consultations audited, want 2 (%v)", n, err)
		}
	})
}

// TestPurgedBodyAndFilesAreSaidSo: once retention removed them, the detail
// says the body is no longer kept and the files are listed unavailable;
// downloading one is Gone.
func TestPurgedBodyAndFilesAreSaidSo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		ids := f.ingest(t, Item{Source: "agent_mailbox", ExternalID: "m1", Channel: "email", Direction: "inbound",
			OccurredAt: "2025-01-20T10:00:00Z", From: "zoe@example.fr", Subject: "Ancien", Body: "<p>Texte</p>", Attachments: f.files})
		now := core.Millis(f.store.clock.Now())
		if _, err := d.Exec(ctx, "UPDATE interactions SET body = NULL, body_purged_at = ? WHERE id = ?", now, ids[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, "UPDATE interaction_attachments SET content = NULL, purged_at = ? WHERE position = 0", now); err != nil {
			t.Fatal(err)
		}
		det, err := f.store.Interaction(ctx, f.advisor1, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if !det.BodyPurged || det.Body != "" || det.Subject != "Ancien" {
			t.Errorf("purged body: %+v", det)
		}
		if det.Attachments[0].Available || !det.Attachments[1].Available || det.Attachments[0].Name != "releve.pdf" {
			t.Errorf("attachments %+v: the first purged, the second kept", det.Attachments)
		}
		_, err = f.store.AttachmentFile(ctx, f.advisor1, ids[0], det.Attachments[0].ID)
		if core.ErrorCode(err) != core.Gone || !strings.Contains(core.ErrorMessage(err), "no longer kept") {
			t.Errorf("purged download: %v, want gone", err)
		}
		if _, err := f.store.AttachmentFile(ctx, f.advisor1, ids[0], det.Attachments[1].ID); err != nil {
			t.Errorf("the kept file: %v", err)
		}
	})
}

func TestTimelineFiltersBySource(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		f.ingest(t, Item{Source: "telephony", ExternalID: "c1", Channel: "phone", Direction: "inbound",
			OccurredAt: "2026-11-20T10:00:00Z", From: "06 12 34 56 78"},
			Item{Source: "sms", ExternalID: "s1", Channel: "sms", Direction: "outbound",
				OccurredAt: "2026-11-20T11:00:00Z", To: []string{"06 12 34 56 78"}})
		page, err := f.store.Timeline(ctx, f.advisor1, f.helene.ID, Filter{Source: "sms"})
		if err != nil || len(page.Items) != 1 || page.Items[0].Source != "sms" {
			t.Errorf("sms only: %+v %v", page.Items, err)
		}
	})
}
