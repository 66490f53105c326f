package ui

import (
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/rapport-crm/rapport/internal/history"
)

// icons are the inner markup of the vendored Lucide icons
// (static/vendor/lucide, ISC licence), by name; built once from the
// embedded files, never changed after.
var icons = loadIcons()

var svgOpen = regexp.MustCompile(`(?s)<svg[^>]*>`)

func loadIcons() map[string]string {
	files, _ := fs.Glob(assets, "static/vendor/lucide/*.svg")
	out := make(map[string]string, len(files))
	for _, f := range files {
		b, err := fs.ReadFile(assets, f)
		if err != nil {
			continue
		}
		s := string(b)
		if i := strings.Index(s, "-->"); strings.HasPrefix(s, "<!--") && i >= 0 {
			s = s[i+3:]
		}
		s = svgOpen.ReplaceAllString(s, "")
		s = strings.Replace(s, "</svg>", "", 1)
		out[strings.TrimSuffix(path.Base(f), ".svg")] = strings.TrimSpace(s)
	}
	return out
}

// icon renders a vendored icon inline, hidden from assistive technology:
// the element around it carries the text alternative.
func icon(name string) template.HTML {
	inner, ok := icons[name]
	if !ok {
		inner = icons["circle-dot"]
	}
	return template.HTML(`<svg class="icon icon-` + name + `" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"` +
		` stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">` + inner + `</svg>`)
}

// channelIcons are the glyphs of the channels; calls have one per outcome
// and direction (callIcon).
var channelIcons = map[string]string{
	"email":        "at-sign",
	"letter":       "mail",
	"sms":          "message-square-text",
	"chat":         "messages-square",
	"notification": "bell",
	"face_to_face": "users",
	"video":        "video",
	"web_form":     "clipboard-list",
	"case":         "folder-open",
	"survey":       "smile", // an identified satisfaction answer (the timeline shows its mood, timeline_survey.go)
}

// callIcon is a call's glyph: who called and how it ended.
func callIcon(direction, outcome string) string {
	switch {
	case outcome == "voicemail":
		return "voicemail"
	case outcome == "unanswered" && direction == "inbound":
		return "phone-missed"
	case outcome == "unanswered":
		return "phone-off"
	case direction == "outbound":
		return "phone-outgoing"
	}
	return "phone-incoming"
}

// pictogramIcons renders a timeline line's pictogram: the call's glyph
// (direction and outcome in one), or the channel's glyph with an arrow
// for the direction.
func pictogramIcons(e history.Entry) template.HTML {
	if e.Channel == "phone" {
		return icon(callIcon(e.Direction, e.Outcome))
	}
	name, ok := channelIcons[e.Channel]
	if !ok {
		name = "circle-dot"
	}
	arrow := "arrow-down-left"
	if e.Direction == "outbound" {
		arrow = "arrow-up-right"
	}
	return icon(name) + `<span class="dir">` + icon(arrow) + `</span>`
}
