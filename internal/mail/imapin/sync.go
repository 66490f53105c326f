package imapin

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/rapport-crm/rapport/internal/core"
)

// Message is one message fetched from the folder, as the server stores it.
type Message struct {
	UIDValidity, UID uint32
	Raw              []byte    // the whole message, byte for byte (BODY[])
	InternalDate     time.Time // when the server received it
}

// Commit stores m and advances the mailbox's State to {m.UIDValidity, m.UID}
// in one transaction. An error stops the sync; the same message is fetched
// again next time.
type Commit func(ctx context.Context, m Message) error

// AfterCommit is what to do to the server's messages once committed; the
// zero value leaves them as they are (the folder is even opened read-only).
type AfterCommit struct {
	MarkSeen bool   // add the \Seen flag
	MoveTo   string // move them to this folder ("" keeps them where they are)
}

func (a AfterCommit) none() bool { return !a.MarkSeen && a.MoveTo == "" }

// A batch holds at most batchMessages messages and, unless it is one
// message, at most batchBytes bytes: what is held in memory at once.
const (
	batchMessages = 100
	batchBytes    = 16 << 20
)

// Sync connects, logs in, selects cfg.Folder and fetches, in UID order,
// every message with a UID above state.LastUID (every message when the
// folder's UIDVALIDITY is not state.UIDValidity), calling commit for each,
// in batches. It returns the state of the last message committed (state
// itself when none was) and the error that stopped it, if any.
func Sync(ctx context.Context, cfg Config, state State, commit Commit, after AfterCommit) (State, error) {
	if commit == nil {
		return state, errors.New("imapin.Sync: no commit function")
	}
	s, err := open(ctx, cfg, imapclient.Options{})
	if err != nil {
		return state, err
	}
	defer s.close()
	return s.sync(ctx, state, commit, after)
}

// pending is a message still to fetch: its UID and size.
type pending struct {
	uid  imap.UID
	size int64
}

// sync selects the folder and fetches what is new on an open session.
func (s *session) sync(ctx context.Context, state State, commit Commit, after AfterCommit) (State, error) {
	sel, err := s.selectFolder(ctx, after.none())
	if err != nil {
		return state, err
	}
	from := state.LastUID
	if sel.UIDValidity != state.UIDValidity {
		from = 0
	}
	todo, err := s.pending(ctx, sel, from)
	if err != nil {
		return state, err
	}
	for _, batch := range batches(todo) {
		msgs, err := s.fetch(ctx, sel.UIDValidity, batch)
		if err != nil {
			return state, err
		}
		var done imap.UIDSet
		for _, m := range msgs {
			if err := ctx.Err(); err != nil {
				return state, errors.Join(fail(ctx, core.Unavailable, ErrFetch, "", err, ""), s.after(ctx, after, done))
			}
			if err := commit(ctx, m); err != nil {
				return state, errors.Join(fmt.Errorf("%w: message UID %d: %w", ErrCommit, m.UID, err), s.after(ctx, after, done))
			}
			state = State{UIDValidity: m.UIDValidity, LastUID: m.UID}
			done.AddNum(imap.UID(m.UID))
		}
		if err := s.after(ctx, after, done); err != nil {
			return state, err
		}
	}
	return state, nil
}

// pending lists the UIDs above from with their sizes, in UID order.
func (s *session) pending(ctx context.Context, sel *imap.SelectData, from uint32) ([]pending, error) {
	if sel.NumMessages == 0 || from == math.MaxUint32 || (sel.UIDNext != 0 && uint32(sel.UIDNext) <= from+1) {
		return nil, nil
	}
	// "from+1:*" also names the last message when its UID is below from+1,
	// so the answer is filtered.
	cmd := s.c.Fetch(imap.UIDSet{{Start: imap.UID(from + 1), Stop: 0}}, &imap.FetchOptions{UID: true, RFC822Size: true})
	var todo []pending
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		buf, err := msg.Collect()
		if err != nil {
			cmd.Close()
			return nil, s.fetchFailed(ctx, "list new messages", err)
		}
		if uint32(buf.UID) > from {
			todo = append(todo, pending{uid: buf.UID, size: buf.RFC822Size})
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, s.fetchFailed(ctx, "list new messages", err)
	}
	slices.SortFunc(todo, func(a, b pending) int { return cmp.Compare(a.uid, b.uid) })
	return slices.CompactFunc(todo, func(a, b pending) bool { return a.uid == b.uid }), nil
}

