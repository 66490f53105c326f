package imapin_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

// BenchmarkSync2000Messages syncs a folder of 2,000 messages of about
// 5 KB from the in-process server, from an empty state, committing into
// nothing: the intake's own cost, reported in messages/s.
func BenchmarkSync2000Messages(b *testing.B) {
	const n = 2000
	s := startMail(b, devmail.Options{})
	body := bytes.Repeat([]byte("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n"), 85) // ~5 KB
	err := devmail.Fill(s, desk, n, func(i int) []byte {
		return append(fmt.Appendf(nil, "From: customer%d@example.test\r\nTo: %s\r\nMessage-ID: <b%d@example.test>\r\nSubject: request %d\r\n\r\n", i, desk, i, i), body...)
	})
	if err != nil {
		b.Fatal(err)
	}
	cfg := config(b, s.IMAPAddr())
	fetched := 0
	commit := func(context.Context, imapin.Message) error { fetched++; return nil }
	for b.Loop() {
		if _, err := imapin.Sync(context.Background(), cfg, imapin.State{}, commit, imapin.AfterCommit{}); err != nil {
			b.Fatal(err)
		}
	}
	if fetched != n*b.N {
		b.Fatalf("fetched %d messages, want %d", fetched, n*b.N)
	}
	b.ReportMetric(float64(fetched)/b.Elapsed().Seconds(), "messages/s")
}
