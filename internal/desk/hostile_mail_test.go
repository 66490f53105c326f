package desk_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
)

// TestHostileMailIsKeptAndReadable: mail PostgreSQL would refuse as sent
// (NUL bytes, invalid UTF-8), a Message-ID longer than an index holds, a
// broken MIME structure and bare garbage each become a request an agent
// can read; none is lost, none stops the mailbox.
func TestHostileMailIsKeptAndReadable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		long := strings.Repeat("x", 5000) + "@example.org"
		mails := []string{
			"From: a@example.org\nTo: " + deskAddress + "\nSubject: nul\x00byte\nMessage-ID: <h1@example.org>\n\nbody with \x00 NUL\n",
			"From: b@example.org\nTo: " + deskAddress + "\nSubject: \xff\xfe latin \xe9t\xe9\nMessage-ID: <h2@example.org>\nContent-Type: text/plain; charset=utf-8\n\ninvalid \xff utf-8 \xe9\n",
			"From: c@example.org\nTo: " + deskAddress + "\nSubject: long id\nMessage-ID: <" + long + ">\nIn-Reply-To: <" + long + ">\n\nhello\n",
			"From: d@example.org\nTo: " + deskAddress + "\nSubject: broken\nMessage-ID: <h4@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"never\"\n\n--wrong\nContent-Type: text/plain\n\nLe texte malgré tout\n",
			"\x00\x01\x02 not a mail at all \xff\n",
		}
		for _, m := range mails {
			f.deliver(t, m)
		}
		f.fetch(t)
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != len(mails) {
			t.Fatalf("%d requests for %d hostile mails", n, len(mails))
		}
		if st := f.state(t); st.LastUID != uint32(len(mails)) {
			t.Fatalf("mark at %d, want %d: a message stopped the mailbox", st.LastUID, len(mails))
		}
		page, err := f.Desk.List(f.ctx, f.Adv1, desk.Filter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Requests {
			th, err := f.Desk.Thread(f.ctx, f.Adv1, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(th.Messages) != 1 || th.Messages[0].RawHash == "" {
				t.Fatalf("request %q: messages %+v", r.Subject, th.Messages)
			}
			if r.Subject == "broken" && (!slices.Contains(r.Flags, desk.FlagUnparsed) || !strings.Contains(th.Messages[0].Text, "malgré")) {
				t.Errorf("the broken mail: flags %v text %q", r.Flags, th.Messages[0].Text)
			}
		}
		// Fetched again (a rescan): still once each.
		if err := f.Mail.ResetFolder(deskAddress, "INBOX"); err != nil {
			t.Fatal(err)
		}
		f.fetch(t)
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != len(mails) {
			t.Fatalf("%d requests after a rescan", n)
		}
	})
}
