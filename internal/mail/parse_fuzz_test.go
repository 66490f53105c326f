package mail

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds mutations of the testdata messages: Parse answers, clean,
// without recovering from a panic. `go test` runs the seeds; `go test
// -fuzz FuzzParse` searches further.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		p := Parse(raw)
		assertClean(t, p)
		assertNoPanic(t, "input", p)
	})
}
