package mail

import (
	"strconv"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// collectPartProblems copies enmime's errors and warnings into Problems. An
// error, a part that could not be decoded, a boundary never closed (a
// truncated message) or base64 that does not decode make the message broken;
// a missing Content-Type (text is assumed) is not worth saying.
func collectPartProblems(root *enmime.Part, out *Parsed) {
	root.DepthMatchAll(func(p *enmime.Part) bool {
		for _, e := range p.Errors {
			if e == nil || e.Name == enmime.ErrorMissingContentType || e.Name == enmime.ErrorPlainTextFromHTML {
				continue
			}
			broken := e.Severe
			switch e.Name {
			case enmime.ErrorMissingBoundary, enmime.ErrorMalformedBase64,
				enmime.ErrorMalformedChildPart, enmime.ErrorDataHasBoundary:
				broken = true
			}
			out.problem(broken, e.Name+" (part "+p.PartID+"): "+firstRunes(e.Detail, 200))
		}
		return false
	})
}

// headerTroubleIn says whether enmime had to drop header lines of the
// message or join lines that were not indented: the header block may have
// swallowed text (a message without the blank line before its body).
func headerTroubleIn(root *enmime.Part) bool {
	for _, e := range root.Errors {
		if e != nil && e.Name == enmime.ErrorMalformedHeader &&
			(e.Severe || strings.HasPrefix(e.Detail, "Continued line")) {
			return true
		}
	}
	return false
}

// unreadableTypes reports the parts whose Content-Type could not be read at
// all: they are read as text, which may show encoded or binary content.
func unreadableTypes(root *enmime.Part, out *Parsed) {
	root.DepthMatchAll(func(p *enmime.Part) bool {
		if ct := p.Header.Get("Content-Type"); p.ContentType == "" && strings.TrimSpace(ct) != "" {
			out.problem(true, "the Content-Type "+strconv.Quote(firstRunes(clean(ct), 100))+" of part "+p.PartID+
				" could not be read: it is shown as text")
		}
		return false
	})
}
