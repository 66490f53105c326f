package httpx

import (
	"mime"
	"net/http"
	"strconv"
)

// Disposition is the Content-Disposition of a download named name: always
// an attachment, never shown inline, with the RFC 2231 form for names
// beyond ASCII.
func Disposition(name string) string {
	if d := mime.FormatMediaType("attachment", map[string]string{"filename": name}); d != "" {
		return d
	}
	return "attachment"
}

// WriteDownload sends content as a file to save, with its stored type and
// the headers that keep a browser from interpreting it.
func WriteDownload(w http.ResponseWriter, name, contentType string, content []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", Disposition(name))
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(content)
}
