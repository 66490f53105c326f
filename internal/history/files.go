package history

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/db"
)

// FileGrace is how long a file of the file store is spared after it was
// last put, referenced or not: ingestion puts an item's files before the
// transaction that records them commits, so a file no row references yet
// may be about to be.
const FileGrace = 24 * time.Hour

// moveBatchBytes bounds the content one step of MoveAttachmentsToFiles
// reads from the database at once (a row is read even when larger).
const moveBatchBytes = 32 << 20

// MoveAttachmentsToFiles moves the content of attachments still held in
// the database (stored before the file store existed) to the file store,
// in batches each its own transaction: the files are put, then their rows
// get their hash and lose their content. It can stop anywhere (a crash, a
// cancelled context) and be run again: what is moved is not read again,
// and a file put for a row that was not updated is put again (the same
// file) or collected. The application runs it at start; it returns how many
// attachments it moved.
func (s *Store) MoveAttachmentsToFiles(ctx context.Context) (int, error) {
	moved := 0
	for {
		if err := ctx.Err(); err != nil {
			return moved, err
		}
		ids, err := s.attachmentsInDB(ctx)
		if err != nil || len(ids) == 0 {
			return moved, err
		}
		n, err := s.moveAttachments(ctx, ids)
		moved += n
		if err != nil {
			return moved, fmt.Errorf("move attachments to the file store: %w", err)
		}
	}
}

// inDBQuery selects attachments whose content is in the database, by the
// interaction_attachments_in_db index (empty once they are all moved).
const inDBQuery = "SELECT id, size FROM interaction_attachments WHERE content IS NOT NULL ORDER BY id LIMIT 100"

// attachmentsInDB returns the next attachments whose content is in the
// database, up to moveBatchBytes of content, by the
// interaction_attachments_in_db index.
func (s *Store) attachmentsInDB(ctx context.Context) ([]string, error) {
	rows, err := s.db.Query(ctx, inDBQuery)
	if err != nil {
		return nil, fmt.Errorf("attachments held in the database: %w", err)
	}
	defer rows.Close()
	var ids []string
	total := int64(0)
	for rows.Next() {
		var id string
		var size int64
		if err := rows.Scan(&id, &size); err != nil {
			return nil, err
		}
		if len(ids) > 0 && total+size > moveBatchBytes {
			break
		}
		ids, total = append(ids, id), total+size
	}
	return ids, rows.Err()
}

// moveAttachments moves the content of attachments ids to the file store.
func (s *Store) moveAttachments(ctx context.Context, ids []string) (int, error) {
	type row struct {
		id, hash string
		content  []byte
	}
	var todo []row
	err := db.EachIn(ctx, s.db, "SELECT id, content FROM interaction_attachments WHERE content IS NOT NULL AND id IN (%s)",
		nil, ids, func(rs *sql.Rows) error {
			var r row
			if err := rs.Scan(&r.id, &r.content); err != nil {
				return err
			}
			todo = append(todo, r)
			return nil
		})
	if err != nil {
		return 0, err
	}
	for i := range todo {
		info, err := s.files.Put(ctx, bytes.NewReader(todo[i].content))
		if err != nil {
			return 0, err
		}
		todo[i].hash = info.Hash
	}
	moved := 0
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		moved = 0
		for _, r := range todo {
			res, err := tx.Exec(ctx, `UPDATE interaction_attachments SET sha256 = ?, content = NULL
				WHERE id = ? AND content IS NOT NULL`, r.hash, r.id)
			if err != nil {
				return err
			}
			moved += affected(res)
		}
		return nil
	})
	return moved, err
}

// releaseFiles is called in a transaction that purges or deletes the
// attachments matching cond (a condition on interaction_attachments with
// its arguments): once it commits, their files are deleted, unless
// another attachment (the same content) still holds them or they were put
// again within FileGrace. A file that cannot be deleted then is left to
// CollectFiles.
func (s *Store) releaseFiles(ctx context.Context, tx *db.Tx, cond string, args []any) error {
	rows, err := tx.Query(ctx, `SELECT DISTINCT sha256 FROM interaction_attachments WHERE `+cond+`
		AND sha256 IS NOT NULL AND purged_at IS NULL`, args...)
	if err != nil {
		return fmt.Errorf("files of purged attachments: %w", err)
	}
	defer rows.Close()
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return err
		}
		hashes = append(hashes, h)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(hashes) > 0 {
		tx.AfterCommit(func() {
			_, _ = s.dropUnreferenced(context.WithoutCancel(ctx), hashes, s.clock.Now().Add(-FileGrace))
		})
	}
	return nil
}

// CollectFiles deletes the files of the file store that no attachment
// holds and that were last put more than FileGrace ago: those of
// transactions that did not commit, of duplicates, of deletions that
// failed after a purge. It returns how many it deleted. It is meant to run
// periodically; running it twice at once is harmless.
func (s *Store) CollectFiles(ctx context.Context) (int, error) {
	cutoff := s.clock.Now().Add(-FileGrace)
	deleted := 0
	var batch []string
	flush := func() error {
		n, err := s.dropUnreferenced(ctx, batch, cutoff)
		deleted, batch = deleted+n, batch[:0]
		return err
	}
	err := s.files.List(ctx, func(f blob.Info) error {
		if !f.Written.Before(cutoff) {
			return nil
		}
		if batch = append(batch, f.Hash); len(batch) >= 500 {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil {
		return deleted, fmt.Errorf("collect files: %w", err)
	}
	return deleted, nil
}

// heldQueries select which of a list (%s) of files are held: by the
// history's attachments (the interaction_attachments_file index), and by
// the desk's raw messages and message files, and the cases' letters and
// documents, which share the file store.
var heldQueries = []string{
	"SELECT DISTINCT sha256 FROM interaction_attachments WHERE purged_at IS NULL AND sha256 IN (%s)",
	"SELECT DISTINCT hash FROM desk_message_files WHERE hash IN (%s)",
	"SELECT DISTINCT raw_hash FROM desk_mail_keys WHERE raw_hash IN (%s)",
	"SELECT DISTINCT raw_hash FROM desk_messages WHERE raw_hash IN (%s)",
	"SELECT DISTINCT file_hash FROM case_elements WHERE file_hash IN (%s)",
}

// dropUnreferenced deletes those of files that no attachment holds and
// that were last put before cutoff. A file is checked for references, then
// deleted only if still not put since cutoff (blob.Store.DeleteIfStale):
// ingestion puts a file (refreshing its time) before its row commits, so a
// file about to be referenced again is kept.
func (s *Store) dropUnreferenced(ctx context.Context, files []string, cutoff time.Time) (int, error) {
	held := map[string]bool{}
	for _, q := range heldQueries {
		err := db.EachIn(ctx, s.db, q, nil, files, func(rs *sql.Rows) error {
			var h string
			err := rs.Scan(&h)
			held[h] = true
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("references of files: %w", err)
		}
	}
	deleted := 0
	for _, h := range files {
		if held[h] {
			continue
		}
		gone, err := s.files.DeleteIfStale(ctx, h, cutoff)
		if err != nil {
			return deleted, err
		}
		if gone {
			deleted++
		}
	}
	return deleted, nil
}
