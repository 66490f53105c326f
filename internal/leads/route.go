package leads

import (
	"strconv"
	"strings"
)

// Routing is where a lead goes and why: the rule that matched, the unit the
// sender named, or the establishment itself.
type Routing struct {
	Route  string // RouteRule, RouteUnit or RouteDefault
	UnitID string
	Rule   int    // the matching rule's position when Route is RouteRule
	Label  string // the matching rule's criteria when Route is RouteRule
}

// RouteLead chooses a lead's unit: the first rule, in position order, whose
// non-empty criteria all match (source and product exactly, the postal code
// by prefix; a rule without criteria matches every lead); else the unit the
// sender named when namedUnitID is set (already checked to be a unit of the
// establishment); else the establishment itself.
func RouteLead(rules []Rule, source, product, postalCode, namedUnitID, establishmentID string) Routing {
	for _, r := range rules {
		if r.Matches(source, product, postalCode) {
			return Routing{Route: RouteRule, UnitID: r.UnitID, Rule: r.Position, Label: r.Criteria()}
		}
	}
	if namedUnitID != "" {
		return Routing{Route: RouteUnit, UnitID: namedUnitID}
	}
	return Routing{Route: RouteDefault, UnitID: establishmentID}
}

// Matches reports whether every non-empty criterion of r holds for a lead.
func (r Rule) Matches(source, product, postalCode string) bool {
	return (r.Source == "" || r.Source == source) &&
		(r.Product == "" || r.Product == product) &&
		(r.PostalCodePrefix == "" || strings.HasPrefix(postalCode, r.PostalCodePrefix))
}

// Criteria writes r's non-empty criteria readably ("source=comparateur
// product=auto postal_code=69…"), "any lead" for a rule without any.
func (r Rule) Criteria() string {
	var parts []string
	if r.Source != "" {
		parts = append(parts, "source="+r.Source)
	}
	if r.Product != "" {
		parts = append(parts, "product="+r.Product)
	}
	if r.PostalCodePrefix != "" {
		parts = append(parts, "postal_code="+r.PostalCodePrefix+"…")
	}
	if len(parts) == 0 {
		return "any lead"
	}
	return strings.Join(parts, " ")
}

// RouteName is how a lead's routing is told to an API client: "rule 2:
// source=… product=…", "unit" or "default".
func (l Lead) RouteName() string {
	if l.Route == RouteRule {
		return "rule " + strconv.Itoa(l.RouteRule) + ": " + l.RouteLabel
	}
	return l.Route
}
