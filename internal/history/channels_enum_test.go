package history

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The timeline's documented enums must list every channel, direction and
// outcome the history accepts, or the API would send what its OpenAPI
// document forbids.
func TestTheTimelinesDocumentedEnumsListEveryAcceptedValue(t *testing.T) {
	for field, values := range map[string][]string{"Channel": Channels, "Direction": {"inbound", "outbound"}, "Outcome": Outcomes} {
		f, _ := reflect.TypeFor[Entry]().FieldByName(field)
		enum := strings.Split(f.Tag.Get("enum"), ",")
		slices.Sort(enum)
		want := slices.Clone(values)
		slices.Sort(want)
		if !slices.Equal(enum, want) {
			t.Errorf("Entry.%s documents %v, the history accepts %v", field, enum, want)
		}
	}
}
