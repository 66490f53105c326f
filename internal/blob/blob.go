// Package blob keeps file contents (attachments today, the desk's mail
// tomorrow) outside the database, by the SHA-256 of their content: the
// same content is stored once, whoever sends it and however often. The
// database keeps what a file is (name, type, size) and its hash; the Store
// keeps the bytes. Disk is the store under the data directory; an
// S3-compatible store can implement the same interface (none exists yet).
package blob

import (
	"context"
	"io"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// Info describes a stored file.
type Info struct {
	Hash string // SHA-256 of the content in lower-case hex: the file's key
	Size int64  // in bytes
	// Written is when the content was last put: a Put of content already
	// stored refreshes it, so a collector sparing recent files spares a
	// file whose database row is being written.
	Written time.Time
}

// Store keeps file contents by their SHA-256. Every method is safe for
// concurrent use, by several processes too (instances sharing a volume or
// a bucket).
type Store interface {
	// Put stores everything r gives and returns its hash and size. It is
	// idempotent: the same content twice is one file. A file is visible
	// under its hash only once complete and durable, never partly written.
	Put(ctx context.Context, r io.Reader) (Info, error)
	// Open reads a file; a hash not stored is core.NotFound.
	Open(ctx context.Context, hash string) (io.ReadCloser, error)
	// Stat describes a file; a hash not stored is core.NotFound.
	Stat(ctx context.Context, hash string) (Info, error)
	// Delete removes a file. Deleting a file not stored is not an error,
	// so a retried deletion (jobs run at least once) succeeds.
	Delete(ctx context.Context, hash string) error
	// DeleteIfStale deletes a file last put before before and reports
	// whether it did; a file not stored is not deleted, without error. It
	// is what a collector calls: a Put of the same content running at the
	// same moment either refreshes the file first (it is kept) or writes
	// it anew, so a file whose row is about to commit is never lost. (An
	// S3-compatible store, lacking a conditional delete on time, would
	// compare LastModified then delete, leaving a short window open.)
	DeleteIfStale(ctx context.Context, hash string, before time.Time) (bool, error)
	// List calls fn for every stored file, in no particular order, until
	// fn returns an error, which List then returns.
	List(ctx context.Context, fn func(Info) error) error
}

// Exists reports whether s holds a file of this hash.
func Exists(ctx context.Context, s Store, hash string) (bool, error) {
	_, err := s.Stat(ctx, hash)
	if core.ErrorCode(err) == core.NotFound {
		return false, nil
	}
	return err == nil, err
}

// ValidHash reports whether h is a hash as the store names files: 64
// lower-case hexadecimal digits. Anything else (a path, "..") is never
// looked up.
func ValidHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for _, c := range h {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// notFound is the error of a hash the store does not hold.
func notFound(hash string) error {
	if len(hash) > 64 {
		hash = hash[:64]
	}
	return core.Errorf(core.NotFound, "file %q not found", hash)
}
