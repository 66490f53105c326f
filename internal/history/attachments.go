package history

import (
	"bytes"
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Attachment is a file that came with an interaction, as the ingestion API
// reads it: an email's attachment or inline image, a scanned letter.
type Attachment struct {
	Name          string `json:"name" doc:"The file name; paths and control characters are removed"`
	ContentType   string `json:"content_type,omitempty" doc:"Media type; checked against the content, sniffed when omitted"`
	ContentBase64 string `json:"content_base64" doc:"The content in standard base64, at most 10 MiB once decoded"`
	Inline        bool   `json:"inline,omitempty" doc:"An image shown in the body of an email"`
}

// Limits on the files of one item (those of the content package).
const (
	MaxAttachmentSize  = content.MaxFileSize  // one file, decoded
	MaxAttachmentsSize = content.MaxFilesSize // all the files of one item, decoded
	MaxAttachments     = content.MaxFiles     // files per item
)

// file is a checked attachment, decoded.
type file struct {
	name, contentType string
	inline            bool
	content           []byte
	sha256            string // its key in the file store, once put there
}

// checkAttachments validates and decodes an item's files by the content
// package's rules, adding what is wrong to f under names such as
// "attachments[1].content_base64".
func checkAttachments(list []Attachment, f core.Fields) []file {
	if why := content.CheckTotal(make([]int, len(list))); why.Code != "" { // the count, before decoding anything
		f.Add("attachments", why)
		return nil
	}
	files := make([]file, 0, len(list))
	sizes := make([]int, 0, len(list))
	for i, a := range list {
		field := func(name string) string { return fmt.Sprintf("attachments[%d].%s", i, name) }
		b, err := content.DecodeBase64(a.ContentBase64)
		if err != nil {
			if content.CleanName(a.Name) == "" {
				f.Add(field("name"), core.Required())
			}
			f.Add(field("content_base64"), content.ReasonOf(err))
			continue
		}
		sizes = append(sizes, len(b))
		checked, problems := content.Check(a.Name, a.ContentType, b)
		for _, part := range []string{content.PartName, content.PartContent, content.PartType} {
			if why, ok := problems[part]; ok {
				f.Add(field(attachmentField(part)), why)
			}
		}
		if len(problems) == 0 {
			files = append(files, file{name: checked.Name, contentType: checked.ContentType, inline: a.Inline, content: b})
		}
	}
	if why := content.CheckTotal(sizes); why.Code != "" {
		f.Add("attachments", why)
	}
	return files
}

// attachmentField names a part of a file as the ingestion API calls it.
func attachmentField(part string) string {
	if part == content.PartContent {
		return "content_base64"
	}
	return part
}

// putFiles writes the files of the items about to be stored to the file
// store, before their transaction: a file whose row is then not committed
// (a duplicate, a failed transaction) is left to CollectFiles, which spares
// it for a grace period.
func (s *Store) putFiles(ctx context.Context, items []checked) error {
	for n := range items {
		for i := range items[n].files {
			f := &items[n].files[i]
			stored, err := s.files.Put(ctx, bytes.NewReader(f.content))
			if err != nil {
				return fmt.Errorf("store the file %s: %w", f.name, err)
			}
			f.sha256 = stored.Hash
		}
	}
	return nil
}

// insertAttachments records the files of the items write has just stored
// (not those of duplicates): their metadata and their key in the file
// store, whose content putFiles wrote.
func insertAttachments(ctx context.Context, tx *db.Tx, items []checked, idx []int, results []Result) error {
	var rows [][]any
	for n, c := range items {
		res := results[idx[n]]
		if res.Status != Stored {
			continue
		}
		for pos, f := range c.files {
			rows = append(rows, []any{core.NewID(), res.InteractionID, pos, f.name, f.contentType, len(f.content), f.inline, f.sha256})
		}
	}
	return db.InsertMany(ctx, tx, `INSERT INTO interaction_attachments (id, interaction_id, position, name, content_type,
		size, inline, sha256) VALUES `, "(?, ?, ?, ?, ?, ?, ?, ?)", rows)
}
