package mail

import "github.com/jhillyerd/enmime/v2"

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

// headerTroubleIn says whether enmime had to drop or mend header lines of
// the message: the header block may have swallowed text.
func headerTroubleIn(root *enmime.Part) bool {
	for _, e := range root.Errors {
		if e != nil && e.Name == enmime.ErrorMalformedHeader {
			return true
		}
	}
	return false
}
