package mail

import "strings"

// maxReason bounds the human text kept as a bounce's reason.
const maxReason = 1000

// findBounce reads a delivery failure: a delivery status notification
// (RFC 3464) with a failed recipient, else a MAILER-DAEMON or postmaster
// message naming its X-Failed-Recipients (Exim). nil when it is neither.
func findBounce(root *node, out *Parsed) *Bounce {
	if status := findLeaf(root, isDeliveryStatus); status != nil {
		return bounceFromReport(root, status, out)
	}
	return bounceFromMailerDaemon(root, out)
}

// bounceFromReport reads the first failed recipient of a delivery status;
// a report where none failed (delayed, relayed, delivered) is no bounce.
func bounceFromReport(root, status *node, out *Parsed) *Bounce {
	for _, f := range fieldBlocks(string(status.content)) {
		recipient := f["final-recipient"]
		if recipient == "" {
			recipient = f["original-recipient"]
		}
		if recipient == "" && f["action"] == "" {
			continue // the per-message block
		}
		code := headerToken(f["status"])
		action := headerToken(f["action"])
		if action != "failed" && (action != "" || !strings.HasPrefix(code, "5")) {
			continue
		}
		b := &Bounce{
			Recipient: normalizeEmail(typedValue(recipient)),
			Status:    code,
			Reason:    firstRunes(typedValue(f["diagnostic-code"]), maxReason),
		}
		if b.Reason == "" {
			b.Reason = humanReason(out.Text)
		}
		b.MessageIDs = originalIDs(root, out)
		return b
	}
	return nil
}

// bounceFromMailerDaemon reads a bounce without delivery status: sent by
// MAILER-DAEMON or postmaster and naming the failed recipients in
// X-Failed-Recipients.
func bounceFromMailerDaemon(root *node, out *Parsed) *Bounce {
	failed := parseAddresses(root.header.Get("X-Failed-Recipients"))
	if len(failed) == 0 {
		return nil
	}
	sender := strings.ToLower(out.From.Email)
	if at := strings.IndexByte(sender, '@'); at >= 0 {
		sender = sender[:at]
	}
	if sender != "mailer-daemon" && sender != "postmaster" {
		return nil
	}
	reason := humanReason(out.Text)
	return &Bounce{
		Recipient:  failed[0].Email,
		Status:     statusCodeIn(reason),
		Reason:     reason,
		MessageIDs: originalIDs(root, out),
	}
}

// originalIDs finds the failed original's Message-ID: in the returned
// message or its headers, else in a copy quoted in the text (Exim), else the
// bounce's In-Reply-To, else its References.
func originalIDs(root *node, out *Parsed) []string {
	if orig := findLeaf(root, isReturnedMessage); orig != nil {
		if blocks := fieldBlocks(string(orig.content)); len(blocks) > 0 {
			if ids := parseIDs(blocks[0]["message-id"]); len(ids) > 0 {
				return ids[:1]
			}
		}
	}
	if ids := quotedMessageID(out.Text); len(ids) > 0 {
		return ids
	}
	if len(out.InReplyTo) > 0 {
		return out.InReplyTo
	}
	return out.References
}

// quotedMessageID finds a "Message-ID:" line in a text quoting the original.
func quotedMessageID(text string) []string {
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if len(line) > 11 && strings.EqualFold(line[:11], "message-id:") {
			return parseIDs(line[11:])
		}
	}
	return nil
}

// humanReason is the explanation a bounce gives people: its text up to the
// copy of the original (a line of dashes or the original's first headers).
func humanReason(text string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		t := strings.TrimSpace(line)
		lower := strings.ToLower(t)
		if strings.HasPrefix(t, "------") || strings.HasPrefix(lower, "return-path:") ||
			strings.HasPrefix(lower, "received:") {
			break
		}
		b.WriteString(line)
		if b.Len() > 4*maxReason {
			break
		}
	}
	return firstRunes(strings.TrimSpace(b.String()), maxReason)
}

// statusCodeIn finds the first enhanced status code (4.x.x or 5.x.x) in a
// text.
func statusCodeIn(text string) string {
	for _, w := range strings.Fields(text) {
		w = strings.Trim(w, "()[],;:")
		fields := strings.Split(w, ".")
		if len(fields) != 3 || (fields[0] != "4" && fields[0] != "5") {
			continue
		}
		if allDigits(fields[1]) && allDigits(fields[2]) {
			return w
		}
	}
	return ""
}

// allDigits says whether s is one to three decimal digits.
func allDigits(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// typedValue drops the type of a typed DSN field: "rfc822; bob@example.com"
// gives "bob@example.com", "smtp; 550 ..." gives "550 ...".
func typedValue(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, ';'); i > 0 && i < 20 && !strings.ContainsAny(v[:i], " @<") {
		v = v[i+1:]
	}
	return oneLine(clean(v))
}

// isDeliveryStatus matches the machine-readable part of a DSN.
func isDeliveryStatus(p *node) bool {
	return p.contentType == "message/delivery-status" || p.contentType == "message/global-delivery-status"
}

// isReturnedMessage matches the original message or headers a DSN returns.
func isReturnedMessage(p *node) bool {
	switch p.contentType {
	case "message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers":
		return true
	}
	return false
}

// findLeaf returns the first part, depth first, that matches.
func findLeaf(root *node, match func(*node) bool) *node {
	return root.find(match)
}

// fieldBlocks reads blocks of "Name: value" lines separated by blank lines
// (a delivery status, a header block), leniently: folded lines are joined,
// lines without a colon skipped. Names are lower-cased; the first value of a
// name in a block wins.
func fieldBlocks(s string) []map[string]string {
	var blocks []map[string]string
	var cur map[string]string
	last := ""
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, "\r\n")
		if strings.TrimSpace(line) == "" {
			if cur != nil {
				blocks = append(blocks, cur)
				cur, last = nil, ""
			}
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if cur != nil && last != "" {
				cur[last] += " " + strings.TrimSpace(line)
			}
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			last = ""
			continue
		}
		name = strings.ToLower(strings.TrimSpace(name))
		if cur == nil {
			cur = map[string]string{}
		}
		if _, seen := cur[name]; seen {
			last = ""
			continue
		}
		cur[name] = strings.TrimSpace(value)
		last = name
	}
	if cur != nil {
		blocks = append(blocks, cur)
	}
	return blocks
}
