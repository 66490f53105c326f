package mail

import (
	"strings"
	"testing"
)

// BenchmarkParse parses a typical 20 KB message: text and HTML bodies with
// accents, an inline logo and a PDF attachment.
func BenchmarkParse(b *testing.B) {
	para := "Bonjour Madame, suite à notre échange téléphonique, voici le récapitulatif de votre demande de prêt. "
	pdf := []byte("%PDF-1.7\n" + strings.Repeat("0123456789abcdef", 600) + "\n%%EOF\n")
	o := reply()
	o.Text = strings.Repeat(para, 25)
	o.HTML = "<html><body><p>" + strings.Repeat(para, 25) + `</p><img src="cid:logo.0191b0@bank.example"></body></html>`
	o.Attachments = []Part{{FileName: "offre de prêt.pdf", ContentType: "application/pdf", Data: pdf}}
	raw, err := Compose(o)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if p := Parse(raw); p.Broken || len(p.Parts) != 2 {
			b.Fatalf("broken %v parts %d", p.Broken, len(p.Parts))
		}
	}
}
