// Package cache keeps the in-memory copies instances make of what
// administrators configure (history settings and sources, catalogues) in
// step across instances: each cache has a row in cache_versions whose
// version every save moves on inside its own transaction, and an instance
// compares it with the version its copy was read at, at most once a
// second, before using the copy. A save on one instance is thus used by
// every other within about a second, on both engines, without relying on
// notifications that a dropped connection would lose.
package cache

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rapport-crm/rapport/internal/db"
)

// Access is the version of who may act, which two packages keep: org the
// actors of agents (moved by any change of an agent, a role or a unit) and
// auth the valid API tokens (moved by a revocation). Deactivating an agent
// revokes their tokens in org's transaction, so one version serves both.
const Access = "access"

// CheckEvery is how often an instance reads a cache's version at most.
const CheckEvery = time.Second

// Bump moves the version of the named cache on, through q: the save's
// transaction, so the version moves if and only if the save commits.
func Bump(ctx context.Context, q db.Querier, name string) error {
	_, err := q.Exec(ctx, `INSERT INTO cache_versions (name, version) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET version = cache_versions.version + 1`, name)
	if err != nil {
		return fmt.Errorf("move cache %s on: %w", name, err)
	}
	return nil
}

// Version is what an instance knows of one cache's stored version. The
// zero value is ready: it knows nothing yet. The pace of its checks is
// the machine's own time, not the application's clock, which tests hold
// still.
type Version struct {
	mu       sync.Mutex
	seen     int64     // the version last read
	known    bool      // seen has been read
	checked  time.Time // when it was last read or a read started
	checking bool
}

// Changed reports whether the copy must be dropped before use: the stored
// version of the named cache differs from the one read before (or none was
// read yet). It reads the version at most once per CheckEvery; meanwhile,
// and while another caller reads it, it answers false. A copy must be
// (re)built after Changed is called, so that it is at least as new as the
// version Changed saw.
func (v *Version) Changed(ctx context.Context, q db.Querier, name string) (bool, error) {
	v.mu.Lock()
	if v.checking || (v.known && time.Since(v.checked) < CheckEvery) {
		v.mu.Unlock()
		return false, nil
	}
	v.checking, v.checked = true, time.Now()
	v.mu.Unlock()

	var stored int64
	err := q.QueryRow(ctx, "SELECT version FROM cache_versions WHERE name = ?", name).Scan(&stored)
	if errors.Is(err, sql.ErrNoRows) {
		stored, err = 0, nil // never saved
	}

	v.mu.Lock()
	defer v.mu.Unlock()
	v.checking = false
	if err != nil {
		v.checked = time.Time{} // read again next time
		return false, fmt.Errorf("version of cache %s: %w", name, err)
	}
	changed := !v.known || stored != v.seen
	v.seen, v.known = stored, true
	return changed, nil
}
