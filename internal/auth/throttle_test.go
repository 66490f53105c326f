package auth

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

func TestThrottleDelayDoublesPerFailureUpToAMinute(t *testing.T) {
	clock := core.NewFixedClock(time.Date(2025, 7, 11, 8, 0, 0, 0, time.UTC))
	th := newThrottle(clock)
	key := throttleKey("marie", "192.0.2.10")
	for i := 0; i < freeAttempts; i++ {
		if wait := th.attempt(key); wait != 0 {
			t.Fatalf("free attempt %d refused for %s", i+1, wait)
		}
	}
	for _, want := range []time.Duration{1, 2, 4, 8, 16, 32, 60, 60, 60} {
		want *= time.Second
		if wait := th.attempt(key); wait != want {
			t.Fatalf("wait = %s, want %s", wait, want)
		}
		clock.Advance(want - time.Millisecond)
		if wait := th.attempt(key); wait != time.Millisecond {
			t.Fatalf("just before the delay: wait = %s, want 1ms", wait)
		}
		clock.Advance(time.Millisecond)
		if wait := th.attempt(key); wait != 0 {
			t.Fatalf("after the delay of %s the attempt was refused for %s", want, wait)
		}
	}
}

func TestThrottleForgetsFailuresAfter15Minutes(t *testing.T) {
	clock := core.NewFixedClock(time.Date(2025, 7, 11, 8, 0, 0, 0, time.UTC))
	th := newThrottle(clock)
	key := throttleKey("marie", "192.0.2.10")
	for i := 0; i < freeAttempts; i++ {
		th.attempt(key)
	}
	if th.attempt(key) == 0 {
		t.Fatal("sixth immediate attempt allowed")
	}
	clock.Advance(window)
	for i := 0; i < freeAttempts; i++ {
		if wait := th.attempt(key); wait != 0 {
			t.Fatalf("attempt %d after 15 quiet minutes refused for %s", i+1, wait)
		}
	}
}

func TestThrottleSuccessResetsThePair(t *testing.T) {
	clock := core.NewFixedClock(time.Date(2025, 7, 11, 8, 0, 0, 0, time.UTC))
	th := newThrottle(clock)
	key := throttleKey("marie", "192.0.2.10")
	for i := 0; i < freeAttempts; i++ {
		th.attempt(key)
	}
	th.succeed(key)
	if wait := th.attempt(key); wait != 0 {
		t.Fatalf("attempt after a success refused for %s", wait)
	}
}
