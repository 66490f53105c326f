package ui

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestCataloguesMatch checks both languages have the same messages and every
// message a template or handler asks for exists, so no page shows a raw key.
func TestCataloguesMatch(t *testing.T) {
	cats := map[string]map[string]string{}
	for _, lang := range languages {
		raw, err := fs.ReadFile(assets, "locales/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		cats[lang] = m
	}
	for key := range cats["fr"] {
		if _, ok := cats["en"][key]; !ok {
			t.Errorf("en.json lacks %q", key)
		}
	}
	for key := range cats["en"] {
		if _, ok := cats["fr"][key]; !ok {
			t.Errorf("fr.json lacks %q", key)
		}
	}
	// Literal keys in templates ({{.T "x.y"}}) and Go code (T("x.y")).
	literal := regexp.MustCompile(`\bT "([a-z_0-9]+\.[a-z_0-9.]+)"|\.T\("([a-z_0-9]+\.[a-z_0-9.]+)"`)
	check := func(name string, src []byte) {
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			key := m[1] + m[2]
			if _, ok := cats["fr"][key]; !ok {
				t.Errorf("%s uses %q, missing from the catalogues", name, key)
			}
		}
	}
	fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			src, _ := fs.ReadFile(assets, path)
			check(path, src)
		}
		return nil
	})
	goFiles, _ := fs.Glob(osDir{}, "*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := fs.ReadFile(osDir{}, f)
		check(f, src)
	}
}

func TestReasonsTranslated(t *testing.T) {
	tr := newTranslator()
	if got := tr.Reason("fr", "required for a person"); got != "obligatoire pour une personne" {
		t.Errorf("French reason: %q", got)
	}
	if got := tr.Reason("en", "required for a person"); got != "required for a person" {
		t.Errorf("English reason: %q", got)
	}
	if got := tr.Reason("fr", "some new reason"); got != "some new reason" {
		t.Errorf("unknown reason should be shown as written, got %q", got)
	}
}

// osDir reads the package's own source directory.
type osDir struct{}

func (osDir) Open(name string) (fs.File, error) { return os.Open(name) }
