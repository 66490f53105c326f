package cases

import (
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/party"
)

// scopeCond restricts col (a unit id column) to the scope: the condition
// parties and requests are read under.
func scopeCond(col string, s core.Scope) (string, []any) { return party.ScopeCondition(col, s) }

// rootOf is the establishment at the head of a unit's path.
func rootOf(path string) string {
	root, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return root
}
