package mail

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// readTestdata reads a message of testdata/.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// withCRLF is raw with CRLF line ends, as IMAP servers hand messages out.
func withCRLF(raw []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
}

// parseBoth parses a testdata message with LF and with CRLF line ends and
// runs check on each, after the invariants every Parse result keeps.
func parseBoth(t *testing.T, name string, check func(t *testing.T, p *Parsed)) {
	raw := readTestdata(t, name)
	for _, ends := range []struct {
		name string
		raw  []byte
	}{{"LF", raw}, {"CRLF", withCRLF(raw)}} {
		t.Run(ends.name, func(t *testing.T) {
			p := Parse(ends.raw)
			assertClean(t, p)
			check(t, p)
		})
	}
}

// assertClean checks what every Parse result promises: a result, strings in
// valid UTF-8 without NUL, a reason for a broken message.
func assertClean(t testing.TB, p *Parsed) {
	t.Helper()
	if p == nil {
		t.Fatal("Parse returned nil")
	}
	if p.Broken && len(p.Problems) == 0 {
		t.Error("broken without a problem said")
	}
	strs := []string{p.MessageID, p.Subject, p.From.Name, p.From.Email, p.Text, p.HTML, p.AutoWhy}
	strs = append(strs, p.InReplyTo...)
	strs = append(strs, p.References...)
	strs = append(strs, p.Problems...)
	for _, list := range [][]Address{p.ReplyTo, p.To, p.Cc} {
		for _, a := range list {
			strs = append(strs, a.Name, a.Email)
		}
	}
	for _, part := range p.Parts {
		strs = append(strs, part.FileName, part.ContentType, part.ContentID)
	}
	if b := p.Bounce; b != nil {
		strs = append(strs, b.Recipient, b.Status, b.Reason)
		strs = append(strs, b.MessageIDs...)
	}
	for _, s := range strs {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			t.Errorf("not clean UTF-8: %q", s)
		}
	}
}

// partNamed finds a part by file name.
func partNamed(t *testing.T, p *Parsed, name string) Part {
	t.Helper()
	for _, part := range p.Parts {
		if part.FileName == name {
			return part
		}
	}
	var names []string
	for _, part := range p.Parts {
		names = append(names, part.FileName)
	}
	t.Fatalf("no part %q among %q", name, names)
	return Part{}
}

func TestLatin1QuotedPrintableIsReadWithItsAccents(t *testing.T) {
	parseBoth(t, "latin1-qp.eml", func(t *testing.T, p *Parsed) {
		if p.Subject != "Prêt immobilier : échéancier" {
			t.Errorf("subject %q", p.Subject)
		}
		if p.From != (Address{"Jean Dupré", "Jean.Dupre@example.fr"}) {
			t.Errorf("from %+v: the name is decoded, the domain lower-cased, the local part kept", p.From)
		}
		if !strings.Contains(p.Text, "l'échéancier de mon prêt") || !strings.HasSuffix(p.Text, "Jean Dupré\n") {
			t.Errorf("text %q", p.Text)
		}
		if p.MessageID != "20260303091401.GA1234@example.fr" || p.Broken || p.Auto {
			t.Errorf("id %q broken %v auto %v", p.MessageID, p.Broken, p.Auto)
		}
		want := time.Date(2026, 3, 3, 8, 14, 1, 0, time.UTC)
		if !p.Date.Equal(want) {
			t.Errorf("date %v, want %v", p.Date, want)
		}
	})
}

func TestWindows1252EightBitKeepsEuroAndApostrophes(t *testing.T) {
	parseBoth(t, "windows1252-8bit.eml", func(t *testing.T, p *Parsed) {
		if p.Subject != "Prélèvement en double €" {
			t.Errorf("subject %q", p.Subject)
		}
		if !strings.Contains(p.Text, "J’ai été prélevé deux fois de 49,90 € ce mois-ci. Œuvrez") {
			t.Errorf("text %q", p.Text)
		}
		if p.Broken {
			t.Errorf("a declared charset is not broken: %q", p.Problems)
		}
	})
}

