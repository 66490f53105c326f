package ui

import (
	"html/template"
	"time"

	"github.com/rapport-crm/rapport/internal/desk"
)

// This file formats what the desk's pages show of a request, as page
// methods the templates call: {{$.Customer .}}, {{$.Due . $.Now}},
// {{$.ChannelIcon .Channel}}.

// deskChannelIcons are the pictograms of the channels a request comes by.
var deskChannelIcons = map[string]string{
	desk.ChannelEmail:   "at-sign",
	desk.ChannelWebForm: "clipboard-list",
	desk.ChannelPhone:   "phone",
	desk.ChannelChat:    "messages-square",
}

// ChannelIcon is the pictogram of a request's channel.
func (page) ChannelIcon(channel string) template.HTML { return icon(deskChannelIcons[channel]) }

// Customer names who a request is from: the linked party, the name typed,
// the address or the phone number.
func (page) Customer(r desk.Request) string {
	for _, v := range []string{r.PartyName, r.CustomerName, r.CustomerEmail, r.CustomerPhone} {
		if v != "" {
			return v
		}
	}
	return ""
}

// deskDue is the due time a request is measured against now: its first
// response while none was sent, its resolution while it is not closed.
type deskDue struct {
	At       time.Time // zero when nothing is due
	Kind     string    // first_response or resolution
	Breached bool
}

// Due is the due time of request r at now, and whether a target is missed.
func (page) Due(r desk.Request, now time.Time) deskDue {
	first, resolution := r.Breached(now)
	switch {
	case r.Status == desk.StatusClosed:
		return deskDue{Kind: "resolution", Breached: resolution}
	case r.FirstResponseAt == nil && r.FirstResponseDue != nil:
		return deskDue{At: *r.FirstResponseDue, Kind: "first_response", Breached: first}
	case r.ResolutionDue != nil:
		return deskDue{At: *r.ResolutionDue, Kind: "resolution", Breached: resolution || first}
	}
	return deskDue{Breached: first}
}

// deskRows is a table of requests, as the desk and the party page show them.
type deskRows struct {
	page
	Requests []desk.Request
	Now      time.Time
}

// DeskRows hands a list of requests to the "desk_rows" template.
func (p page) DeskRows(rs []desk.Request, now time.Time) deskRows {
	return deskRows{page: p, Requests: rs, Now: now}
}
