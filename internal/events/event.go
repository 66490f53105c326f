package events

import (
	"encoding/json"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
)

// Event is a notification for live pages: something changed that some
// agents' open pages should show (a request's unread badge, a lead alert).
// It says what changed, not the whole new state: a page that receives it
// fetches what it shows through the usual scoped reads.
type Event struct {
	ID       string          `json:"id"`       // set by Publish (UUIDv7)
	Topic    string          `json:"topic"`    // what kind of change, e.g. "desk.unread"
	Audience []string        `json:"audience"` // who may receive it: Everyone, Agent(id), Unit(id)
	Data     json.RawMessage `json:"data,omitempty"`
}

// Resync is the topic of the marker a subscription receives in place of
// events it missed (it read too slowly, or the listening connection to
// PostgreSQL dropped): the page refetches what it shows.
const Resync = "resync"

// Everyone is the audience entry that reaches every signed-in agent.
const Everyone = "all"

// Agent is the audience entry that reaches one agent.
func Agent(agentID string) string { return "agent:" + agentID }

// Unit is the audience entry that reaches every agent whose scope holds
// the unit (its own agents, those of the units above it, the whole
// organisation's).
func Unit(unitID string) string { return "unit:" + unitID }

// Reaches reports whether the event is meant for the actor. A nil actor
// stands for the application itself, which receives every event.
func (e Event) Reaches(a *core.Actor) bool {
	if a == nil || e.Topic == Resync {
		return true
	}
	for _, to := range e.Audience {
		switch {
		case to == Everyone:
			return true
		case a.AgentID != "" && to == Agent(a.AgentID):
			return true
		case len(to) > 5 && to[:5] == "unit:" && a.Scope.Contains(to[5:]):
			return true
		}
	}
	return false
}

// Filter chooses the events a subscription receives.
type Filter struct {
	Topics []string    // empty: every topic
	Actor  *core.Actor // only events whose audience reaches this actor; nil: all
}

// matches reports whether the filter lets e through. A Resync marker
// always passes.
func (f Filter) matches(e Event) bool {
	if e.Topic == Resync {
		return true
	}
	if len(f.Topics) > 0 && !slices.Contains(f.Topics, e.Topic) {
		return false
	}
	return e.Reaches(f.Actor)
}