// batches cuts todo into the batches fetched one UID FETCH at a time.
func batches(todo []pending) [][]pending {
	var out [][]pending
	for len(todo) > 0 {
		n, size := 0, int64(0)
		for n < len(todo) && n < batchMessages && (n == 0 || size+todo[n].size <= batchBytes) {
			size += todo[n].size
			n++
		}
		out = append(out, todo[:n])
		todo = todo[n:]
	}
	return out
}

// fetch reads a batch's messages (BODY.PEEK[], so none is marked seen) in
// UID order; a message expunged meanwhile is simply absent.
func (s *session) fetch(ctx context.Context, validity uint32, batch []pending) ([]Message, error) {
	var set imap.UIDSet
	for _, p := range batch {
		set.AddNum(p.uid)
	}
	cmd := s.c.Fetch(set, &imap.FetchOptions{
		UID:          true,
		InternalDate: true,
		BodySection:  []*imap.FetchItemBodySection{{Peek: true}},
	})
	got := make(map[imap.UID]Message, len(batch))
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		m, err := readMessage(msg)
		if err != nil {
			cmd.Close()
			return nil, s.fetchFailed(ctx, "fetch", err)
		}
		if m.UID != 0 && m.Raw != nil {
			m.UIDValidity = validity
			got[imap.UID(m.UID)] = m
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, s.fetchFailed(ctx, "fetch", err)
	}
	out := make([]Message, 0, len(got))
	for _, p := range batch {
		if m, ok := got[p.uid]; ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// readMessage reads one message's UID, date and body from the stream.
func readMessage(msg *imapclient.FetchMessageData) (Message, error) {
	var m Message
	for item := msg.Next(); item != nil; item = msg.Next() {
		switch item := item.(type) {
		case imapclient.FetchItemDataUID:
			m.UID = uint32(item.UID)
		case imapclient.FetchItemDataInternalDate:
			m.InternalDate = item.Time
		case imapclient.FetchItemDataBodySection:
			if item.Literal == nil {
				return m, fmt.Errorf("message UID %d came without its body", m.UID)
			}
			var b bytes.Buffer
			b.Grow(int(min(item.Literal.Size(), 64<<20)))
			if _, err := b.ReadFrom(item.Literal); err != nil {
				return m, err
			}
			m.Raw = b.Bytes()
		}
	}
	return m, nil
}

// after applies the actions after commit to the committed UIDs.
func (s *session) after(ctx context.Context, after AfterCommit, done imap.UIDSet) error {
	if after.none() || len(done) == 0 {
		return nil
	}
	if after.MarkSeen {
		seen := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}
		if err := s.c.Store(done, seen, nil).Close(); err != nil {
			return fail(ctx, core.Unavailable, ErrAfter, "mark messages "+done.String()+" seen: "+serverText(err), err, s.cfg.Password)
		}
	}
	if after.MoveTo != "" {
		if _, err := s.c.Move(done, after.MoveTo).Wait(); err != nil {
			return fail(ctx, core.Unavailable, ErrAfter, "move messages "+done.String()+" to "+strconv.Quote(after.MoveTo)+": "+serverText(err), err, s.cfg.Password)
		}
	}
	return nil
}

// fetchFailed is the error of a command that failed on the open folder.
func (s *session) fetchFailed(ctx context.Context, what string, err error) error {
	return fail(ctx, core.Unavailable, ErrFetch, what+": "+serverText(err), err, s.cfg.Password)
}
