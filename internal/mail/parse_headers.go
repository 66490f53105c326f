package mail

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// readHeaders fills the envelope fields of out from the message's header.
func readHeaders(h header, out *Parsed) {
	out.Subject = textHeader(h, "Subject", out)
	if from := addressHeader(h, "From", out); len(from) > 0 {
		out.From = from[0]
	} else if sender := addressHeader(h, "Sender", out); len(sender) > 0 {
		out.From = sender[0]
	}
	out.ReplyTo = addressHeader(h, "Reply-To", out)
	out.To = addressHeader(h, "To", out)
	out.Cc = addressHeader(h, "Cc", out)
	if ids := parseIDs(h.Get("Message-Id")); len(ids) > 0 {
		out.MessageID = ids[0]
	}
	out.InReplyTo = parseIDs(h.Get("In-Reply-To"))
	out.References = parseIDs(h.Get("References"))
	if d := strings.TrimSpace(h.Get("Date")); d != "" {
		t, err := mail.ParseDate(d)
		if err != nil {
			out.problem(false, "the Date header is not a date: "+clean(d))
		} else {
			out.Date = t
		}
	}
}

// textHeader is a header's decoded text on one line. Bytes that are not
// UTF-8 (a header written in an undeclared charset) are read as
// Windows-1252, which makes the message broken: the reading is a guess.
func textHeader(h header, name string, out *Parsed) string {
	raw := h.Get(name)
	if raw == "" {
		return ""
	}
	v, ok := decodeHeader(raw)
	if !ok {
		out.problem(false, "the "+name+" header names an unknown charset: shown encoded")
	}
	v, flaws := cleanText(v)
	noteHeaderFlaws(name, flaws, out)
	return oneLine(v)
}

// addressHeader reads an address header, noting raw bytes that are not
// UTF-8.
func addressHeader(h header, name string, out *Parsed) []Address {
	raw := h.Get(name)
	if raw == "" {
		return nil
	}
	_, flaws := cleanText(raw)
	noteHeaderFlaws(name, flaws, out)
	return parseAddresses(raw)
}

// noteHeaderFlaws records what cleaning a header changed.
func noteHeaderFlaws(name string, f textFlaws, out *Parsed) {
	if f.invalid {
		out.problem(true, "the "+name+" header holds bytes of an undeclared charset: read as Windows-1252")
	}
	if f.nul {
		out.problem(true, "the "+name+" header holds NUL bytes: removed")
	}
}

// parseIDs reads message ids (Message-ID, In-Reply-To, References): each
// <…> in order, without the brackets; a header without brackets is split on
// spaces and commas. Duplicates and empty ids are dropped.
func parseIDs(v string) []string {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	var ids []string
	add := func(id string) {
		id = strings.TrimSpace(clean(id))
		if id == "" || strings.ContainsAny(id, " \t\r\n<>()") {
			return
		}
		for _, seen := range ids {
			if seen == id {
				return
			}
		}
		ids = append(ids, id)
	}
	rest := v
	bracketed := false
	for {
		lt := strings.IndexByte(rest, '<')
		if lt < 0 {
			break
		}
		gt := strings.IndexByte(rest[lt:], '>')
		if gt < 0 {
			break
		}
		bracketed = true
		add(rest[lt+1 : lt+gt])
		rest = rest[lt+gt+1:]
	}
	if !bracketed {
		for _, f := range strings.FieldsFunc(v, func(r rune) bool {
			return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == utf8.RuneError
		}) {
			add(f)
		}
	}
	return ids
}