func TestUTF8AlternativeGivesTextHTMLAndThread(t *testing.T) {
	parseBoth(t, "utf8-alternative.eml", func(t *testing.T, p *Parsed) {
		if p.Subject != "Réclamation carte — urgent 🙏" {
			t.Errorf("subject %q: encoded words in two lines are joined", p.Subject)
		}
		if p.From != (Address{"Zoë Müller", "zoe.muller@gmail.example"}) {
			t.Errorf("from %+v", p.From)
		}
		if len(p.Cc) != 2 || p.Cc[0] != (Address{"Renée Martin", "renee@example.org"}) || p.Cc[1].Email != "paul@example.org" {
			t.Errorf("cc %+v", p.Cc)
		}
		if len(p.ReplyTo) != 1 || p.ReplyTo[0].Email != "zoe.private@example.org" {
			t.Errorf("reply-to %+v", p.ReplyTo)
		}
		if !slices.Equal(p.InReplyTo, []string{"rapport.0191aa.sig1@bank.example"}) ||
			!slices.Equal(p.References, []string{"first@bank.example", "rapport.0191aa.sig1@bank.example"}) {
			t.Errorf("in-reply-to %q references %q", p.InReplyTo, p.References)
		}
		if !strings.Contains(p.Text, "Ça fait trois semaines — merci") || strings.Contains(p.Text, "<p>") {
			t.Errorf("text %q", p.Text)
		}
		if !strings.Contains(p.HTML, "<p>Voici ma réclamation concernant la carte n° 4970 ****.<br>") {
			t.Errorf("html %q", p.HTML)
		}
		if len(p.Parts) != 0 || p.Broken {
			t.Errorf("parts %d broken %v %q", len(p.Parts), p.Broken, p.Problems)
		}
	})
}

func TestRFC2231AndEncodedFileNamesAreDecoded(t *testing.T) {
	parseBoth(t, "rfc2231-attachments.eml", func(t *testing.T, p *Parsed) {
		if p.Text != "Voici les pièces demandées.\n" {
			t.Errorf("text %q", p.Text)
		}
		pdf := partNamed(t, p, "avis d’impôt 2025.pdf")
		if pdf.ContentType != "application/pdf" || !bytes.HasPrefix(pdf.Data, []byte("%PDF-1.4")) || pdf.Inline {
			t.Errorf("pdf %q inline %v %q", pdf.ContentType, pdf.Inline, pdf.Data)
		}
		png := partNamed(t, p, "justificatif de domicile été.png")
		if !bytes.HasPrefix(png.Data, []byte("\x89PNG")) {
			t.Errorf("png data %q", png.Data)
		}
		csv := partNamed(t, p, "relevé.csv")
		if csv.ContentType != "text/csv; charset=utf-8" || !strings.Contains(string(csv.Data), "date;libellé;montant") {
			t.Errorf("a Latin-1 text file is given in UTF-8 and says so: %q %q", csv.ContentType, csv.Data)
		}
	})
}

func TestInlineImageIsTiedToItsContentID(t *testing.T) {
	parseBoth(t, "inline-image.eml", func(t *testing.T, p *Parsed) {
		img := partNamed(t, p, "image001.png")
		if img.ContentID != "image001.png@01DAB2C3.4D5E6F70" || !img.Inline || img.ContentType != "image/png" {
			t.Errorf("inline image %+v", img)
		}
		if !strings.Contains(p.HTML, `src="cid:image001.png@01DAB2C3.4D5E6F70"`) {
			t.Errorf("html %q", p.HTML)
		}
		logo := partNamed(t, p, "part-3.png")
		if logo.Inline || logo.ContentID != "signature-logo@entreprise.example" {
			t.Errorf("an inline image the HTML does not show is listed as an attachment, not hidden: %+v", logo)
		}
		if p.Text != "Voir la capture :\n[capture]\n" {
			t.Errorf("text %q", p.Text)
		}
	})
}

