package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

func newDisk(t *testing.T) (*Disk, *core.FixedClock) {
	t.Helper()
	clock := core.NewFixedClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	d, err := NewDisk(t.TempDir(), clock)
	if err != nil {
		t.Fatal(err)
	}
	return d, clock
}

func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func read(t *testing.T, d *Disk, hash string) []byte {
	t.Helper()
	r, err := d.Open(context.Background(), hash)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// listed returns the hashes List gives.
func listed(t *testing.T, d *Disk) []string {
	t.Helper()
	var out []string
	if err := d.List(context.Background(), func(i Info) error { out = append(out, i.Hash); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAFileIsStoredUnderItsSHA256AndReadBack(t *testing.T) {
	d, clock := newDisk(t)
	ctx := context.Background()
	content := []byte("%PDF-1.7 relevé de compte")
	info, err := d.Put(ctx, bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if info.Hash != hashOf(content) || info.Size != int64(len(content)) || !info.Written.Equal(clock.Now()) {
		t.Errorf("put %+v", info)
	}
	want := filepath.Join(d.root, info.Hash[:2], info.Hash[2:4], info.Hash)
	if _, err := os.Stat(want); err != nil {
		t.Errorf("not at %s: %v", want, err)
	}
	if got := read(t, d, info.Hash); !bytes.Equal(got, content) {
		t.Errorf("read back %q", got)
	}
	st, err := d.Stat(ctx, info.Hash)
	if err != nil || st.Size != info.Size || !st.Written.Equal(clock.Now()) {
		t.Errorf("stat %+v %v", st, err)
	}
	if ok, err := Exists(ctx, d, info.Hash); !ok || err != nil {
		t.Errorf("exists: %v %v", ok, err)
	}
	if got := listed(t, d); len(got) != 1 || got[0] != info.Hash {
		t.Errorf("listed %v", got)
	}
}

// TestTheSameContentPutAgainIsOneFileWithItsTimeRefreshed: idempotent,
// and a collector's grace period counts from the last Put.
func TestTheSameContentPutAgainIsOneFileWithItsTimeRefreshed(t *testing.T) {
	d, clock := newDisk(t)
	ctx := context.Background()
	first, err := d.Put(ctx, bytes.NewReader([]byte("même contenu")))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(48 * time.Hour)
	second, err := d.Put(ctx, bytes.NewReader([]byte("même contenu")))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := d.Stat(ctx, first.Hash)
	if second.Hash != first.Hash || !st.Written.Equal(clock.Now()) {
		t.Errorf("second put %+v, stat %+v", second, st)
	}
	if got := listed(t, d); len(got) != 1 {
		t.Errorf("listed %v, want one file", got)
	}
	if left, _ := os.ReadDir(filepath.Join(d.root, tmpDir)); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestConcurrentPutsOfTheSameContentMakeOneWholeFile(t *testing.T) {
	d, _ := newDisk(t)
	content := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	var wg sync.WaitGroup
	hashes := make([]string, 8)
	errs := make([]error, 8)
	for i := range hashes {
		wg.Go(func() {
			info, err := d.Put(context.Background(), bytes.NewReader(content))
			hashes[i], errs[i] = info.Hash, err
		})
	}
	wg.Wait()
	for i := range hashes {
		if errs[i] != nil || hashes[i] != hashOf(content) {
			t.Fatalf("put %d: %s %v", i, hashes[i], errs[i])
		}
	}
	if got := read(t, d, hashOf(content)); !bytes.Equal(got, content) {
		t.Errorf("the file holds %d bytes, not the content", len(got))
	}
	if got := listed(t, d); len(got) != 1 {
		t.Errorf("listed %v", got)
	}
	if left, _ := os.ReadDir(filepath.Join(d.root, tmpDir)); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// pausedReader gives half its content, then waits for release.
type pausedReader struct {
	content       []byte
	half, release chan struct{}
	pos           int
	failAfterHalf bool
}

func (p *pausedReader) Read(b []byte) (int, error) {
	mid := len(p.content) / 2
	if p.pos == mid {
		close(p.half)
		<-p.release
		if p.failAfterHalf {
			return 0, errors.New("connection reset")
		}
	}
	end := len(p.content)
	if p.pos < mid {
		end = mid
	}
	n := copy(b, p.content[p.pos:end])
	p.pos += n
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// TestAFileBeingWrittenIsNotVisibleUnderItsName: half written, nothing is
// listed nor found; a Put whose sender fails leaves nothing behind.
func TestAFileBeingWrittenIsNotVisibleUnderItsName(t *testing.T) {
	for _, fail := range []bool{false, true} {
		d, _ := newDisk(t)
		ctx := context.Background()
		content := bytes.Repeat([]byte("scan "), 100000)
		r := &pausedReader{content: content, half: make(chan struct{}), release: make(chan struct{}), failAfterHalf: fail}
		done := make(chan error)
		go func() {
			_, err := d.Put(ctx, r)
			done <- err
		}()
		<-r.half
		if _, err := d.Stat(ctx, hashOf(content)); core.ErrorCode(err) != core.NotFound {
			t.Errorf("a half-written file is found: %v", err)
		}
		if got := listed(t, d); len(got) != 0 {
			t.Errorf("a half-written file is listed: %v", got)
		}
		close(r.release)
		err := <-done
		if fail {
			if err == nil {
				t.Error("a failed sender's Put succeeded")
			}
			if got := listed(t, d); len(got) != 0 {
				t.Errorf("a failed Put left %v", got)
			}
			if left, _ := os.ReadDir(filepath.Join(d.root, tmpDir)); len(left) != 0 {
				t.Errorf("a failed Put left temporary files: %v", left)
			}
			continue
		}
		if err != nil || !bytes.Equal(read(t, d, hashOf(content)), content) {
			t.Errorf("the completed Put: %v", err)
		}
	}
}

// TestACrashedPutsLeftoverIsRemovedAtOpening: the temporary file of a Put
// that never finished is not listed, and is removed when the store is
// opened again once it is old.
func TestACrashedPutsLeftoverIsRemovedAtOpening(t *testing.T) {
	d, clock := newDisk(t)
	old := filepath.Join(d.root, tmpDir, "put-crashed")
	fresh := filepath.Join(d.root, tmpDir, "put-running")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("half of a fi"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	if got := listed(t, d); len(got) != 0 {
		t.Errorf("temporary files listed: %v", got)
	}
	if _, err := NewDisk(d.root, clock); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the crashed Put's file is still there: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a running Put's file was removed: %v", err)
	}
}

func TestAMissingFileIsNotFoundAndDeletingItIsDone(t *testing.T) {
	d, _ := newDisk(t)
	ctx := context.Background()
	info, err := d.Put(ctx, bytes.NewReader([]byte("à supprimer")))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a deletion retried succeeds
		if err := d.Delete(ctx, info.Hash); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Open(ctx, info.Hash); core.ErrorCode(err) != core.NotFound {
		t.Errorf("open a deleted file: %v", err)
	}
	if ok, err := Exists(ctx, d, info.Hash); ok || err != nil {
		t.Errorf("exists: %v %v", ok, err)
	}
	for _, bad := range []string{"../../../etc/passwd", "", "ABCDEF", info.Hash[:63] + "/"} {
		if _, err := d.Open(ctx, bad); core.ErrorCode(err) != core.NotFound {
			t.Errorf("open %q: %v", bad, err)
		}
	}
}

func TestAPutStopsWithItsContext(t *testing.T) {
	d, _ := newDisk(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.Put(ctx, bytes.NewReader([]byte("trop tard"))); !errors.Is(err, context.Canceled) {
		t.Errorf("put after cancel: %v", err)
	}
	if got := listed(t, d); len(got) != 0 {
		t.Errorf("listed %v", got)
	}
}

func TestOnlyAFileNotPutSinceTheCutoffIsDeletedAsStale(t *testing.T) {
	d, clock := newDisk(t)
	ctx := context.Background()
	info, err := d.Put(ctx, bytes.NewReader([]byte("pièce jointe")))
	if err != nil {
		t.Fatal(err)
	}
	if gone, err := d.DeleteIfStale(ctx, info.Hash, clock.Now()); gone || err != nil {
		t.Errorf("a file put at the cutoff was deleted (%v)", err)
	}
	clock.Advance(time.Hour)
	if gone, err := d.DeleteIfStale(ctx, info.Hash, clock.Now()); !gone || err != nil {
		t.Errorf("a file put before the cutoff was kept (%v)", err)
	}
	if ok, _ := Exists(ctx, d, info.Hash); ok {
		t.Error("the stale file is still there")
	}
	if gone, err := d.DeleteIfStale(ctx, info.Hash, clock.Now()); gone || err != nil {
		t.Errorf("a missing file: %v %v", gone, err)
	}
	if left, _ := os.ReadDir(filepath.Join(d.root, tmpDir)); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestAFilePutWhileItIsCollectedIsNeverLost: an old file is put again (its
// row about to commit) while a collector deletes it as stale; whichever
// comes first, once both are done the file is there, whole.
func TestAFilePutWhileItIsCollectedIsNeverLost(t *testing.T) {
	d, clock := newDisk(t)
	ctx := context.Background()
	content := bytes.Repeat([]byte("relevé "), 1000)
	for i := range 200 {
		if _, err := d.Put(ctx, bytes.NewReader(content)); err != nil {
			t.Fatal(err)
		}
		clock.Advance(48 * time.Hour)
		cutoff := clock.Now().Add(-24 * time.Hour)
		var wg sync.WaitGroup
		var putErr, delErr error
		wg.Go(func() { _, putErr = d.Put(ctx, bytes.NewReader(content)) })
		wg.Go(func() { _, delErr = d.DeleteIfStale(ctx, hashOf(content), cutoff) })
		wg.Wait()
		if putErr != nil || delErr != nil {
			t.Fatal(putErr, delErr)
		}
		r, err := d.Open(ctx, hashOf(content))
		if err != nil {
			t.Fatalf("round %d: the file put again was lost: %v", i, err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, content) {
			t.Fatalf("round %d: the file holds %d bytes", i, len(got))
		}
	}
}
