package desk_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/db/dbtest"
	"github.com/rapport-crm/rapport/internal/desk"
)

// TestTwoInstancesWatchAMailboxOnce: two instances run the mailbox
// watchers; one holds the mailbox's lease, mail delivered while they run
// becomes requests once each, and stopping releases the lease.
func TestTwoInstancesWatchAMailboxOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, cancel := context.WithCancel(f.ctx)
		var wg sync.WaitGroup
		for _, name := range []string{"instance-a", "instance-b"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.Desk.RunMailboxes(ctx, desk.WatchOptions{Instance: name, Every: 100 * time.Millisecond, Poll: 200 * time.Millisecond,
					MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
			}()
		}
		for i := range 5 {
			f.deliver(t, customerMail(fmt.Sprintf("w%d@example.org", i), fmt.Sprintf("w%d@example.org", i), fmt.Sprintf("Question %d", i), "Bonjour"))
		}
		deadline := time.Now().Add(15 * time.Second)
		for f.count(t, "SELECT COUNT(*) FROM desk_requests") < 5 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		var owner string
		f.DB.QueryRow(f.ctx, "SELECT lease_owner FROM desk_mailboxes WHERE id = ?", f.Mailbox.ID).Scan(&owner)
		time.Sleep(300 * time.Millisecond) // both would have fetched by now, were they both watching
		cancel()
		wg.Wait()
		if n := f.count(t, "SELECT COUNT(*) FROM desk_requests"); n != 5 {
			t.Fatalf("%d requests for 5 messages", n)
		}
		if owner != "instance-a" && owner != "instance-b" {
			t.Fatalf("lease owner %q", owner)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM desk_mailboxes WHERE lease_owner <> ''"); n != 0 {
			t.Fatalf("leases left after stopping: %d", n)
		}
	})
}
