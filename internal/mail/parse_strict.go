package mail

import (
	"bytes"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// maxDepth bounds the nesting the strict reader follows; deeper messages go
// to the lenient reader.
const maxDepth = 30

// readStrictly reads a well-formed message with go-message, which streams
// parts through the standard library's readers: fast. It returns nil at the
// first thing it cannot read (a malformed header, a boundary that never
// comes or is never closed, base64 or quoted-printable that does not decode,
// an unknown transfer encoding or charset, a multipart without parts), so
// the lenient reader, which mends and reports, reads that message instead;
// a panic in the strict reader sends the message there too.
func readStrictly(raw []byte) (root *node) {
	defer func() {
		if recover() != nil {
			root = nil
		}
	}()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) {
		return nil
	}
	n, ok := strictNode(e, err, "0", 0)
	if !ok {
		return nil
	}
	return n
}

// strictNode reads one entity and its parts.
func strictNode(e *message.Entity, entityErr error, id string, depth int) (*node, bool) {
	n := &node{id: id, header: &e.Header}
	if depth > maxDepth || !n.describe() {
		return nil, false
	}
	if strings.HasPrefix(n.contentType, "multipart/") {
		mr := e.MultipartReader()
		if mr == nil {
			return nil, false
		}
		for i := 1; ; i++ {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil && !message.IsUnknownCharset(err) {
				return nil, false
			}
			child, ok := strictNode(part, err, childID(id, i), depth+1)
			if !ok {
				return nil, false
			}
			n.children = append(n.children, child)
		}
		return n, len(n.children) > 0
	}
	data, err := io.ReadAll(e.Body)
	if err != nil {
		return nil, false
	}
	if message.IsUnknownCharset(entityErr) {
		if data, err = decodeCharset(n.charset, data); err != nil {
			return nil, false
		}
	}
	n.content = data
	return n, true
}
