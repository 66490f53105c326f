package history

import (
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http" // only for http.DetectContentType, the WHATWG sniffing algorithm
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

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

// Limits on the files of one item.
const (
	MaxAttachmentSize  = 10 << 20 // one file, decoded
	MaxAttachmentsSize = 20 << 20 // all the files of one item, decoded
	MaxAttachments     = 50       // files per item
	maxNameRunes       = 200
)

// file is a checked attachment, decoded.
type file struct {
	name, contentType string
	inline            bool
	content           []byte
}

// checkAttachments validates and decodes an item's files, adding what is
// wrong to f under names such as "attachments[1].content_base64".
func checkAttachments(list []Attachment, f core.Fields) []file {
	if len(list) > MaxAttachments {
		f.Add("attachments", core.Because("too_many_files", "max", MaxAttachments))
		return nil
	}
	files := make([]file, 0, len(list))
	total := 0
	for i, a := range list {
		field := func(name string) string { return fmt.Sprintf("attachments[%d].%s", i, name) }
		name := cleanName(a.Name)
		if name == "" {
			f.Add(field("name"), core.Required())
		}
		content, why := decodeContent(a.ContentBase64)
		if why.Code != "" {
			f.Add(field("content_base64"), why)
			continue
		}
		total += len(content)
		if isExecutable(content) {
			f.Add(field("content_base64"), core.Because("executable"))
			continue
		}
		if executableName(name) {
			f.Add(field("name"), core.Because("executable_extension"))
		}
		ct, why := checkContentType(a.ContentType, content)
		if why.Code != "" {
			f.Add(field("content_type"), why)
			continue
		}
		files = append(files, file{name: name, contentType: ct, inline: a.Inline, content: content})
	}
	if total > MaxAttachmentsSize {
		f.Add("attachments", core.Because("files_too_large", "max_mib", MaxAttachmentsSize>>20))
	}
	return files
}

// decodeContent decodes standard base64, with or without padding, ignoring
// the line breaks of MIME encoders; the size is checked before decoding.
func decodeContent(s string) ([]byte, core.Reason) {
	s = strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return nil, core.Because("file_content")
	}
	if base64.RawStdEncoding.DecodedLen(len(strings.TrimRight(s, "="))) > MaxAttachmentSize {
		return nil, core.Because("file_too_large", "max_mib", MaxAttachmentSize>>20)
	}
	enc := base64.StdEncoding
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, core.Because("base64")
	}
	return b, core.Reason{}
}

