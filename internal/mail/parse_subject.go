package mail

import (
	"strings"
	"unicode"
)

// replyPrefixes are the words mail clients put before a subject when
// replying or forwarding, lower-case: English, French (TR, RÉF), German (AW,
// WG), Nordic (SV, VS), Italian (RIF), Spanish and Portuguese (RV, ENC),
// Dutch (Antw, Doorst). One-letter Italian ones (R, I) are left: too easily
// the start of a real subject.
var replyPrefixes = []string{
	"re", "fwd", "fw", "tr", "réf", "ref", "aw", "wg", "sv", "vs", "rif", "rv", "enc", "antw", "doorst",
}

// NormalizeSubject strips the reply and forward prefixes of a subject
// ("Re:", "Fwd:", "TR:", "RE :", "AW:", "Re[2]:"), repeatedly, and trims it:
// for display and for threading helpers that compare subjects.
func NormalizeSubject(s string) string {
	s = strings.TrimSpace(s)
	for {
		rest, ok := cutReplyPrefix(s)
		if !ok {
			return s
		}
		s = strings.TrimSpace(rest)
	}
}

// cutReplyPrefix removes one prefix: a known word, optional spaces, an
// optional counter ("[2]" or "(2)"), optional spaces, then a colon (ASCII or
// full-width).
func cutReplyPrefix(s string) (string, bool) {
	word := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if word <= 0 || word > 8 || !isReplyWord(s[:word]) {
		return s, false
	}
	rest := strings.TrimLeftFunc(s[word:], unicode.IsSpace)
	if len(rest) > 0 && (rest[0] == '[' || rest[0] == '(') {
		closing := "]"
		if rest[0] == '(' {
			closing = ")"
		}
		end := strings.Index(rest, closing)
		if end < 0 || strings.Trim(rest[1:end], "0123456789") != "" {
			return s, false
		}
		rest = strings.TrimLeftFunc(rest[end+1:], unicode.IsSpace)
	}
	switch {
	case strings.HasPrefix(rest, ":"):
		return rest[1:], true
	case strings.HasPrefix(rest, "："):
		return rest[len("："):], true
	}
	return s, false
}

// isReplyWord says whether w is one of the replyPrefixes, in any case.
func isReplyWord(w string) bool {
	if w == "" {
		return false
	}
	lw := strings.ToLower(w)
	for _, p := range replyPrefixes {
		if lw == p {
			return true
		}
	}
	return false
}
