package desk

import (
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// scopeCond restricts col (a unit id column) to the scope.
func scopeCond(col string, s core.Scope) (string, []any) {
	if s.All {
		return "", nil
	}
	if len(s.UnitIDs) == 0 {
		return " AND 1 = 0", nil
	}
	args := make([]any, len(s.UnitIDs))
	for i, id := range s.UnitIDs {
		args[i] = id
	}
	return " AND " + col + " IN (" + db.Placeholders(len(args)) + ")", args
}

// nullable stores the empty string as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

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
