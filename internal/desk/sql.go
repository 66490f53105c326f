package desk

import (
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/party"
)

// scopeCond restricts col (a unit id column) to the scope: the same
// condition the parties are read under.
func scopeCond(col string, s core.Scope) (string, []any) { return party.ScopeCondition(col, s) }

// millisPtr stores a nil time as NULL.
func flagsOf(s string) []string {
	f := strings.Fields(s)
	if f == nil {
		return []string{}
	}
	return f
}

func addFlag(flags string, f string) string {
	for _, x := range strings.Fields(flags) {
		if x == f {
			return flags
		}
	}
	return strings.TrimSpace(flags + " " + f)
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
