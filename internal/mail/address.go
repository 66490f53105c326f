package mail

import (
	"net/mail"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// Address is a mailbox: a display name (may be empty) and an email address,
// trimmed, its domain lower-cased (the local part keeps its case, which only
// its own server may interpret).
type Address struct{ Name, Email string }

// String writes the address as in a header, its name encoded when it is not
// ASCII.
func (a Address) String() string {
	return (&mail.Address{Name: a.Name, Address: a.Email}).String()
}

// normalizeEmail trims an address and lower-cases its domain.
func normalizeEmail(e string) string {
	e = strings.TrimSpace(oneLine(e))
	e = strings.TrimSuffix(strings.TrimPrefix(e, "<"), ">")
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return e
	}
	return e[:at] + strings.ToLower(e[at:])
}

// parseAddresses reads an address header (From, To, Cc, Reply-To): strictly
// first, with enmime, which decodes encoded names and forgives missing
// commas; when that fails, piece by piece, so a malformed header still names
// whom it can.
func parseAddresses(raw string) []Address {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	list, err := enmime.ParseAddressList(raw)
	if err == nil {
		out := make([]Address, 0, len(list))
		for _, a := range list {
			if a == nil {
				continue
			}
			out = append(out, Address{Name: oneLine(clean(a.Name)), Email: normalizeEmail(clean(a.Address))})
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return parseAddressesLeniently(raw)
}

// parseAddressesLeniently splits a header on commas and semicolons outside
// quotes and angle brackets and reads each piece as "name <email>", "email
// (name)" or "email", keeping a piece without address as a name alone.
func parseAddressesLeniently(raw string) []Address {
	var out []Address
	for _, piece := range splitAddressList(raw) {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		var a Address
		if lt := strings.IndexByte(piece, '<'); lt >= 0 {
			rest := piece[lt+1:]
			if gt := strings.IndexByte(rest, '>'); gt >= 0 {
				rest = rest[:gt]
			}
			a.Email = rest
			a.Name = piece[:lt]
		} else {
			name := piece
			for _, word := range strings.Fields(piece) {
				if strings.Contains(word, "@") {
					a.Email = strings.Trim(word, `"'()[],;`)
					name = strings.Replace(piece, word, "", 1)
					break
				}
			}
			a.Name = strings.NewReplacer("(", "", ")", "").Replace(name)
		}
		name, _ := decodeHeader(strings.Trim(strings.TrimSpace(a.Name), `"' `))
		a.Name = oneLine(clean(name))
		a.Email = normalizeEmail(clean(a.Email))
		if a.Name != "" || a.Email != "" {
			out = append(out, a)
		}
	}
	return out
}

// splitAddressList cuts a list at commas and semicolons that are outside
// quotes, angle brackets and comments.
func splitAddressList(s string) []string {
	var out []string
	quoted, angle, paren := false, false, 0
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case c == '(':
			paren++
		case c == ')' && paren > 0:
			paren--
		case (c == ',' || c == ';') && !angle && paren == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
