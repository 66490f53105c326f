package content

import (
	"html"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// bodyPolicy is the sanitizer of bodies, built once: stricter than
// bluemonday's UGCPolicy. It keeps text structure (paragraphs, emphasis,
// lists, tables, quotes) and links to http, https and mailto addresses,
// which get rel="nofollow noreferrer noopener" and open in a new tab. It
// drops scripts, styles, event handlers, forms, frames and every image (a
// remote image is a tracker telling the sender the mail was read; inline
// images are listed as attachments), as well as ids and classes that could
// collide with the page's own, and relative links into Rapport.
var bodyPolicy = sync.OnceValue(newBodyPolicy)

func newBodyPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowAttrs("dir").Matching(bluemonday.Direction).Globally()
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).Globally()
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.AllowURLSchemes("mailto", "http", "https")
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowElements("article", "aside", "section", "summary", "details", "figure", "figcaption",
		"h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "br", "div", "hr", "p", "span", "wbr",
		"abbr", "acronym", "cite", "code", "dfn", "em", "mark", "s", "samp", "strong", "sub", "sup", "var",
		"b", "i", "pre", "small", "strike", "tt", "u", "del", "ins", "q", "center", "font")
	p.AllowAttrs("cite").OnElements("blockquote")
	p.AllowElements("blockquote")
	p.AllowLists()
	p.AllowTables()
	return p
}

// htmlTag recognises a body written in HTML rather than plain text: one
// structural tag is enough, emphasis alone ("<b>") is not.
var htmlTag = regexp.MustCompile(`(?i)<(!doctype|html|head|meta|body|div|p|br|span|table|a|font|img|ul|ol|li|h[1-6]|blockquote|pre|center|style|script)[\s/>]`)

// SafeHTML returns a body as received (an email's, a letter's text) as
// HTML that is safe to put in a page: an HTML body sanitised, a plain text
// one escaped with its line breaks kept. Bodies are stored as received and
// passed through SafeHTML when shown, so a stricter policy applies to old
// mail too.
func SafeHTML(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return ""
	}
	if htmlTag.MatchString(raw) {
		return strings.TrimSpace(bodyPolicy().Sanitize(raw))
	}
	text := strings.ReplaceAll(strings.ReplaceAll(raw, "\r\n", "\n"), "\r", "\n")
	return strings.ReplaceAll(html.EscapeString(strings.TrimRight(text, "\n")), "\n", "<br>\n")
}

// outgoingPolicy is bodyPolicy plus the images an agent inlines in a mail
// they write: <img> whose source is a cid: reference to a part of the same
// message, nothing remote.
var outgoingPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := newBodyPolicy()
	p.AllowURLSchemes("cid")
	p.AllowAttrs("src").Matching(cidSource).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowElements("img")
	return p
})

// cidSource is an image source naming a part of the message itself.
var cidSource = regexp.MustCompile(`^cid:[A-Za-z0-9._@\-+]+$`)

// SafeOutgoingHTML sanitises the body of a mail an agent writes, as
// SafeHTML does, keeping the images it inlines (src="cid:…") so they
// travel as parts of the message.
func SafeOutgoingHTML(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return ""
	}
	if htmlTag.MatchString(raw) || strings.Contains(raw, "<img") {
		return strings.TrimSpace(outgoingPolicy().Sanitize(raw))
	}
	return SafeHTML(raw)
}
