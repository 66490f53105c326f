package content

import (
	"encoding/base64"
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

// Limits on the files of one message (an interaction, an email).
const (
	MaxFileSize  = 10 << 20 // one file, decoded
	MaxFilesSize = 20 << 20 // all the files of one message, decoded
	MaxFiles     = 50       // files per message
)

// The parts of a file Check names when it refuses one.
const (
	PartName    = "name"
	PartContent = "content"
	PartType    = "content_type"
)

// File is a file that passed Check: its cleaned name, the media type to
// store and its content.
type File struct {
	Name        string
	ContentType string
	Content     []byte
}

// refusal is why a file is refused: a reason code, written in English as
// an error.
type refusal struct{ core.Reason }

func (r refusal) Error() string { return r.English() }

// ReasonOf returns the reason code of an error DecodeBase64 or CheckType
// returned.
func ReasonOf(err error) core.Reason {
	if r, ok := err.(refusal); ok {
		return r.Reason
	}
	return core.Because("schema", "detail", err.Error())
}

// Check checks one file as sent: its name cleaned (and required), its size
// at most MaxFileSize, no program (by its first bytes, its extension or its
// declared type), and its declared media type not contradicted by the
// content (sniffed when none is declared). What is wrong is returned by
// part (PartName, PartContent, PartType); the File is usable only when
// nothing is.
func Check(name, declaredType string, content []byte) (File, core.Fields) {
	f := core.Fields{}
	file := File{Name: CleanName(name), Content: content}
	if file.Name == "" {
		f.Add(PartName, core.Required())
	}
	switch {
	case len(content) > MaxFileSize:
		f.Add(PartContent, core.Because("file_too_large", "max_mib", MaxFileSize>>20))
		return file, f
	case IsExecutable(content):
		f.Add(PartContent, core.Because("executable"))
		return file, f
	}
	if ExecutableName(file.Name) {
		f.Add(PartName, core.Because("executable_extension"))
	}
	ct, err := CheckType(declaredType, content)
	if err != nil {
		f.Add(PartType, ReasonOf(err))
	}
	file.ContentType = ct
	return file, f
}

// CheckTotal returns why a message's files are refused together (too many,
// too large in all), no reason (Code "") when they are not. sizes are their decoded sizes,
// one per file (zeros to check the count alone, before decoding).
func CheckTotal(sizes []int) core.Reason {
	if len(sizes) > MaxFiles {
		return core.Because("too_many_files", "max", MaxFiles)
	}
	total := 0
	for _, n := range sizes {
		total += n
	}
	if total > MaxFilesSize {
		return core.Because("files_too_large", "max_mib", MaxFilesSize>>20)
	}
	return core.Reason{}
}

// DecodeBase64 decodes a file's content sent in standard base64, with or
// without padding, ignoring the line breaks of MIME encoders. The decoded
// size is checked against MaxFileSize before decoding, so an oversized
// file costs no memory.
func DecodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return nil, refusal{core.Because("file_content")}
	}
	if base64.RawStdEncoding.DecodedLen(len(strings.TrimRight(s, "="))) > MaxFileSize {
		return nil, refusal{core.Because("file_too_large", "max_mib", MaxFileSize>>20)}
	}
	enc := base64.StdEncoding
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, refusal{core.Because("base64")}
	}
	return b, nil
}
