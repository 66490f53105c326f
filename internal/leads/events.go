package leads

import (
	"encoding/json"

	"github.com/rapport-crm/rapport/internal/events"
)

// TopicChanged is the live event of a lead created or (re)assigned, for
// the pages listing its unit's leads.
const TopicChanged = "lead.changed"

// leadEvent tells the agents whose scope holds the lead's unit that it changed.
func leadEvent(l Lead) events.Event {
	data, _ := json.Marshal(map[string]string{"lead": l.ID, "status": l.Status})
	return events.Event{Topic: TopicChanged, Audience: []string{events.Unit(l.UnitID)}, Data: data}
}
