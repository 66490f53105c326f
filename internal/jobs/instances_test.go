package jobs

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// TestTwoInstancesRunAPeriodOnceAndEachJobOnce runs two runners, each on its
// own handle of one database as two instances would, with the same periodic
// job and a queue of jobs, and counts executions.
func TestTwoInstancesRunAPeriodOnceAndEachJobOnce(t *testing.T) {
	eachPair(t, func(t *testing.T, a, b *db.DB) {
		const jobs = 40
		var mu sync.Mutex
		runs := map[string]int{}
		record := func(ctx context.Context, j Job) error {
			mu.Lock()
			defer mu.Unlock()
			runs[j.ID]++
			return nil
		}
		periods := map[string]int{}
		retention := func(ctx context.Context, j Job) error {
			mu.Lock()
			defer mu.Unlock()
			periods[j.UniqueKey]++
			return nil
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var runners []*Runner
		for _, d := range []*db.DB{a, b} {
			r := newRunner(d, core.SystemClock{}, Options{PollInterval: 10 * time.Millisecond, Workers: 3})
			r.Handle("webhook.deliver", record)
			r.Handle("history.retention", retention)
			r.Schedule(Periodic{Kind: "history.retention", Every: time.Hour})
			runners = append(runners, r)
			wg.Add(1)
			go func() { defer wg.Done(); r.Run(ctx) }()
		}
		ids := map[string]bool{}
		for i := range jobs {
			id, err := runners[i%2].Insert(ctx, []*db.DB{a, b}[i%2], NewJob{Kind: "webhook.deliver", Args: map[string]int{"n": i}})
			if err != nil {
				t.Fatal(err)
			}
			ids[id] = true
		}
		deadline := time.Now().Add(30 * time.Second)
		for count(t, a, "SELECT COUNT(*) FROM jobs WHERE state = 'done'") < jobs+1 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for id := range ids {
			if runs[id] != 1 {
				t.Errorf("job %s ran %d times", id, runs[id])
			}
		}
		if len(runs) != jobs {
			t.Errorf("%d jobs ran, want %d", len(runs), jobs)
		}
		if len(periods) != 1 {
			t.Fatalf("periods run: %v", periods)
		}
		for key, n := range periods {
			if n != 1 {
				t.Errorf("period %s ran %d times", key, n)
			}
			if want := fmt.Sprintf("history.retention@%s", time.Now().UTC().Truncate(time.Hour).Format(time.RFC3339)); key != want && time.Now().Minute() != 0 {
				t.Errorf("period key %s, want %s", key, want)
			}
		}
	})
}
