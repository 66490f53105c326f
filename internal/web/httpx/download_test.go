package httpx

import "testing"

func TestDispositionIsAlwaysAnAttachmentWithTheNameQuoted(t *testing.T) {
	for name, want := range map[string]string{
		"releve.pdf":       "attachment; filename=releve.pdf",
		`devis "v2".pdf`:   `attachment; filename="devis \"v2\".pdf"`,
		"relevé 2026.pdf":  "attachment; filename*=utf-8''relev%C3%A9%202026.pdf",
		"a;b=c\r\nX: y.js": "attachment; filename*=utf-8''a%3Bb%3Dc%0D%0AX%3A%20y.js", // no header injection
	} {
		if got := Disposition(name); got != want {
			t.Errorf("Disposition(%q) = %q, want %q", name, got, want)
		}
	}
}
