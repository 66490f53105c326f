package mail

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"github.com/rapport-crm/rapport/internal/core"
)

var (
	pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	pdfBytes = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	sentAt   = time.Date(2026, 3, 20, 9, 30, 0, 0, time.UTC)
)

// reply is a full reply of the desk: thread, HTML with an inline logo, an
// attachment with an accented name, extra header, automatic flag off.
func reply() Outgoing {
	return Outgoing{
		MessageID:  "rapport.0191b0.sig7@bank.example",
		From:       Address{"Agence de Lyon — Crédit", "agence.lyon@bank.example"},
		To:         []Address{{"Zoë Müller", "zoe.muller@gmail.example"}},
		Cc:         []Address{{"", "conseiller@bank.example"}},
		Subject:    "Re: Réclamation carte — urgent 🙏 [#D-1042]",
		InReplyTo:  "CAF=abc123+xyz@mail.gmail.example",
		References: []string{"first@bank.example", "CAF=abc123+xyz@mail.gmail.example"},
		Text:       "Bonjour Zoë,\n\nVotre carte est débloquée.\n\nL'agence",
		HTML:       `<p>Bonjour Zoë,</p><p>Votre carte est <b>débloquée</b>.</p><p><img src="cid:logo.0191b0@bank.example"></p>`,
		Inline:     []Part{{FileName: "logo.png", ContentType: "image/png", ContentID: "logo.0191b0@bank.example", Data: pngBytes}},
		Attachments: []Part{
			{FileName: "échéancier 2026.pdf", ContentType: "application/pdf", Data: pdfBytes},
			{FileName: "notes.txt", ContentType: "text/plain; charset=utf-8", Data: []byte("ligne 1\nligne 2 é\n")},
		},
		Date:    sentAt,
		Headers: map[string]string{"X-Rapport-Ref": "D-1042"},
	}
}

func TestComposedReplyParsesBackWithEverything(t *testing.T) {
	o := reply()
	raw, err := Compose(o)
	if err != nil {
		t.Fatal(err)
	}
	p := Parse(raw)
	assertClean(t, p)
	if p.Broken || len(p.Problems) > 0 {
		t.Errorf("problems %q", p.Problems)
	}
	if p.MessageID != o.MessageID || !slices.Equal(p.InReplyTo, []string{o.InReplyTo}) || !slices.Equal(p.References, o.References) {
		t.Errorf("ids %q %q %q", p.MessageID, p.InReplyTo, p.References)
	}
	if p.Subject != o.Subject || p.From != o.From || !slices.Equal(p.To, o.To) || !slices.Equal(p.Cc, o.Cc) {
		t.Errorf("subject %q from %+v to %+v cc %+v", p.Subject, p.From, p.To, p.Cc)
	}
	if !p.Date.Equal(sentAt) {
		t.Errorf("date %v", p.Date)
	}
	if p.Text != o.Text || p.HTML != o.HTML {
		t.Errorf("text %q html %q", p.Text, p.HTML)
	}
	logo := partNamed(t, p, "logo.png")
	if !logo.Inline || logo.ContentID != "logo.0191b0@bank.example" || !bytes.Equal(logo.Data, pngBytes) || logo.ContentType != "image/png" {
		t.Errorf("inline %+v", logo)
	}
	pdf := partNamed(t, p, "échéancier 2026.pdf")
	if pdf.Inline || pdf.ContentType != "application/pdf" || !bytes.Equal(pdf.Data, pdfBytes) {
		t.Errorf("attachment %+v", pdf)
	}
	notes := partNamed(t, p, "notes.txt")
	if string(notes.Data) != "ligne 1\nligne 2 é\n" {
		t.Errorf("text attachment %q", notes.Data)
	}
	if p.Auto {
		t.Errorf("a reply by an agent is not automatic: %q", p.AutoWhy)
	}
	if !bytes.Contains(raw, []byte("\r\nX-Rapport-Ref: D-1042\r\n")) {
		t.Error("extra header missing")
	}
}

