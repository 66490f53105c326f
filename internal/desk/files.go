package desk

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
)

// reasonsKind is the catalogue of request reasons.
const reasonsKind = catalogue.RequestReasons

// checkUploads checks files an agent or a customer sends (names, sizes,
// programs refused, types against contents), naming each refused one as
// field[i].
func checkUploads(f core.Fields, field string, ups []Upload) []Upload {
	sizes := make([]int, len(ups))
	for i, u := range ups {
		sizes[i] = len(u.Data)
	}
	if why := content.CheckTotal(sizes); why.Code != "" {
		f.Add(field, why)
		return nil
	}
	out := make([]Upload, 0, len(ups))
	for i, u := range ups {
		// A name or type that is not text is refused, not cleaned away; a
		// long name is shortened (content.CleanName), an absurd one refused.
		if !core.CheckText(f, fmt.Sprintf("%s[%d].name", field, i), u.Name, core.MaxLongText) ||
			!core.CheckText(f, fmt.Sprintf("%s[%d].content_type", field, i), u.ContentType, core.MaxLongText) ||
			!core.CheckText(f, fmt.Sprintf("%s[%d].content_id", field, i), u.ContentID, core.MaxCode) {
			continue
		}
		file, bad := content.Check(u.Name, u.ContentType, u.Data)
		for part, why := range bad {
			f.Add(fmt.Sprintf("%s[%d].%s", field, i, part), why)
		}
		if len(bad) == 0 {
			out = append(out, Upload{Name: file.Name, ContentType: file.ContentType, Inline: u.Inline,
				ContentID: u.ContentID, Data: u.Data})
		}
	}
	return out
}

// putFiles writes checked files to the file store, before the transaction
// that references them (the collector keeps a file put recently).
func (s *Store) putFiles(ctx context.Context, ups []Upload) ([]File, error) {
	out := make([]File, 0, len(ups))
	for _, u := range ups {
		info, err := s.files.Put(ctx, bytes.NewReader(u.Data))
		if err != nil {
			return nil, fmt.Errorf("store file %s: %w", u.Name, err)
		}
		out = append(out, File{ID: core.NewID(), Name: u.Name, ContentType: u.ContentType, ContentID: u.ContentID,
			Inline: u.Inline, Size: info.Size, Hash: info.Hash})
	}
	return out, nil
}

// putRaw stores a raw message and returns its hash.
func (s *Store) putRaw(ctx context.Context, raw []byte) (string, error) {
	info, err := s.files.Put(ctx, bytes.NewReader(raw))
	if err != nil {
		return "", fmt.Errorf("store raw message: %w", err)
	}
	return info.Hash, nil
}

// readFile reads a stored file whole.
func (s *Store) readFile(ctx context.Context, hash string) ([]byte, error) {
	r, err := s.files.Open(ctx, hash)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}
