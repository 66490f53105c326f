package ui

import (
	"sync"
	"testing"
)

// Pages are parsed when first shown: every one must still parse, and two
// requests showing a page for the first time at once get the same template.
func TestEveryPageTemplateParsesOnceEvenWhenAskedForAtOnce(t *testing.T) {
	pages := parsePages()
	if len(pages) < 50 {
		t.Fatalf("%d page templates found, want the sixty or so of templates/", len(pages))
	}
	for name, p := range pages {
		got := make([]any, 4)
		var wg sync.WaitGroup
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tmpl, err := p.template()
				if err != nil {
					t.Errorf("%s: %v", name, err)
					return
				}
				if tmpl.Lookup("layout") == nil {
					t.Errorf("%s: parsed without the layout", name)
				}
				got[i] = tmpl
			}()
		}
		wg.Wait()
		for i := range got {
			if got[i] != got[0] {
				t.Fatalf("%s parsed more than once", name)
			}
		}
	}
}
