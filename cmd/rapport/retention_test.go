package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

func TestRetentionCommandRunsOnceADayAndPrintsTheCounts(t *testing.T) {
	t.Setenv("RAPPORT_DATABASE_URL", "sqlite:"+filepath.Join(t.TempDir(), "r.db"))
	t.Setenv("RAPPORT_LOG_LEVEL", "error")
	run := func() string {
		var out bytes.Buffer
		root := newRoot()
		root.SetOut(&out)
		root.SetArgs([]string{"retention"})
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	first := run()
	if !strings.Contains(first, "finished") || !strings.Contains(first, "total            0") {
		t.Errorf("first run printed:\n%s", first)
	}
	second := run()
	sameDay := first[:len("retention of 2026-11-23")] == second[:len("retention of 2026-11-23")] // not across midnight
	if sameDay && !strings.Contains(second, "already done") {
		t.Errorf("second run the same day printed:\n%s", second)
	}
}
