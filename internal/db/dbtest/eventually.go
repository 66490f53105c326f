package dbtest

import (
	"testing"
	"time"
)

// Eventually polls cond every 50 ms for up to three seconds and fails the
// test with what when it never holds: for what another instance sees of a
// change only once it reads a cache's version again (at most once a
// second).
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("%s: not within 3 s", what)
}
