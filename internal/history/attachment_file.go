package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
	rows, err := q.Query(ctx, `SELECT id, name, content_type, size, inline, content IS NOT NULL AND purged_at IS NULL
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
// which the actor must be able to read as Interaction says (else NotFound).
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
	err := s.db.QueryRow(ctx, `SELECT f.name, f.content_type, f.content, f.purged_at FROM interaction_attachments f
		WHERE f.id = ? AND f.interaction_id = ?`+scope, append([]any{attachmentID, interactionID}, scopeArgs...)...).
		Scan(&f.Name, &f.ContentType, &f.Content, &purged)
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, notFound
	}
	if err != nil {
		return File{}, fmt.Errorf("read attachment %s: %w", attachmentID, err)
	}
	if f.Content == nil || purged.Valid {
		return File{}, core.Errorf(core.Gone, "the file %s is no longer kept (retention)", f.Name)
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
