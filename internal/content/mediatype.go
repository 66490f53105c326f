package content

import (
	"mime"
	"net/http" // only for http.DetectContentType, the WHATWG sniffing algorithm browsers apply
	"strings"

	"github.com/rapport-crm/rapport/internal/core"
)

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

// CheckType returns the media type to store for content declared as
// declared: the declared one when the content does not contradict it, else
// the sniffed one when none was declared. Parameters are dropped but a
// text's charset. A declared type that is not a media type, a program's
// type, or one the content contradicts is refused with the reason
// ("declared image/png but the content is application/pdf").
func CheckType(declared string, content []byte) (string, error) {
	sniffed, sniffedParams, _ := mime.ParseMediaType(http.DetectContentType(content))
	if strings.TrimSpace(declared) == "" {
		return mime.FormatMediaType(sniffed, charsetOnly(sniffedParams)), nil
	}
	t, params, err := mime.ParseMediaType(declared)
	if err != nil || !strings.Contains(t, "/") {
		return "", refusal{core.Because("media_type")}
	}
	if a, ok := typeAliases[t]; ok {
		t = a
	}
	if executableTypes[t] {
		return "", refusal{core.Because("executable_type")}
	}
	if contradicts(t, sniffed) {
		return "", refusal{core.Because("content_mismatch", "declared", t, "sniffed", sniffed)}
	}
	if !strings.HasPrefix(t, "text/") {
		params = nil
	}
	return mime.FormatMediaType(t, charsetOnly(params)), nil
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
