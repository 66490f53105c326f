package imapin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/rapport-crm/rapport/internal/core"
)

// Watcher keeps one mailbox folder fetched: it syncs, then waits in IDLE
// when the server offers it (polls otherwise) and syncs again when the
// server announces new mail; after any failure it reconnects with
// exponential backoff.
type Watcher struct {
	Config func(ctx context.Context) (Config, error) // read again for each connection
	Load   func(ctx context.Context) (State, error)  // the committed state, read before every sync
	Commit Commit                                    // stores a message and advances the state
	After  AfterCommit                               // optional actions once committed

	Poll        time.Duration // between syncs without IDLE; 1 minute when 0
	ForcePoll   bool          // poll even when the server offers IDLE
	IdleRestart time.Duration // an IDLE is ended for a fresh sync after this long; 25 minutes when 0
	MinBackoff  time.Duration // first wait after a failure, doubled at each new one; 1 second when 0
	MaxBackoff  time.Duration // longest wait after a failure; 5 minutes when 0
	Logger      *slog.Logger  // nil: nothing is logged
}

// Run keeps the folder fetched until ctx is done, then returns nil; a
// failure (server down, login refused, database unavailable) is logged
// and retried, never returned.
func (w *Watcher) Run(ctx context.Context) error {
	if w.Config == nil || w.Load == nil || w.Commit == nil {
		return errors.New("imapin.Watcher: Config, Load and Commit are required")
	}
	wait := or(w.MinBackoff, time.Second)
	for {
		cfg, synced, err := w.connection(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if synced {
			wait = or(w.MinBackoff, time.Second)
		}
		if err == nil { // a poll: the connection is closed until the next one
			if !sleep(ctx, or(w.Poll, time.Minute)) {
				return nil
			}
			continue
		}
		d := jitter(wait)
		w.logger(cfg).Warn("mail intake failed", "error", redact(err.Error(), cfg.Password), "retry_in", d.Round(time.Millisecond))
		if !sleep(ctx, d) {
			return nil
		}
		wait = min(wait*2, or(w.MaxBackoff, 5*time.Minute))
	}
}

// connection runs one connection: syncs, then IDLEs and syncs again until
// something fails; in poll mode it syncs once and returns a nil error.
// synced says whether at least one sync succeeded.
func (w *Watcher) connection(ctx context.Context) (cfg Config, synced bool, err error) {
	cfg, err = w.Config(ctx)
	if err != nil {
		return cfg, false, fmt.Errorf("read the mailbox configuration: %w", err)
	}
	wake := make(chan struct{}, 1)
	opts := imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		},
	}}
	s, err := open(ctx, cfg, opts)
	if err != nil {
		return cfg, false, err
	}
	defer s.close()
	idle := !w.ForcePoll && s.c.Caps().Has(imap.CapIdle)
	w.logger(cfg).Debug("mail intake connected", "idle", idle)
	for {
		select { // what arrives from now on is fetched by this sync
		case <-wake:
		default:
		}
		if err := w.syncOnce(ctx, s); err != nil {
			return cfg, synced, err
		}
		synced = true
		if !idle {
			return cfg, true, nil
		}
		if err := s.idle(ctx, wake, or(w.IdleRestart, 25*time.Minute)); err != nil {
			return cfg, true, err
		}
	}
}

// syncOnce reads the committed state and syncs from it.
func (w *Watcher) syncOnce(ctx context.Context, s *session) error {
	state, err := w.Load(ctx)
	if err != nil {
		return fmt.Errorf("load the mailbox state: %w", err)
	}
	n := 0
	commit := func(ctx context.Context, m Message) error {
		if err := w.Commit(ctx, m); err != nil {
			return err
		}
		n++
		return nil
	}
	_, err = s.sync(ctx, state, commit, w.After)
	if n > 0 {
		w.logger(s.cfg).Info("mail fetched", "messages", n)
	}
	return err
}

// idle waits in IDLE until the server announces new mail (wake), restart
// has passed or ctx is done; it returns an error when the connection fails.
func (s *session) idle(ctx context.Context, wake <-chan struct{}, restart time.Duration) error {
	cmd, err := s.c.Idle()
	if err != nil {
		return fail(ctx, core.Unavailable, ErrConnect, "IDLE: "+serverText(err), err, s.cfg.Password)
	}
	ended := make(chan error, 1)
	go func() { ended <- cmd.Wait() }()
	t := time.NewTimer(restart)
	defer t.Stop()
	select {
	case <-wake:
	case <-t.C:
	case <-ctx.Done():
	case err := <-ended:
		if err == nil {
			err = errors.New("the server ended IDLE")
		}
		return fail(ctx, core.Unavailable, ErrConnect, "IDLE: "+serverText(err), err, s.cfg.Password)
	}
	if err := cmd.Close(); err != nil {
		return fail(ctx, core.Unavailable, ErrConnect, "end IDLE: "+serverText(err), err, s.cfg.Password)
	}
	if err := <-ended; err != nil {
		return fail(ctx, core.Unavailable, ErrConnect, "end IDLE: "+serverText(err), err, s.cfg.Password)
	}
	return ctx.Err()
}

// logger returns the watcher's logger with the mailbox named (never its
// password).
func (w *Watcher) logger(cfg Config) *slog.Logger {
	l := w.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	return l.With("host", cfg.Host, "login", cfg.Login, "folder", cfg.folder())
}

// jitter returns a random duration between d/2 and d, so that mailboxes
// failing together do not retry together.
func jitter(d time.Duration) time.Duration {
	if d < 2 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// sleep waits d or until ctx is done; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// or returns d, or def when d is not positive.
func or(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