// TestComposedMessageTravelsThroughAnyServer: every header and body line is
// ASCII and within the 998 bytes SMTP allows, names encoded both ways.
func TestComposedMessageTravelsThroughAnyServer(t *testing.T) {
	raw, err := Compose(reply())
	if err != nil {
		t.Fatal(err)
	}
	for line := range bytes.Lines(raw) {
		if len(line) > 1000 {
			t.Errorf("line of %d bytes", len(line))
		}
		for _, c := range line {
			if c >= 0x80 {
				t.Fatalf("8-bit byte in %q", line)
			}
		}
	}
	for _, want := range []string{
		"filename*=utf-8''%C3%A9ch%C3%A9ancier%202026.pdf", // RFC 2231
		`name="=?utf-8?b?`, // RFC 2047, for older readers
		"Content-Id: <logo.0191b0@bank.example>",
		"In-Reply-To: <CAF=abc123+xyz@mail.gmail.example>",
		"References: <first@bank.example> <CAF=abc123+xyz@mail.gmail.example>",
		"Message-ID: <rapport.0191b0.sig7@bank.example>",
	} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("raw lacks %q", want)
		}
	}
	if bytes.Contains(raw, []byte("User-Agent")) || bytes.Contains(raw, []byte("X-Mailer")) {
		t.Error("no software banner")
	}
}

// shape writes a part tree as "mixed(related(alternative(text/plain,...)))".
func shape(p *enmime.Part) string {
	if p.FirstChild == nil {
		return p.ContentType
	}
	var kids []string
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		kids = append(kids, shape(c))
	}
	return strings.TrimPrefix(p.ContentType, "multipart/") + "(" + strings.Join(kids, ",") + ")"
}

func TestComposeNestsOnlyAsDeepAsNeeded(t *testing.T) {
	logo := Part{FileName: "logo.png", ContentType: "image/png", ContentID: "logo@x", Data: pngBytes}
	pdf := Part{FileName: "a.pdf", ContentType: "application/pdf", Data: pdfBytes}
	html := `<p>x <img src="cid:logo@x"></p>`
	cases := []struct {
		name string
		edit func(o *Outgoing)
		want string
	}{
		{"text", func(o *Outgoing) {}, "text/plain"},
		{"text and HTML", func(o *Outgoing) { o.HTML = "<p>x</p>" }, "alternative(text/plain,text/html)"},
		{"HTML only gets a text", func(o *Outgoing) { o.Text, o.HTML = "", "<p>x</p>" }, "alternative(text/plain,text/html)"},
		{"HTML with an inline image", func(o *Outgoing) { o.HTML, o.Inline = html, []Part{logo} },
			"related(alternative(text/plain,text/html),image/png)"},
		{"text with an attachment", func(o *Outgoing) { o.Attachments = []Part{pdf} }, "mixed(text/plain,application/pdf)"},
		{"everything", func(o *Outgoing) { o.HTML, o.Inline, o.Attachments = html, []Part{logo}, []Part{pdf} },
			"mixed(related(alternative(text/plain,text/html),image/png),application/pdf)"},
		{"an inline image without HTML is attached", func(o *Outgoing) { o.Inline = []Part{logo} }, "mixed(text/plain,image/png)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := Outgoing{MessageID: "m@x", From: Address{"", "a@x.example"}, To: []Address{{"", "b@y.example"}},
				Subject: "s", Text: "x", Date: sentAt}
			c.edit(&o)
			raw, err := Compose(o)
			if err != nil {
				t.Fatal(err)
			}
			root, err := enmime.ReadParts(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if got := shape(root); got != c.want {
				t.Errorf("shape %s, want %s", got, c.want)
			}
			if p := Parse(raw); strings.TrimSpace(p.Text) != "x" {
				t.Errorf("text %q", p.Text)
			}
		})
	}
}

