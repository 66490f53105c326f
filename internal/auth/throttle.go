package auth

import (
	"sync"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// The throttling rule: the first freeAttempts failures within window cost
// nothing; after that each attempt waits a delay that doubles per failure,
// from firstDelay up to maxDelay, counted from the latest failure.
const (
	freeAttempts = 5
	// ipFreeAttempts is the budget of one client IP across every login, so
	// spraying a few passwords over many logins from one address is slowed
	// too; an office behind one address still has room for its typos.
	ipFreeAttempts = 20
	window         = 15 * time.Minute
	firstDelay     = time.Second
	maxDelay       = 60 * time.Second
	maxTracked     = 100_000 // pairs kept in memory at most
)

// throttle slows password guessing per (login, client IP) pair, so an
// attacker elsewhere cannot lock the real user out. It lives in memory, per
// instance: several instances behind a load balancer each keep their own
// counts, which multiplies the attempts an attacker gets by their number.
type throttle struct {
	clock core.Clock
	free  int // failures within window that cost nothing
	mu    sync.Mutex
	pairs map[string][]time.Time // failed (or in-flight) attempts within window, oldest first
}

func newThrottle(clock core.Clock) *throttle {
	return &throttle{clock: clock, free: freeAttempts, pairs: map[string][]time.Time{}}
}

// newIPThrottle returns the throttle of client IPs, whatever the login.
func newIPThrottle(clock core.Clock) *throttle {
	return &throttle{clock: clock, free: ipFreeAttempts, pairs: map[string][]time.Time{}}
}

func throttleKey(login, clientIP string) string { return login + "\x00" + clientIP }

// attempt asks to try a password for key. It answers how long to wait when
// the attempt is refused; otherwise (0) it counts the attempt as a failure
// until succeed clears it, so a burst of parallel guesses is counted at once.
func (t *throttle) attempt(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.clock.Now()
	fails := recent(t.pairs[key], now)
	if n := len(fails); n >= t.free {
		delay := maxDelay
		if shift := n - t.free; shift < 6 {
			delay = min(firstDelay<<shift, maxDelay)
		}
		if wait := fails[n-1].Add(delay).Sub(now); wait > 0 {
			t.pairs[key] = fails
			return wait
		}
	}
	if len(t.pairs) >= maxTracked {
		t.sweep(now)
	}
	t.pairs[key] = append(fails, now)
	return 0
}

// succeed forgets the failures of key after a successful sign-in.
func (t *throttle) succeed(key string) {
	t.mu.Lock()
	delete(t.pairs, key)
	t.mu.Unlock()
}

// forgetOne takes back one attempt of key, counted while in flight, that
// turned out a success; the key's other failures stay counted.
func (t *throttle) forgetOne(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := len(t.pairs[key]); n > 0 {
		t.pairs[key] = t.pairs[key][:n-1]
	}
}

// recent drops the attempts older than window.
func recent(attempts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(attempts) && now.Sub(attempts[i]) >= window {
		i++
	}
	return attempts[i:]
}

// sweep forgets expired pairs, and arbitrary ones if memory is still full.
func (t *throttle) sweep(now time.Time) {
	for k, v := range t.pairs {
		if len(recent(v, now)) == 0 {
			delete(t.pairs, k)
		}
	}
	for k := range t.pairs {
		if len(t.pairs) < maxTracked {
			break
		}
		delete(t.pairs, k)
	}
}
