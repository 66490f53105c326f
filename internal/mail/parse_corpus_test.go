package mail

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFiles lists the MIME collections found on this machine: Python's
// email test messages (Debian package libpython3.11-testsuite) and enmime's
// own test data in the module cache.
func corpusFiles(t *testing.T) map[string][]string {
	found := map[string][]string{}
	python, _ := filepath.Glob("/usr/lib/python3*/test/test_email/data/msg_*.txt")
	found["python"] = python
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/jhillyerd/enmime/v2").Output()
	if dir := strings.TrimSpace(string(out)); err == nil && dir != "" {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".raw") || strings.HasSuffix(path, ".eml")) {
				found["enmime"] = append(found["enmime"], path)
			}
			return nil
		})
	} else {
		t.Logf("enmime's module directory not found: %v", err)
	}
	return found
}

// TestCorpusMessagesAreReadWithoutLoss feeds every message of the corpora:
// none makes the parser fail, every result is clean UTF-8, a broken one says
// why, and a message with a body that is not broken gives text, HTML or files.
func TestCorpusMessagesAreReadWithoutLoss(t *testing.T) {
	corpora := corpusFiles(t)
	total := 0
	for name, files := range corpora {
		total += len(files)
		if len(files) == 0 && os.Getenv("RAPPORT_TEST_MAIL") != "" {
			t.Errorf("RAPPORT_TEST_MAIL is set but the %s corpus is missing (Python's: apt-get install libpython3.11-testsuite)", name)
		}
	}
	if total == 0 {
		t.Skip("no MIME corpus on this machine (apt-get install libpython3.11-testsuite)")
	}
	for name, files := range corpora {
		var broken, auto, bounces, withParts, strict int
		for _, file := range files {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p := Parse(raw)
			assertClean(t, p)
			assertNoPanic(t, file, p)
			if readStrictly(raw) != nil {
				strict++
			}
			if !p.Broken && hasContent(rawBody(raw)) && nothingReadable(p) {
				t.Errorf("%s: a body was lost: no text, HTML or file, and not broken", file)
			}
			if p.Broken {
				broken++
			}
			if p.Auto {
				auto++
			}
			if p.Bounce != nil {
				bounces++
			}
			if len(p.Parts) > 0 {
				withParts++
			}
		}
		t.Logf("%s: %d messages (%d read by the strict reader), %d broken, %d automatic, %d bounces, %d with files",
			name, len(files), strict, broken, auto, bounces, withParts)
	}
}

// hasContent says whether a raw body holds more than MIME scaffolding:
// a line that is neither blank, nor a boundary, nor a part's header line.
func hasContent(body []byte) bool {
	for line := range bytes.Lines(body) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || bytes.HasPrefix(line, []byte("--")) {
			continue
		}
		name, _, found := bytes.Cut(line, []byte(":"))
		if found && len(name) > 0 && !bytes.ContainsAny(name, " \t") {
			continue
		}
		return true
	}
	return false
}

// assertNoPanic fails when Parse had to recover from a panic: it still
// answered, but a reader has a bug to look at.
func assertNoPanic(t testing.TB, name string, p *Parsed) {
	t.Helper()
	for _, problem := range p.Problems {
		if strings.HasPrefix(problem, "the message could not be read (") {
			t.Errorf("%s: the parser panicked: %s", name, problem)
		}
	}
}
