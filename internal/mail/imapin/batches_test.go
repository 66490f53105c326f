package imapin

import (
	"testing"

	"github.com/emersion/go-imap/v2"
)

func TestBatchesHoldAtMostAHundredMessagesAndSixteenMebibytes(t *testing.T) {
	var small []pending
	for i := range 1000 {
		small = append(small, pending{uid: imap.UID(i + 1), size: 5 << 10})
	}
	b := batches(small)
	if len(b) != 10 || len(b[0]) != 100 || b[9][99].uid != 1000 {
		t.Fatalf("1000 small messages: %d batches", len(b))
	}

	// A message bigger than a batch goes alone.
	big := []pending{{uid: 1, size: 10 << 20}, {uid: 2, size: 5 << 20}, {uid: 3, size: 2 << 20}, {uid: 4, size: 40 << 20}, {uid: 5, size: 1}}
	b = batches(big)
	if len(b) != 4 || len(b[0]) != 2 || len(b[1]) != 1 || len(b[2]) != 1 || b[3][0].uid != 5 {
		t.Fatalf("big messages cut as %v, want [1 2] [3] [4] [5]", b)
	}
}