func TestForwardedMessageIsKeptAsAnEmlNamedByItsSubject(t *testing.T) {
	parseBoth(t, "forwarded.eml", func(t *testing.T, p *Parsed) {
		if p.Subject != "Fwd: Relevé de compte" || !strings.HasPrefix(p.Text, "Je vous transfère") {
			t.Errorf("subject %q text %q", p.Subject, p.Text)
		}
		fwd := partNamed(t, p, "Relevé de compte.eml")
		if fwd.ContentType != "message/rfc822" || !bytes.Contains(fwd.Data, []byte("Votre relevé de février est disponible.")) {
			t.Errorf("forwarded %q %q", fwd.ContentType, fwd.Data)
		}
		inner := Parse(fwd.Data)
		if inner.MessageID != "releve-2026-02@bank.example" || inner.From.Email != "noreply@bank.example" {
			t.Errorf("the forwarded message parses on its own: %q %+v", inner.MessageID, inner.From)
		}
	})
}

func TestHTMLOnlyGetsATextMadeFromIt(t *testing.T) {
	parseBoth(t, "html-only.eml", func(t *testing.T, p *Parsed) {
		if !strings.Contains(p.HTML, "<b>jeudi</b> avec mon conseiller") {
			t.Errorf("html %q: soft line breaks are joined", p.HTML)
		}
		if !strings.Contains(p.Text, "Rendez-vous") || !strings.Contains(p.Text, "jeudi") || strings.Contains(p.Text, "<") {
			t.Errorf("text %q", p.Text)
		}
		if p.Broken {
			t.Errorf("broken: %q", p.Problems)
		}
	})
}

func TestTextWithoutMIMEHeadersIsPlainText(t *testing.T) {
	parseBoth(t, "text-only.eml", func(t *testing.T, p *Parsed) {
		if p.Text != "Just a plain old message,\nwithout any MIME headers.\n" {
			t.Errorf("text %q", p.Text)
		}
		if p.MessageID != "" || p.HTML != "" || p.Parts != nil || p.Broken {
			t.Errorf("id %q html %q parts %v broken %v", p.MessageID, p.HTML, p.Parts, p.Broken)
		}
		if p.From.Email != "bob@example.com" || p.Date.IsZero() {
			t.Errorf("from %+v date %v", p.From, p.Date)
		}
	})
}

// TestBrokenMessagesAreFlaggedAndKeepTheirText: whatever is wrong, the
// message says why and an agent can still read what it holds.
func TestBrokenMessagesAreFlaggedAndKeepTheirText(t *testing.T) {
	cases := []struct {
		file, problem string
		text          []string // fragments the text keeps
	}{
		{"bad-boundary.eml", "raw text", []string{"Mon conseiller ne répond pas"}},
		{"truncated-base64.eml", "Base64", []string{"Ceci est un texte assez long"}},
		{"garbage.bin.eml", "structure", []string{"binary junk", "some readable words", "€"}},
		{"nul-bytes.eml", "NUL", []string{"Bonjour avec des octets nuls."}},
		{"8bit-headers.eml", "Windows-1252", []string{"où en est mon dossier"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			parseBoth(t, c.file, func(t *testing.T, p *Parsed) {
				if !p.Broken || !strings.Contains(strings.Join(p.Problems, "\n"), c.problem) {
					t.Errorf("broken %v problems %q, want one about %q", p.Broken, p.Problems, c.problem)
				}
				for _, frag := range c.text {
					if !strings.Contains(p.Text, frag) {
						t.Errorf("text %q lacks %q", p.Text, frag)
					}
				}
			})
		})
	}
}

func TestEightBitHeadersAreReadAsWindows1252(t *testing.T) {
	parseBoth(t, "8bit-headers.eml", func(t *testing.T, p *Parsed) {
		if p.Subject != "Crédit à la consommation" || p.From != (Address{"Hélène Mercier", "helene@example.com"}) {
			t.Errorf("subject %q from %+v", p.Subject, p.From)
		}
	})
}

func TestTruncatedAttachmentIsListedEmpty(t *testing.T) {
	parseBoth(t, "truncated-base64.eml", func(t *testing.T, p *Parsed) {
		pdf := partNamed(t, p, "contrat.pdf")
		if len(pdf.Data) != 0 {
			t.Errorf("data %q", pdf.Data)
		}
	})
}

