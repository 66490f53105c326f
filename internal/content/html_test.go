package content

import (
	"strings"
	"testing"
)

// htmlMail is an email whose HTML body carries a script, an event handler,
// a tracking pixel, a form, a relative link and a good link.
const htmlMail = `<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>
<p onclick="steal()" id="main" class="x" style="position:fixed">Bonjour,</p><img src="x" onerror="alert(document.cookie)">
<img src="http://tracker.example.com/open.gif?id=42" width="1" height="1">
<p>Voir <a href="https://banque.example.fr/rdv" onmouseover="x()">votre rendez-vous</a>.</p>
<a href="/admin/agents">interne</a><form action="https://evil.example"><input name="pin"></form>
<a href="javascript:alert(1)">clic</a><iframe src="https://evil.example"></iframe>
<table><tr><td>Solde</td></tr></table><blockquote>cité</blockquote></body></html>`

func TestAnHTMLBodyKeepsItsTextAndLinksButNothingActive(t *testing.T) {
	got := SafeHTML(htmlMail)
	for _, gone := range []string{"<script", "alert", "onerror", "onclick", "onmouseover", "tracker.example.com",
		"<img", "<iframe", "javascript:", "color:red", "steal", "<form", "<input", `href="/admin`, "id=", "class=",
		"style="} {
		if strings.Contains(got, gone) {
			t.Errorf("the sanitised body still holds %q: %s", gone, got)
		}
	}
	for _, kept := range []string{"<p>Bonjour,</p>", `href="https://banque.example.fr/rdv"`, "nofollow", "noreferrer",
		"noopener", `target="_blank"`, "votre rendez-vous", "<td>Solde</td>", "<blockquote>cité</blockquote>", "interne"} {
		if !strings.Contains(got, kept) {
			t.Errorf("the sanitised body lost %q: %s", kept, got)
		}
	}
}

func TestAPlainTextBodyIsEscapedWithItsLineBreaks(t *testing.T) {
	for raw, want := range map[string]string{
		"Rappeler demain <b>sans faute</b>\r\nà 10 h & après": "Rappeler demain &lt;b&gt;sans faute&lt;/b&gt;<br>\nà 10 h &amp; après",
		"ligne 1\rligne 2\n\n":            "ligne 1<br>\nligne 2",
		"  \n ":                           "",
		"1 < 2 <script>alert(1)</script>": "1 &lt; 2", // a script makes it HTML, sanitised
	} {
		if got := SafeHTML(raw); got != want {
			t.Errorf("SafeHTML(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestSafeOutgoingHTMLKeepsInlineImagesOnly(t *testing.T) {
	got := SafeOutgoingHTML(`<p>Voici <img src="cid:logo@rapport" alt="logo"><img src="https://tracker.example/p.gif"><script>x()</script></p>`)
	if !strings.Contains(got, `src="cid:logo@rapport"`) || strings.Contains(got, "tracker") || strings.Contains(got, "script") {
		t.Fatalf("SafeOutgoingHTML = %q", got)
	}
	if strings.Contains(SafeHTML(`<p><img src="cid:logo@rapport"></p>`), "img") {
		t.Fatal("SafeHTML now keeps images")
	}
}