func TestAutomaticMailSaysSoAndIsSeenAsAutomatic(t *testing.T) {
	for _, c := range []struct {
		name                     string
		automatic, autoGenerated bool
		want                     string
	}{
		{"an acknowledgement", true, false, "Auto-Submitted: auto-replied"},
		{"a notification", false, true, "Auto-Submitted: auto-generated"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := reply()
			o.Automatic, o.AutoGenerated = c.automatic, c.autoGenerated
			raw, err := Compose(o)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(raw, []byte(c.want+"\r\n")) {
				t.Errorf("raw lacks %q", c.want)
			}
			if p := Parse(raw); !p.Auto || p.AutoWhy != c.want {
				t.Errorf("auto %v %q", p.Auto, p.AutoWhy)
			}
		})
	}
}

func TestForwardedMessageTravelsUnencodedAsRFC2046Requires(t *testing.T) {
	eml := readTestdata(t, "latin1-qp.eml")
	o := reply()
	o.Attachments = []Part{{FileName: "Prêt immobilier.eml", ContentType: "message/rfc822", Data: withCRLF(eml)}}
	raw, err := Compose(o)
	if err != nil {
		t.Fatal(err)
	}
	p := Parse(raw)
	fwd := partNamed(t, p, "Prêt immobilier.eml")
	if fwd.ContentType != "message/rfc822" || !bytes.Equal(fwd.Data, withCRLF(eml)) {
		t.Errorf("forwarded %q, %d bytes", fwd.ContentType, len(fwd.Data))
	}
	if inner := Parse(fwd.Data); inner.Subject != "Prêt immobilier : échéancier" {
		t.Errorf("inner subject %q", inner.Subject)
	}
}

func TestComposeRefusesWhatWouldBreakTheMessage(t *testing.T) {
	cases := []struct {
		name string
		edit func(o *Outgoing)
	}{
		{"no date", func(o *Outgoing) { o.Date = time.Time{} }},
		{"no Message-ID", func(o *Outgoing) { o.MessageID = "" }},
		{"a Message-ID with brackets", func(o *Outgoing) { o.MessageID = "<a@b>" }},
		{"a Message-ID with a space", func(o *Outgoing) { o.MessageID = "a b@c" }},
		{"a reference that is not an id", func(o *Outgoing) { o.References = []string{"a@b", "x\r\nBcc: evil@x"} }},
		{"no recipient", func(o *Outgoing) { o.To, o.Cc = nil, nil }},
		{"an invalid recipient", func(o *Outgoing) { o.To = []Address{{"", "not an address"}} }},
		{"a recipient with a header in it", func(o *Outgoing) { o.To = []Address{{"", "a@b.example\r\nBcc: evil@x.example"}} }},
		{"an invalid sender", func(o *Outgoing) { o.From = Address{"", "agence"} }},
		{"a header injected through a value", func(o *Outgoing) { o.Headers = map[string]string{"X-Ref": "1\r\nBcc: evil@x.example"} }},
		{"a header Compose writes itself", func(o *Outgoing) { o.Headers = map[string]string{"message-id": "<x@y>"} }},
		{"a header name with a space", func(o *Outgoing) { o.Headers = map[string]string{"X Ref": "1"} }},
		{"a subject with NUL", func(o *Outgoing) { o.Subject = "a\x00b" }},
		{"an inline image without Content-ID", func(o *Outgoing) { o.Inline[0].ContentID = "" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := reply()
			c.edit(&o)
			raw, err := Compose(o)
			if core.ErrorCode(err) != core.Invalid || raw != nil {
				t.Errorf("got %v, want an Invalid error and no message", err)
			}
		})
	}
}

func TestSubjectLineBreaksBecomeSpaces(t *testing.T) {
	o := reply()
	o.Subject = "Votre demande\r\nBcc: evil@x.example"
	raw, err := Compose(o)
	if err != nil {
		t.Fatal(err)
	}
	p := Parse(raw)
	if p.Subject != "Votre demande  Bcc: evil@x.example" {
		t.Errorf("subject %q", p.Subject)
	}
	if bytes.Contains(raw, []byte("\r\nBcc:")) {
		t.Error("a line break in the subject made a header")
	}
}
