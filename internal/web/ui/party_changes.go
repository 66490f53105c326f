package ui

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
)

// changesShown is how many recorded changes the 360° page lists.
const changesShown = 10

// partyChange is one line of a party's change history as the page shows it.
type partyChange struct {
	At     time.Time
	Who    string
	Action string // audit action, e.g. party.update
	Fields []fieldChange
}

// fieldChange is one field's old and new value, written for reading.
type fieldChange struct {
	Field, Old, New string
}

// changesOf turns audit entries into lines, fields in alphabetical order.
func changesOf(entries []audit.Entry) []partyChange {
	out := make([]partyChange, 0, len(entries))
	for _, e := range entries {
		c := partyChange{At: e.At, Who: e.AgentName, Action: e.Action}
		if c.Who == "" {
			c.Who = e.AgentLogin
		}
		var detail map[string]audit.Change
		if e.Action == "party.update" || e.Action == "party.convert" {
			if err := json.Unmarshal(e.Detail, &detail); err == nil {
				for field, ch := range detail {
					c.Fields = append(c.Fields, fieldChange{Field: field, Old: valueText(ch.Old), New: valueText(ch.New)})
				}
				slices.SortFunc(c.Fields, func(a, b fieldChange) int { return strings.Compare(a.Field, b.Field) })
			}
		}
		out = append(out, c)
	}
	return out
}

// valueText writes a recorded value: lists joined, objects (an address)
// as their values in key order, booleans as ✓ and ✗.
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "✓"
		}
		return "✗"
	case []any:
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = valueText(item)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var parts []string
		for _, k := range keys {
			if s := valueText(x[k]); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	default:
		return fmt.Sprint(x)
	}
}
