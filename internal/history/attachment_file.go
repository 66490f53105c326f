package history

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// File is the content of an attachment, to download.
type File struct {
	ID            string
	InteractionID string
	Name          string
	ContentType   string
	Content       []byte
}

// attachmentsOf lists the files of interaction id in their order, without
// their content.
func attachmentsOf(ctx context.Context, q db.Querier, id string) ([]AttachmentInfo, error) {
	rows, err := q.Query(ctx, `SELECT id, name, content_type, size, inline,
		(content IS NOT NULL OR sha256 IS NOT NULL) AND purged_at IS NULL
		FROM interaction_attachments WHERE interaction_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("attachments of interaction %s: %w", id, err)
	}
	defer rows.Close()
	out := []AttachmentInfo{}
	for rows.Next() {
		var a AttachmentInfo
		if err := rows.Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &a.Inline, &a.Available); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttachmentFile returns file attachmentID of interaction interactionID,
// which the actor must be able to read as Interaction says (else NotFound),
// read from the file store (or from the database for a file not moved
// yet, see MoveAttachmentsToFiles).
// A file whose content retention removed is Gone. The download is written
// to the audit log, once per party of the interaction the actor sees.
// Requires history.read.
func (s *Store) AttachmentFile(ctx context.Context, actor *core.Actor, interactionID, attachmentID string) (File, error) {
	if err := actor.Require(core.PermHistoryRead); err != nil {
		return File{}, err
	}
	notFound := core.Errorf(core.NotFound, "attachment %s not found", attachmentID)
	if !core.ValidID(interactionID) || !core.ValidID(attachmentID) {
		return File{}, notFound
	}
	scope, scopeArgs := readableCondition("f.interaction_id", actor.Scope)
	f := File{ID: attachmentID, InteractionID: interactionID}
	var purged sql.NullInt64
	var hash sql.NullString
	err := s.db.QueryRow(ctx, `SELECT f.name, f.content_type, f.content, f.sha256, f.purged_at FROM interaction_attachments f
		WHERE f.id = ? AND f.interaction_id = ?`+scope, append([]any{attachmentID, interactionID}, scopeArgs...)...).
		Scan(&f.Name, &f.ContentType, &f.Content, &hash, &purged)
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, notFound
	}
	if err != nil {
		return File{}, fmt.Errorf("read attachment %s: %w", attachmentID, err)
	}
	if f.Content == nil && !hash.Valid || purged.Valid {
		return File{}, core.Errorf(core.Gone, "the file %s is no longer kept (retention)", f.Name)
	}
	if f.Content == nil {
		if f.Content, err = s.readFile(ctx, hash.String); err != nil {
			return File{}, fmt.Errorf("attachment %s: %w", attachmentID, err)
		}
	}
	shown, err := participants(ctx, s.db, interactionID, actor.Scope)
	if err != nil {
		return File{}, err
	}
	detail := map[string]string{"interaction_id": interactionID, "name": f.Name}
	if err := s.audit(ctx, actor, "history.attachment", "attachment", attachmentID, shown, detail); err != nil {
		return File{}, err
	}
	return f, nil
}

// readFile reads a file of the file store whole, checking it is the
// content its hash names: a file missing or altered is an internal error
// (the store and the database disagree), not the reader's.
func (s *Store) readFile(ctx context.Context, hash string) ([]byte, error) {
	r, err := s.files.Open(ctx, hash)
	if err != nil {
		return nil, &core.Error{Code: core.Internal, Message: "the file is missing from the file store", Err: err}
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, MaxAttachmentSize+1))
	if err != nil {
		return nil, fmt.Errorf("read file %s: %w", hash, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != hash {
		return nil, fmt.Errorf("file %s of the file store does not hold its content", hash)
	}
	return b, nil
}
