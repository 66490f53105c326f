package party

import "github.com/rapport-crm/rapport/internal/core"

// ScopeCondition is the SQL condition, starting with " AND", that keeps the
// parties whose agency column col is in scope s ("" for the whole
// organisation), with its arguments. Packages that read what hangs off
// parties in SQL of their own (the history's detail view) filter with it, so
// the scope rule stays written once.
func ScopeCondition(col string, s core.Scope) (string, []any) { return scopeFilter(col, s) }

// DisplayName is the name a party is shown by: "Prénom Nom" for a person,
// the name of an organisation.
func DisplayName(kind, first, last, name string) string { return displayName(kind, first, last, name) }
