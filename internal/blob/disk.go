package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// Disk is a Store in a directory: the file of hash abcdef… is
// ab/cd/abcdef…, written first to a temporary file under tmp/ (the same
// file system), synced, renamed to its name and its directory synced, so a
// crash leaves either the whole file or none under its name. Its
// modification time is the clock's time of its last Put.
type Disk struct {
	root  string
	clock core.Clock
}

// tmpDir holds files being written; staleTemp is the age past which a
// temporary file is a crashed Put's leftover.
const (
	tmpDir    = "tmp"
	staleTemp = time.Hour
)

// NewDisk opens (creating it when needed) the store in directory root and
// removes the temporary files a crashed Put left there more than an hour
// ago (by the file system's clock).
func NewDisk(root string, clock core.Clock) (*Disk, error) {
	if err := os.MkdirAll(filepath.Join(root, tmpDir), 0o750); err != nil {
		return nil, fmt.Errorf("file store %s: %w", root, err)
	}
	d := &Disk{root: root, clock: clock}
	entries, err := os.ReadDir(filepath.Join(root, tmpDir))
	if err != nil {
		return nil, fmt.Errorf("file store %s: %w", root, err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp {
			_ = os.Remove(filepath.Join(root, tmpDir, e.Name()))
		}
	}
	return d, nil
}

// path is where the file of a valid hash lives.
func (d *Disk) path(hash string) string {
	return filepath.Join(d.root, hash[:2], hash[2:4], hash)
}

// Put implements Store.
func (d *Disk) Put(ctx context.Context, r io.Reader) (Info, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, tmpDir), "put-*")
	if err != nil {
		return Info{}, fmt.Errorf("file store: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err != nil {
		return Info{}, fmt.Errorf("file store: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return Info{}, fmt.Errorf("file store: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Info{}, fmt.Errorf("file store: %w", err)
	}
	info := Info{Hash: hex.EncodeToString(h.Sum(nil)), Size: n, Written: d.clock.Now()}
	final := d.path(info.Hash)
	// Content already stored: the new copy is dropped, the old one's time
	// refreshed. Should it vanish meanwhile (a deletion), the copy is
	// renamed in its place below. Chtimes finds the file by its name and
	// then sets the time, not at once: a deletion renaming the file away
	// in between reads the old time and removes it although Chtimes
	// succeeds. The name is looked up again after: still there, any later
	// deletion reads the new time; gone, the copy takes its place.
	if err := os.Chtimes(final, info.Written, info.Written); err == nil {
		if _, err := os.Stat(final); err == nil {
			_ = os.Remove(tmp.Name())
			done = true
			return info, nil
		}
	}
	if err := os.Chtimes(tmp.Name(), info.Written, info.Written); err != nil {
		return Info{}, fmt.Errorf("file store: %w", err)
	}
	if err := d.mkdirs(filepath.Dir(final)); err != nil {
		return Info{}, err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Info{}, fmt.Errorf("file store: rename: %w", err)
	}
	done = true
	if err := syncDir(filepath.Dir(final)); err != nil {
		return Info{}, err
	}
	return info, nil
}

// mkdirs creates dir and its parent under the root when missing, syncing
// each parent that gained an entry so the new directory survives a crash.
func (d *Disk) mkdirs(dir string) error {
	for _, p := range []string{filepath.Dir(dir), dir} {
		err := os.Mkdir(p, 0o750)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("file store: %w", err)
		}
		if err := syncDir(filepath.Dir(p)); err != nil {
			return err
		}
	}
	return nil
}

// syncDir makes the entries of a directory (a rename, a new directory)
// durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("file store: sync %s: %w", dir, err)
	}
	return nil
}

// Open implements Store.
func (d *Disk) Open(ctx context.Context, hash string) (io.ReadCloser, error) {
	if !ValidHash(hash) {
		return nil, notFound(hash)
	}
	f, err := os.Open(d.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(hash)
	}
	if err != nil {
		return nil, fmt.Errorf("file store: %w", err)
	}
	return f, nil
}

// Stat implements Store.
func (d *Disk) Stat(ctx context.Context, hash string) (Info, error) {
	if !ValidHash(hash) {
		return Info{}, notFound(hash)
	}
	fi, err := os.Stat(d.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, notFound(hash)
	}
	if err != nil {
		return Info{}, fmt.Errorf("file store: %w", err)
	}
	return Info{Hash: hash, Size: fi.Size(), Written: fi.ModTime().UTC()}, nil
}

// Delete implements Store.
func (d *Disk) Delete(ctx context.Context, hash string) error {
	if !ValidHash(hash) {
		return nil
	}
	err := os.Remove(d.path(hash))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("file store: %w", err)
	}
	return nil
}

// DeleteIfStale implements Store. The file is first renamed away (tmp/),
// atomically: a Put of the same content that comes later finds no file and
// writes it anew. Its time is then read from the renamed file: a Put that
// came earlier refreshed it, and the file is linked back under its name.
func (d *Disk) DeleteIfStale(ctx context.Context, hash string, before time.Time) (bool, error) {
	if !ValidHash(hash) {
		return false, nil
	}
	final := d.path(hash)
	fi, err := os.Stat(final)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("file store: %w", err)
	}
	if !fi.ModTime().Before(before) {
		return false, nil
	}
	trash := filepath.Join(d.root, tmpDir, "delete-"+hash+"-"+core.NewID())
	if err := os.Rename(final, trash); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("file store: %w", err)
	}
	defer os.Remove(trash)
	fi, err = os.Stat(trash)
	if err != nil {
		return false, fmt.Errorf("file store: %w", err)
	}
	if fi.ModTime().Before(before) {
		return true, nil
	}
	// Put again meanwhile: back under its name, unless a Put wrote it anew.
	if err := os.Link(trash, final); err != nil && !errors.Is(err, fs.ErrExist) {
		return false, fmt.Errorf("file store: restore %s: %w", hash, err)
	}
	return false, syncDir(filepath.Dir(final))
}

// List implements Store. It reads the two levels of directories named by
// the hashes' first digits; the temporary files are not listed.
func (d *Disk) List(ctx context.Context, fn func(Info) error) error {
	tops, err := os.ReadDir(d.root)
	if err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	for _, top := range tops {
		if !top.IsDir() || !isHexPair(top.Name()) {
			continue
		}
		subs, err := os.ReadDir(filepath.Join(d.root, top.Name()))
		if err != nil {
			return fmt.Errorf("file store: %w", err)
		}
		for _, sub := range subs {
			if err := ctx.Err(); err != nil {
				return err
			}
			if !sub.IsDir() || !isHexPair(sub.Name()) {
				continue
			}
			if err := d.listDir(top.Name()+sub.Name(), fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// listDir calls fn for the files of the directory of hashes starting with
// prefix (four digits).
func (d *Disk) listDir(prefix string, fn func(Info) error) error {
	dir := filepath.Join(d.root, prefix[:2], prefix[2:])
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !ValidHash(name) || !strings.HasPrefix(name, prefix) {
			continue
		}
		fi, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted since the directory was read
		}
		if err != nil {
			return fmt.Errorf("file store: %w", err)
		}
		if err := fn(Info{Hash: name, Size: fi.Size(), Written: fi.ModTime().UTC()}); err != nil {
			return err
		}
	}
	return nil
}

func isHexPair(s string) bool {
	return len(s) == 2 && ValidHash(strings.Repeat(s, 32))
}

// ctxReader stops a copy once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
