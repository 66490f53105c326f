package ui

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
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
	if got := tr.Reason("fr", core.Because("required_for_person")); got != "obligatoire pour une personne" {
		t.Errorf("French reason: %q", got)
	}
	if got := tr.Reason("en", core.Because("required_for_person")); got != "required for a person" {
		t.Errorf("English reason: %q", got)
	}
	if got := tr.Reason("fr", core.TooLong(200)); got != "200 caractères au plus" {
		t.Errorf("French reason with a parameter: %q", got)
	}
	if got := tr.Reason("en", core.OneOf("inbound", "outbound")); got != "one of inbound, outbound" {
		t.Errorf("English reason with a list: %q", got)
	}
	if got := tr.Reason("fr", core.Because("some_new_code")); got != "some_new_code" {
		t.Errorf("unknown reason should be shown as its code, got %q", got)
	}
}

// TestEveryReasonCodeIsTranslated checks every reason code the Go sources
// give (core.Because("code", …) anywhere under internal/) is in core's table
// with an English message, and that both locale files translate every code
// of the table with the same parameters.
func TestEveryReasonCodeIsTranslated(t *testing.T) {
	known := map[string]bool{}
	for _, c := range core.ReasonCodes() {
		known[c] = true
	}
	used := regexp.MustCompile(`Because\("([a-z0-9_]+)"`)
	filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, _ := os.ReadFile(path)
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			if !known[m[1]] {
				t.Errorf("%s gives reason %q, missing from core's reason table", path, m[1])
			}
		}
		return nil
	})
	params := regexp.MustCompile(`{{\s*\.([a-z_]+)\s*}}`)
	names := func(s string) string {
		var out []string
		for _, m := range params.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return strings.Join(out, ",")
	}
	for _, lang := range languages {
		raw, _ := fs.ReadFile(assets, "locales/"+lang+".json")
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for _, code := range core.ReasonCodes() {
			msg, ok := m["reason."+code]
			switch {
			case !ok || msg == "":
				t.Errorf("%s.json lacks reason.%s", lang, code)
			case code != "schema" && code != "invalid_hours" && names(msg) != names(core.ReasonEnglish(code)):
				t.Errorf("%s.json reason.%s uses parameters %q, the code has %q", lang, code, names(msg), names(core.ReasonEnglish(code)))
			}
		}
		for key := range m {
			if code, ok := strings.CutPrefix(key, "reason."); ok && !known[code] {
				t.Errorf("%s.json has %s, which no code of core's table gives", lang, key)
			}
		}
	}
}

// osDir reads the package's own source directory.
type osDir struct{}

func (osDir) Open(name string) (fs.File, error) { return os.Open(name) }
