package core

import "testing"

func TestASecondSubscriberDoesNotReplaceTheFirst(t *testing.T) {
	var s Subscribers[func(int)]
	var got []string
	s.Subscribe(func(n int) { got = append(got, "history") })
	s.Subscribe(func(n int) { got = append(got, "desk") })
	for _, fn := range s.List() {
		fn(1)
	}
	if len(got) != 2 || got[0] != "history" || got[1] != "desk" {
		t.Fatalf("told %v, want history then desk", got)
	}
}
