package content

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameRunes is the longest file name kept, in characters.
const MaxNameRunes = 200

// CleanName returns a file name as sent, made safe to store and to offer
// for download: the last element of a path, without control or
// bidirectional-override characters (which disguise "gpj.exe" as
// "exe.jpg"), characters Windows refuses, or trailing dots and spaces,
// shortened to MaxNameRunes with its extension kept. It is "" when nothing
// is left.
func CleanName(raw string) string {
	name := strings.ToValidUTF8(raw, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), r == '\u200b', r == '\ufeff':
			return -1
		case strings.ContainsRune(`"<>:|?*`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.TrimRight(strings.TrimSpace(name), ". ")
	if name == "" || name == "." || name == ".." {
		return ""
	}
	if utf8.RuneCountInString(name) > MaxNameRunes {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 20 {
			ext = ""
		}
		runes := []rune(strings.TrimSuffix(name, ext))
		name = string(runes[:MaxNameRunes-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}
