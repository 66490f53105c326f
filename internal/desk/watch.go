package desk

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

// LeaseTime is how long an instance holds a mailbox's intake without
// renewing; another instance takes the mailbox over once it lapses.
const LeaseTime = 90 * time.Second

// WatchOptions tune RunMailboxes; zero values take the defaults.
type WatchOptions struct {
	Instance string        // this instance's name in the leases (a new ID when empty)
	Every    time.Duration // how often mailboxes and leases are checked (30 s)
	Poll     time.Duration // the watchers' polling interval without IDLE (1 min)
	// MinBackoff and MaxBackoff bound the reconnection waits (1 s, 5 min).
	MinBackoff, MaxBackoff time.Duration
}

// RunMailboxes fetches every active mailbox until ctx ends. Each mailbox
// is watched by one instance at a time, the one holding its lease (renewed
// every Every); should two ever fetch the same mailbox, Intake still
// stores each message once. A mailbox down for a week is caught up when
// it comes back: the mark in the database says where to resume.
func (s *Store) RunMailboxes(ctx context.Context, o WatchOptions) {
	if o.Instance == "" {
		o.Instance = core.NewID()
	}
	if o.Every <= 0 {
		o.Every = 30 * time.Second
	}
	running := map[string]context.CancelFunc{}
	var wg sync.WaitGroup
	defer func() {
		for _, stop := range running {
			stop()
		}
		wg.Wait()
		s.releaseLeases(context.WithoutCancel(ctx), o.Instance)
	}()
	tick := time.NewTicker(o.Every)
	defer tick.Stop()
	for {
		ids, err := s.activeMailboxes(ctx)
		if err != nil && ctx.Err() == nil {
			s.logger.Warn("desk mailboxes", "err", err)
		}
		active := map[string]bool{}
		for _, id := range ids {
			active[id] = true
			// Not cancelled with ctx: a lease statement cut off by the
			// client may still commit on the server after releaseLeases
			// ran, leaving the lease held by a stopped instance.
			held, err := s.takeLease(context.WithoutCancel(ctx), id, o.Instance)
			if err != nil {
				s.logger.Warn("desk mailbox lease", "mailbox", id, "err", err)
				continue
			}
			if stop, ok := running[id]; ok && !held {
				stop() // another instance has it now
				delete(running, id)
			}
			if _, ok := running[id]; !ok && held {
				wctx, stop := context.WithCancel(ctx)
				running[id] = stop
				wg.Add(1)
				go func(id string) {
					defer wg.Done()
					s.watcher(id, o).Run(wctx)
				}(id)
			}
		}
		for id, stop := range running {
			if !active[id] {
				stop()
				delete(running, id)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// watcher returns the IMAP watcher of one mailbox: its settings and mark
// read from the database at each connection, Intake as its commit.
func (s *Store) watcher(id string, o WatchOptions) *imapin.Watcher {
	w := &imapin.Watcher{
		Config: func(ctx context.Context) (imapin.Config, error) {
			mb, err := s.mailbox(ctx, s.db, id)
			if err != nil {
				return imapin.Config{}, err
			}
			return s.imapConfig(mb)
		},
		Load: func(ctx context.Context) (imapin.State, error) {
			mb, err := s.mailbox(ctx, s.db, id)
			return imapin.State{UIDValidity: uint32(mb.uidValidity), LastUID: uint32(mb.lastUID)}, err
		},
		Commit:     func(ctx context.Context, m imapin.Message) error { return s.Intake(ctx, id, m) },
		Poll:       o.Poll,
		MinBackoff: o.MinBackoff,
		MaxBackoff: o.MaxBackoff,
		Logger:     s.logger.With("mailbox", id),
	}
	if mb, err := s.mailbox(context.Background(), s.db, id); err == nil {
		switch {
		case mb.AfterFetch == "seen":
			w.After.MarkSeen = true
		case strings.HasPrefix(mb.AfterFetch, "move:"):
			w.After.MoveTo = strings.TrimPrefix(mb.AfterFetch, "move:")
		}
	}
	return w
}

func (s *Store) activeMailboxes(ctx context.Context) ([]string, error) {
	rows, err := s.db.Query(ctx, "SELECT id FROM desk_mailboxes WHERE active AND imap_host <> '' ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// takeLease takes or renews the instance's lease on a mailbox and reports
// whether the instance holds it.
func (s *Store) takeLease(ctx context.Context, id, instance string) (bool, error) {
	now := s.clock.Now()
	res, err := s.db.Exec(ctx, `UPDATE desk_mailboxes SET lease_owner = ?, lease_until = ?
		WHERE id = ? AND (lease_owner = ? OR lease_owner = '' OR lease_until < ?)`,
		instance, core.Millis(now.Add(LeaseTime)), id, instance, core.Millis(now))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *Store) releaseLeases(ctx context.Context, instance string) {
	if _, err := s.db.Exec(ctx, "UPDATE desk_mailboxes SET lease_owner = '', lease_until = 0 WHERE lease_owner = ?", instance); err != nil {
		s.logger.Warn("desk mailbox leases", "err", err)
	}
}