func TestParseNeverFailsOnHostileInput(t *testing.T) {
	inputs := map[string][]byte{
		"empty":                 nil,
		"only a newline":        []byte("\n"),
		"header without value":  []byte("Subject:\n\n"),
		"endless header":        bytes.Repeat([]byte("X-A: b\n"), 5000),
		"nested boundary loop":  []byte("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=a\n\n--a\n--a--\n"),
		"unknown charset":       []byte("Subject: =?x-klingon?q?abc?=\nContent-Type: text/plain; charset=x-klingon\n\nqapla\xff\n"),
		"broken encoded word":   []byte("Subject: =?utf-8?b?####?=\nFrom: =?utf-8?q?=FF=FE?= <a@b>\n\nx\n"),
		"nul in header":         []byte("Subject: a\x00b\nFrom: x\x00@y\n\nbody\n"),
		"deep nesting":          nestedMultipart(200),
		"content type garbage":  []byte("Content-Type: ;;;===\"\n\nhello\n"),
		"base64 of binary text": []byte("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nAP8A/wD/\n"),
	}
	for name, raw := range inputs {
		t.Run(name, func(t *testing.T) {
			p := Parse(raw)
			assertClean(t, p)
		})
	}
}

// nestedMultipart is a message of depth multiparts inside each other.
func nestedMultipart(depth int) []byte {
	var b bytes.Buffer
	b.WriteString("Content-Type: multipart/mixed; boundary=b0\n\n")
	for i := 1; i < depth; i++ {
		b.WriteString("--b" + strconv.Itoa(i-1) + "\nContent-Type: multipart/mixed; boundary=b" + strconv.Itoa(i) + "\n\n")
	}
	b.WriteString("--b" + strconv.Itoa(depth-1) + "\nContent-Type: text/plain\n\ndeep\n")
	for i := depth - 1; i >= 0; i-- {
		b.WriteString("--b" + strconv.Itoa(i) + "--\n")
	}
	return b.Bytes()
}

func TestContentHashIsTheSHA256OfTheRawBytes(t *testing.T) {
	a, b := ContentHash([]byte("x")), ContentHash([]byte("y"))
	if a == b || len(a) != 64 || a != ContentHash([]byte("x")) {
		t.Errorf("hashes %q %q", a, b)
	}
	if a != "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881" {
		t.Errorf("hash %q", a)
	}
}

func TestUTF8DeclaredAsASCIIStaysUTF8(t *testing.T) {
	raw := []byte("From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=us-ascii\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\nMerci pour votre réponse, à bientôt.\r\n")
	p := Parse(raw)
	if p.Text != "Merci pour votre réponse, à bientôt.\n" || p.Broken {
		t.Errorf("text %q broken %v %q", p.Text, p.Broken, p.Problems)
	}
}

func TestLatin1DeclaredAsUTF8IsDetected(t *testing.T) {
	text := "Madame, Monsieur, je conteste les frais prélevés le 3 mars : ils n'étaient pas prévus dans mon contrat. " +
		"Je vous prie de bien vouloir procéder au remboursement. Très cordialement, Hélène."
	latin1 := []byte{}
	for _, r := range text {
		latin1 = append(latin1, byte(r))
	}
	raw := append([]byte("From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"), latin1...)
	p := Parse(raw)
	if p.Text != text {
		t.Errorf("text %q", p.Text)
	}
	if p.Broken || !strings.Contains(strings.Join(p.Problems, "\n"), "not in its declared charset: read as ISO-8859-1") {
		t.Errorf("a confident detection is reported, not broken: %v %q", p.Broken, p.Problems)
	}
}

// TestBothReadersAgreeOnWellFormedMail: the strict reader (go-message) reads
// well-formed mail fast; the lenient one (enmime) must read it the same.
func TestBothReadersAgreeOnWellFormedMail(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.eml")
	checked := 0
	for _, f := range files {
		raw := readTestdata(t, filepath.Base(f))
		if readStrictly(raw) == nil {
			continue
		}
		checked++
		t.Run(filepath.Base(f), func(t *testing.T) {
			strict, lenient := &Parsed{}, &Parsed{}
			parseInto(raw, strict, true)
			parseInto(raw, lenient, false)
			if !reflect.DeepEqual(strict, lenient) {
				t.Errorf("strict %+v\nlenient %+v", strict, lenient)
			}
		})
	}
	if checked < 10 {
		t.Errorf("only %d messages read strictly", checked)
	}
}
