package imapin_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/rapport-crm/rapport/internal/mail/devmail"
	"github.com/rapport-crm/rapport/internal/mail/imapin"
)

func TestSyncFetchesEveryMessageInUIDOrderAndAdvancesTheState(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 5)
	d := newDesk()
	state, err := imapin.Sync(context.Background(), config(t, s.IMAPAddr()), imapin.State{}, d.commit, imapin.AfterCommit{})
	if err != nil {
		t.Fatal(err)
	}
	_, stored := d.snapshot()
	if len(stored) != 5 {
		t.Fatalf("%d messages committed, want 5", len(stored))
	}
	for i, m := range stored {
		if m.UID != uint32(i+1) || !bytes.Equal(m.Raw, message(i)) || m.InternalDate.IsZero() {
			t.Fatalf("message %d: UID %d, raw %q, date %v", i, m.UID, m.Raw, m.InternalDate)
		}
	}
	if state.LastUID != 5 || state.UIDValidity == 0 || state.UIDValidity != stored[0].UIDValidity {
		t.Fatalf("state = %+v", state)
	}

	// Nothing new: the next sync commits nothing and keeps the state.
	again, err := imapin.Sync(context.Background(), config(t, s.IMAPAddr()), state, d.commit, imapin.AfterCommit{})
	if err != nil || again != state {
		t.Fatalf("second sync: state %+v, err %v; want %+v", again, err, state)
	}
	if _, stored := d.snapshot(); len(stored) != 5 {
		t.Fatalf("second sync committed again: %d messages", len(stored))
	}
}

func TestACommitErrorStopsTheSyncAndTheNextOneResumesAtThatMessage(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 10)
	d := newDesk()
	d.failAt = 4
	cfg := config(t, s.IMAPAddr())
	state, err := imapin.Sync(context.Background(), cfg, imapin.State{}, d.commit, imapin.AfterCommit{})
	if !errors.Is(err, errDatabase) || !errors.Is(err, imapin.ErrCommit) {
		t.Fatalf("err = %v, want the commit's error", err)
	}
	if state.LastUID != 3 {
		t.Fatalf("state after failure = %+v, want LastUID 3", state)
	}
	d.failAt = 0
	state, err = imapin.Sync(context.Background(), cfg, state, d.commit, imapin.AfterCommit{})
	if err != nil {
		t.Fatal(err)
	}
	_, stored := d.snapshot()
	if len(stored) != 10 || state.LastUID != 10 {
		t.Fatalf("after resuming: %d messages, state %+v; want 10", len(stored), state)
	}
	for i, m := range stored {
		if m.UID != uint32(i+1) {
			t.Fatalf("message %d has UID %d: lost or duplicated", i, m.UID)
		}
	}
}

func TestANewUIDValidityFetchesEveryMessageAgain(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 3)
	d := newDesk()
	cfg := config(t, s.IMAPAddr())
	first, err := imapin.Sync(context.Background(), cfg, imapin.State{}, d.commit, imapin.AfterCommit{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ResetFolder(desk, "INBOX"); err != nil {
		t.Fatal(err)
	}
	second, err := imapin.Sync(context.Background(), cfg, first, d.commit, imapin.AfterCommit{})
	if err != nil {
		t.Fatal(err)
	}
	_, stored := d.snapshot()
	if len(stored) != 6 {
		t.Fatalf("%d messages committed, want 3 then the same 3 again", len(stored))
	}
	if second.UIDValidity == first.UIDValidity || second.LastUID != 3 {
		t.Fatalf("state %+v after the reset, was %+v", second, first)
	}
	for _, m := range stored[3:] {
		if m.UIDValidity != second.UIDValidity {
			t.Fatalf("refetched message under UIDVALIDITY %d, want %d", m.UIDValidity, second.UIDValidity)
		}
	}
}

func TestAThousandMessageFolderIsFetchedWhole(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 1000)
	d := newDesk()
	state, err := imapin.Sync(context.Background(), config(t, s.IMAPAddr()), imapin.State{}, d.commit, imapin.AfterCommit{})
	if err != nil {
		t.Fatal(err)
	}
	_, stored := d.snapshot()
	if len(stored) != 1000 || state.LastUID != 1000 {
		t.Fatalf("%d messages, state %+v; want 1000", len(stored), state)
	}
	for i, m := range stored {
		if m.UID != uint32(i+1) || !bytes.Equal(m.Raw, message(i)) {
			t.Fatalf("message %d: UID %d", i, m.UID)
		}
	}
}

func TestByDefaultTheServersMessagesAreLeftUnseenWhereTheyAre(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 2)
	if _, err := imapin.Sync(context.Background(), config(t, s.IMAPAddr()), imapin.State{}, newDesk().commit, imapin.AfterCommit{}); err != nil {
		t.Fatal(err)
	}
	for _, flags := range flagsIn(t, s, "INBOX") {
		if hasFlag(flags, imap.FlagSeen) {
			t.Fatalf("a message was marked seen: %v", flags)
		}
	}
	if n := len(flagsIn(t, s, "INBOX")); n != 2 {
		t.Fatalf("INBOX holds %d messages, want 2", n)
	}
}

func TestAfterCommitMarksSeenAndMovesOnlyCommittedMessages(t *testing.T) {
	s := startMail(t, devmail.Options{})
	fill(t, s, 4)
	d := newDesk()
	d.failAt = 3
	after := imapin.AfterCommit{MarkSeen: true, MoveTo: "Trash"}
	if _, err := imapin.Sync(context.Background(), config(t, s.IMAPAddr()), imapin.State{}, d.commit, after); !errors.Is(err, errDatabase) {
		t.Fatalf("err = %v", err)
	}
	moved := flagsIn(t, s, "Trash")
	if len(moved) != 2 || !hasFlag(moved[0], imap.FlagSeen) || !hasFlag(moved[1], imap.FlagSeen) {
		t.Fatalf("Trash = %v, want the 2 committed messages, seen", moved)
	}
	left := flagsIn(t, s, "INBOX")
	if len(left) != 2 || hasFlag(left[0], imap.FlagSeen) {
		t.Fatalf("INBOX = %v, want the 2 uncommitted messages, unseen", left)
	}
}

// flagsIn returns the flags of every message of folder.
func flagsIn(t *testing.T, s *devmail.Server, folder string) [][]imap.Flag {
	t.Helper()
	c, err := imapclient.DialInsecure(s.IMAPAddr(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(desk, password).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if sel.NumMessages == 0 {
		return nil
	}
	msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]imap.Flag
	for _, m := range msgs {
		out = append(out, m.Flags)
	}
	return out
}

func hasFlag(flags []imap.Flag, f imap.Flag) bool {
	for _, g := range flags {
		if g == f {
			return true
		}
	}
	return false
}
