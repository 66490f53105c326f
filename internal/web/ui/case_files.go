package ui

import (
	"errors"
	"io"
	"net/http"

	"github.com/rapport-crm/rapport/internal/content"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/httpx"
)

// caseDocument adds the file posted ("file", multipart) to the case; the
// store checks it like every upload (type sniffed, programs refused, size).
func (s *server) caseDocument(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, content.MaxFileSize+1<<20)
	refuse := func(err error) { s.caseRefused(w, r, err, caseDraft{Form: "document"}) }
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			refuse(core.Fields{"file": core.Because("file_too_large", "max_mib", content.MaxFileSize>>20)}.Err())
			return
		}
		refuse(core.Fields{"file": core.Required()}.Err())
		return
	}
	f, fh, err := r.FormFile("file")
	if err != nil {
		refuse(core.Fields{"file": core.Required()}.Err())
		return
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Cases.AddDocument(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), fh.Filename,
		fh.Header.Get("Content-Type"), data); err != nil {
		refuse(err)
		return
	}
	p := s.newPage(r, "case.title")
	s.redirect(w, r, "/cases/"+r.PathValue("id")+"#documents", p.T("case.document_added"))
}

// caseFile sends a letter or a document of the case.
func (s *server) caseFile(w http.ResponseWriter, r *http.Request) {
	el, rc, err := s.Cases.ElementFile(r.Context(), core.ActorFrom(r.Context()), r.PathValue("id"), r.PathValue("element"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	httpx.WriteDownload(w, el.FileName, el.ContentType, data)
}