// cleanName keeps the last element of a path, without control or
// bidirectional-override characters (which disguise "gpj.exe" as
// "exe.jpg"), characters Windows refuses, or trailing dots and spaces,
// shortened to maxNameRunes with its extension kept.
func cleanName(raw string) string {
	name := strings.ToValidUTF8(raw, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), r == '\u200b', r == '\ufeff':
			return -1
		case strings.ContainsRune(`"<>:|?*`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.TrimRight(strings.TrimSpace(name), ". ")
	if name == "" || name == "." || name == ".." {
		return ""
	}
	if utf8.RuneCountInString(name) > maxNameRunes {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 20 {
			ext = ""
		}
		runes := []rune(strings.TrimSuffix(name, ext))
		name = string(runes[:maxNameRunes-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

// executableExtensions are the extensions of files a click runs (Windows,
// scripts, installers, Java): refused whatever their declared type.
var executableExtensions = map[string]bool{
	".exe": true, ".com": true, ".bat": true, ".cmd": true, ".scr": true, ".pif": true, ".msi": true, ".msp": true,
	".dll": true, ".cpl": true, ".jar": true, ".js": true, ".jse": true, ".vbs": true, ".vbe": true, ".wsf": true,
	".wsh": true, ".hta": true, ".ps1": true, ".psm1": true, ".sh": true, ".lnk": true, ".reg": true, ".app": true,
	".apk": true, ".elf": true, ".run": true, ".command": true,
}

func executableName(name string) bool { return executableExtensions[strings.ToLower(path.Ext(name))] }

// isExecutable recognises programs by their first bytes: Windows (MZ), ELF,
// Mach-O and Java classes, and scripts starting with "#!".
func isExecutable(b []byte) bool {
	for _, magic := range []string{"MZ", "\x7fELF", "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe",
		"\xcf\xfa\xed\xfe", "\xca\xfe\xba\xbe", "#!"} {
		if strings.HasPrefix(string(b[:min(len(b), 4)]), magic) {
			return true
		}
	}
	return false
}

// executableTypes are media types of programs, refused like their content.
var executableTypes = map[string]bool{
	"application/x-msdownload": true, "application/x-msdos-program": true, "application/x-dosexec": true,
	"application/vnd.microsoft.portable-executable": true, "application/x-executable": true, "application/x-elf": true,
	"application/x-sharedlib": true, "application/x-mach-binary": true, "application/x-msi": true,
	"application/x-ms-installer": true, "application/x-sh": true, "application/x-csh": true, "application/x-bat": true,
	"application/java-archive": true, "application/x-java-archive": true, "application/java-vm": true,
	"application/javascript": true, "application/x-javascript": true, "text/javascript": true,
	"application/hta": true, "application/x-ms-shortcut": true, "text/x-shellscript": true,
}

// signed are the media types whose content starts with a signature that
// sniffing recognises: declared, the content must carry it; carried, the
// declaration must say so.
var signed = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/bmp": true, "image/webp": true,
	"image/x-icon": true, "image/vnd.microsoft.icon": true, "application/pdf": true, "application/postscript": true,
	"application/zip": true, "application/x-gzip": true, "application/x-rar-compressed": true, "application/ogg": true,
	"application/wasm": true, "audio/mpeg": true, "audio/wave": true, "audio/aiff": true, "audio/basic": true,
	"audio/midi": true, "video/mp4": true, "video/webm": true, "video/avi": true, "font/ttf": true, "font/otf": true,
	"font/woff": true, "font/woff2": true, "font/collection": true, "application/vnd.ms-fontobject": true,
}

// typeAliases maps common spellings to the names sniffing uses.
var typeAliases = map[string]string{
	"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-ms-bmp": "image/bmp",
	"application/x-pdf": "application/pdf", "application/x-zip-compressed": "application/zip",
	"application/x-zip": "application/zip", "application/gzip": "application/x-gzip",
	"application/vnd.rar": "application/x-rar-compressed", "application/x-rar": "application/x-rar-compressed",
	"audio/mp3": "audio/mpeg", "audio/wav": "audio/wave", "audio/x-wav": "audio/wave", "video/x-msvideo": "video/avi",
}

// zipBased reports whether a declared type is a format stored as a zip
// archive (Office Open XML, OpenDocument, EPUB…).
func zipBased(t string) bool {
	return strings.HasPrefix(t, "application/vnd.openxmlformats-officedocument.") ||
		strings.HasPrefix(t, "application/vnd.oasis.opendocument.") || strings.HasSuffix(t, "+zip") ||
		strings.HasPrefix(t, "application/vnd.ms-") && strings.Contains(t, "macroenabled") ||
		// mail clients often label .docx, .xlsx and .pptx files with the older types
		t == "application/msword" || t == "application/vnd.ms-excel" || t == "application/vnd.ms-powerpoint"
}

// checkContentType returns the media type to store: the declared one when
// the content does not contradict it, else the sniffed one when none was
// declared. Parameters are dropped but a text's charset.
func checkContentType(declared string, content []byte) (string, core.Reason) {
	sniffed, sniffedParams, _ := mime.ParseMediaType(http.DetectContentType(content))
	if strings.TrimSpace(declared) == "" {
		return mime.FormatMediaType(sniffed, charsetOnly(sniffedParams)), core.Reason{}
	}
	t, params, err := mime.ParseMediaType(declared)
	if err != nil || !strings.Contains(t, "/") {
		return "", core.Because("media_type")
	}
	if a, ok := typeAliases[t]; ok {
		t = a
	}
	if executableTypes[t] {
		return "", core.Because("executable_type")
	}
	if contradicts(t, sniffed) {
		return "", core.Because("content_mismatch", "declared", t, "sniffed", sniffed)
	}
	if !strings.HasPrefix(t, "text/") {
		params = nil
	}
	return mime.FormatMediaType(t, charsetOnly(params)), core.Reason{}
}

// contradicts reports whether the content, sniffed, cannot be of the
// declared type. Content sniffing cannot name (Word 97 files, Outlook
// messages, plain text of any sort) keeps its declared type.
func contradicts(declared, sniffed string) bool {
	switch {
	case declared == sniffed || declared == "application/octet-stream":
		return false
	case signed[declared]:
		return true
	case sniffed == "application/zip":
		return !zipBased(declared)
	}
	return signed[sniffed]
}

func charsetOnly(params map[string]string) map[string]string {
	if cs, ok := params["charset"]; ok {
		return map[string]string{"charset": strings.ToLower(cs)}
	}
	return nil
}

// maxStatementBytes bounds the file content one INSERT statement carries,
// beside db.MaxParams on its placeholders.
const maxStatementBytes = 32 << 20

// insertAttachments stores the files of the items write has just stored
// (not those of duplicates), in statements of at most maxStatementBytes.
func insertAttachments(ctx context.Context, tx *db.Tx, items []checked, idx []int, results []Result) error {
	const head = `INSERT INTO interaction_attachments (id, interaction_id, position, name, content_type, size, inline,
		content) VALUES `
	var rows [][]any
	bytes := 0
	flush := func() error {
		err := db.InsertMany(ctx, tx, head, "(?, ?, ?, ?, ?, ?, ?, ?)", rows)
		rows, bytes = nil, 0
		return err
	}
	for n, c := range items {
		res := results[idx[n]]
		if res.Status != Stored {
			continue
		}
		for pos, f := range c.files {
			if len(rows) > 0 && bytes+len(f.content) > maxStatementBytes {
				if err := flush(); err != nil {
					return err
				}
			}
			rows = append(rows, []any{core.NewID(), res.InteractionID, pos, f.name, f.contentType, len(f.content), f.inline, f.content})
			bytes += len(f.content)
		}
	}
	return flush()
}
