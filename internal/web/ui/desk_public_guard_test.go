package ui

import (
	"testing"
	"time"
)

func TestARateWindowFillsAndEmptiesWithTime(t *testing.T) {
	w := newRateWindow(2, 10*time.Minute)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	w.add("a", t0)
	w.add("a", t0.Add(time.Minute))
	if !w.full("a", t0.Add(2*time.Minute)) || w.full("b", t0) {
		t.Fatal("two posts of a fill the window; b is free")
	}
	if w.full("a", t0.Add(10*time.Minute)) {
		t.Error("the first post has left the window after 10 minutes")
	}
}
