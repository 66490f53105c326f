package cases

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// AddNote adds a note to a case. Requires case.manage and the case in scope.
func (s *Store) AddNote(ctx context.Context, actor *core.Actor, caseID, title, body string) (Element, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Element{}, err
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	f := core.Fields{}
	core.CheckText(f, "title", title, core.MaxSubject)
	if body == "" {
		f.Add("body", core.Required())
	}
	core.CheckText(f, "body", body, core.MaxLongText)
	if err := f.Err(); err != nil {
		return Element{}, err
	}
	el := Element{Kind: ElementNote, Title: title, Body: body}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		h, err := headOf(ctx, tx, actor.Scope, caseID)
		if err != nil {
			return err
		}
		if el.ID, err = s.addElement(ctx, tx, actor, h.ID, el); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "case.note", "case", h.ID, h.PartyID, nil)
	})
	el.CreatedAt = s.clock.Now()
	return el, err
}

// AddDocument adds a file to a case, checked like every upload (type
// sniffed, executables refused, size bounded).
func (s *Store) AddDocument(ctx context.Context, actor *core.Actor, caseID, name, contentType string, data []byte) (Element, error) {
	if err := actor.Require(core.PermCaseManage); err != nil {
		return Element{}, err
	}
	f := core.Fields{}
	if core.CheckText(f, "name", name, core.MaxLongText) && core.CheckText(f, "content_type", contentType, core.MaxLongText) {
		if why := content.CheckTotal([]int{len(data)}); why.Code != "" {
			f.Add("file", why)
		}
	}
	if err := f.Err(); err != nil {
		return Element{}, err
	}
	file, bad := content.Check(name, contentType, data)
	if len(bad) > 0 {
		return Element{}, bad.Err()
	}
	if _, err := headOf(ctx, s.db, actor.Scope, caseID); err != nil {
		return Element{}, err
	}
	info, err := s.files.Put(ctx, bytes.NewReader(data))
	if err != nil {
		return Element{}, err
	}
	el := Element{Kind: ElementDocument, Title: file.Name, FileName: file.Name, ContentType: file.ContentType,
		Size: info.Size, FileHash: info.Hash}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		h, err := headOf(ctx, tx, actor.Scope, caseID)
		if err != nil {
			return err
		}
		if el.ID, err = s.addElement(ctx, tx, actor, h.ID, el); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "case.document", "case", h.ID, h.PartyID, map[string]any{"name": file.Name})
	})
	el.CreatedAt = s.clock.Now()
	return el, err
}

// ElementFile opens the file of a case's letter or document, within the
// actor's scope.
func (s *Store) ElementFile(ctx context.Context, actor *core.Actor, caseID, elementID string) (Element, io.ReadCloser, error) {
	c, err := s.Get(ctx, actor, caseID)
	if err != nil {
		return Element{}, nil, err
	}
	for _, list := range [][]Element{c.Elements.Letters, c.Elements.Documents} {
		for _, el := range list {
			if el.ID == elementID && el.FileHash != "" {
				r, err := s.files.Open(ctx, el.FileHash)
				return el, r, err
			}
		}
	}
	return Element{}, nil, core.Errorf(core.NotFound, "file %s not found in case %s", elementID, caseID)
}
