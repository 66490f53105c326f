package realmail_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/internal/mail/realmail"
)

// outcome records how Require ended a test, without ending the real one.
type outcome struct {
	testing.TB
	skipped, failed string
}

func (o *outcome) Helper() {}

func (o *outcome) Skipf(format string, args ...any) {
	o.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (o *outcome) Fatalf(format string, args ...any) {
	o.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// requireWithoutServers runs Require against ports where nothing listens.
func requireWithoutServers(t *testing.T, demand string) *outcome {
	t.Setenv("RAPPORT_TEST_MAIL", demand)
	t.Setenv("RAPPORT_TEST_MAIL_IMAP", "127.0.0.1:1")
	t.Setenv("RAPPORT_TEST_MAIL_SMTP", "127.0.0.1:1")
	o := &outcome{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		realmail.Require(o)
	}()
	<-done
	return o
}

func TestWithoutTheServersATestIsSkippedAndToldHowToStartThem(t *testing.T) {
	o := requireWithoutServers(t, "")
	if o.failed != "" || !strings.Contains(o.skipped, ".ci/mailservers") {
		t.Errorf("skipped %q, failed %q: want a skip naming .ci/mailservers", o.skipped, o.failed)
	}
}

func TestWithoutTheServersATestFailsWhenRAPPORT_TEST_MAILRequiresThem(t *testing.T) {
	o := requireWithoutServers(t, "1")
	if o.skipped != "" || !strings.Contains(o.failed, "RAPPORT_TEST_MAIL") || !strings.Contains(o.failed, ".ci/mailservers") {
		t.Errorf("skipped %q, failed %q: want a failure naming RAPPORT_TEST_MAIL and .ci/mailservers", o.skipped, o.failed)
	}
}
