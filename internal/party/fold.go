package party

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ligatures are letters that do not decompose into a base letter and marks.
var ligatures = map[rune]string{
	'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ß': "ss", 'ẞ': "ss",
	'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l", 'ı': "i",
}

// Fold turns s into the form names are indexed and searched by: lower case,
// accents removed, ligatures spelled out (œ→oe, æ→ae, ß→ss), anything that is
// neither a letter nor a digit turned into a space, spaces collapsed.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drops leading spaces and collapses runs
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if l, ok := ligatures[r]; ok {
			b.WriteString(l)
			space = false
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimRight(b.String(), " ")
}
