package content

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

var (
	pdf  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	zip  = []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml")
	exe  = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
	elf  = []byte("\x7fELF\x02\x01\x01\x00")
	text = []byte("date;montant\n2026-11-20;120,00\n")
)

// TestFilesAreCheckedPartByPart: each refusal names the part at fault and
// why; an accepted file has its cleaned name and the type to store.
func TestFilesAreCheckedPartByPart(t *testing.T) {
	cases := []struct {
		name, file, declared string
		content              []byte
		part                 string // "" when accepted
		why                  string // the reason, or the type stored when accepted
	}{
		{"a PDF", "releve.pdf", "application/pdf", pdf, "", "application/pdf"},
		{"no type declared: sniffed", "scan", "", png, "", "image/png"},
		{"an alias of JPEG", "photo.jpg", "image/JPG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "", "image/jpeg"},
		{"a text keeps only its charset", "notes.txt", "text/plain; charset=ISO-8859-1; format=flowed", text, "",
			"text/plain; charset=iso-8859-1"},
		{"a Word file is a zip", "contrat.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			zip, "", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"an Outlook message sniffing cannot name", "msg.msg", "application/vnd.ms-outlook",
			[]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), "", "application/vnd.ms-outlook"},
		{"a Windows program named as a PDF", "facture.pdf", "application/pdf", exe, PartContent, "executable"},
		{"a Linux program", "outil", "", elf, PartContent, "executable"},
		{"a script", "run", "text/plain", []byte("#!/bin/sh\nrm -rf /\n"), PartContent, "executable"},
		{"a script's extension", "lisez-moi.js", "text/plain", text, PartName, "executable"},
		{"a shortcut's extension in capitals", "photo.LNK", "", text, PartName, "executable"},
		{"an executable's type", "setup", "application/x-msdownload", text, PartType, "executable"},
		{"a PDF declared as an image", "photo.png", "image/png", pdf, PartType,
			"declared image/png but the content is application/pdf"},
		{"an image declared as text", "photo.txt", "text/plain", png, PartType, "the content is image/png"},
		{"a zip declared as a PDF", "a.pdf", "application/pdf", zip, PartType, "the content is application/zip"},
		{"a bad media type", "a", "pdf", pdf, PartType, "not a media type"},
		{"a name of nothing", "../", "", text, PartName, "required"},
		{"over 10 MiB", "big.txt", "", bytes.Repeat([]byte("a"), MaxFileSize+1), PartContent, "larger than 10 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, problems := Check(c.file, c.declared, c.content)
			if c.part == "" {
				if len(problems) > 0 || f.ContentType != c.why || !bytes.Equal(f.Content, c.content) {
					t.Fatalf("got %q, %v; want %q", f.ContentType, problems, c.why)
				}
				return
			}
			if why, ok := problems[c.part]; !ok || !strings.Contains(why.English(), c.why) {
				t.Errorf("problems %v, want %s: …%s…", problems, c.part, c.why)
			}
		})
	}
}

func TestFileNamesAreCleaned(t *testing.T) {
	for raw, want := range map[string]string{
		`C:\Users\hd\Documents\relevé.pdf`:                       "relevé.pdf",
		"../../etc/passwd":                                       "passwd",
		"fac\u202eture\x00\n.pdf":                                "facture.pdf",
		"  devis?.pdf. . ":                                       "devis_.pdf",
		"a<b>:c|d\"e*.txt":                                       "a_b__c_d_e_.txt",
		"zero\u200bwidth\ufeff.pdf":                              "zerowidth.pdf",
		"bad\xffutf8.pdf":                                        "badutf8.pdf",
		strings.Repeat("é", 300) + ".pdf":                        strings.Repeat("é", MaxNameRunes-4) + ".pdf",
		strings.Repeat("a", 300) + "." + strings.Repeat("x", 30): strings.Repeat("a", 300)[:MaxNameRunes],
		"..": "",
	} {
		if got := CleanName(raw); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestBase64ContentIsDecodedWithinTheLimit(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(pdf)
	for _, sent := range []string{b64, b64[:20] + "\r\n" + b64[20:], strings.TrimRight(b64, "=")} {
		if got, err := DecodeBase64(sent); err != nil || !bytes.Equal(got, pdf) {
			t.Errorf("DecodeBase64(%q) = %q, %v", sent, got, err)
		}
	}
	for sent, why := range map[string]string{
		"":              "required",
		"%%%not base64": "not valid base64",
		base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("a"), MaxFileSize+1)): "larger than 10 MiB",
	} {
		if _, err := DecodeBase64(sent); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("DecodeBase64(%.20q…) = %v, want …%s…", sent, err, why)
		}
	}
}

func TestTheFilesOfOneMessageAreBoundedTogether(t *testing.T) {
	if why := CheckTotal([]int{9 << 20, 9 << 20}); why.Code != "" {
		t.Errorf("18 MiB refused: %s", why)
	}
	if why := CheckTotal([]int{9 << 20, 9 << 20, 9 << 20}); !strings.Contains(why.English(), "20 MiB") {
		t.Errorf("27 MiB: %q", why)
	}
	if why := CheckTotal(make([]int, MaxFiles+1)); !strings.Contains(why.English(), "at most 50 files") {
		t.Errorf("51 files: %q", why)
	}
}
