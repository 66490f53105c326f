package leads

import "testing"

func TestALeadGoesToTheFirstRuleWhoseCriteriaAllMatchElseTheNamedUnitElseTheEstablishment(t *testing.T) {
	rules := []Rule{
		{Position: 1, Source: "comparator", Product: "car_insurance", UnitID: "U-cars"},
		{Position: 2, PostalCodePrefix: "69", UnitID: "U-lyon"},
		{Position: 3, Source: "comparator", UnitID: "U-comparator"},
		{Position: 4, Product: "mortgage", PostalCodePrefix: "75", UnitID: "U-paris-mortgage"},
	}
	for _, c := range []struct {
		name                    string
		source, product, postal string
		named                   string
		want                    Routing
	}{
		{"source and product both match rule 1", "comparator", "car_insurance", "75002", "",
			Routing{Route: RouteRule, UnitID: "U-cars", Rule: 1, Label: "source=comparator product=car_insurance"}},
		{"rule 1 needs both: the postal code rule 2 wins", "comparator", "savings", "69002", "",
			Routing{Route: RouteRule, UnitID: "U-lyon", Rule: 2, Label: "postal_code=69…"}},
		{"first match wins over a later one (rule 1 before rule 3)", "comparator", "car_insurance", "69002", "",
			Routing{Route: RouteRule, UnitID: "U-cars", Rule: 1, Label: "source=comparator product=car_insurance"}},
		{"source alone", "comparator", "savings", "13001", "",
			Routing{Route: RouteRule, UnitID: "U-comparator", Rule: 3, Label: "source=comparator"}},
		{"product and postal code prefix", "website", "mortgage", "75011", "",
			Routing{Route: RouteRule, UnitID: "U-paris-mortgage", Rule: 4, Label: "product=mortgage postal_code=75…"}},
		{"the prefix is a prefix, not a substring", "website", "mortgage", "17500", "",
			Routing{Route: RouteDefault, UnitID: "EST"}},
		{"a source is matched exactly", "comparator-2", "", "", "",
			Routing{Route: RouteDefault, UnitID: "EST"}},
		{"no rule matches: the unit named by the sender", "website", "savings", "13001", "U-named",
			Routing{Route: RouteUnit, UnitID: "U-named"}},
		{"a rule matches: it wins over the named unit", "website", "savings", "69001", "U-named",
			Routing{Route: RouteRule, UnitID: "U-lyon", Rule: 2, Label: "postal_code=69…"}},
		{"nothing: the establishment", "website", "savings", "", "",
			Routing{Route: RouteDefault, UnitID: "EST"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := RouteLead(rules, c.source, c.product, c.postal, c.named, "EST"); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestARuleWithoutCriteriaTakesEveryLead(t *testing.T) {
	rules := []Rule{{Position: 1, Source: "branch", UnitID: "U-branch"}, {Position: 2, UnitID: "U-all"}}
	got := RouteLead(rules, "website", "", "", "U-named", "EST")
	if got != (Routing{Route: RouteRule, UnitID: "U-all", Rule: 2, Label: "any lead"}) {
		t.Errorf("got %+v", got)
	}
	if name := (Lead{Route: RouteRule, RouteRule: 2, RouteLabel: got.Label}).RouteName(); name != "rule 2: any lead" {
		t.Errorf("route name %q", name)
	}
	if name := (Lead{Route: RouteDefault}).RouteName(); name != "default" {
		t.Errorf("route name %q", name)
	}
}
