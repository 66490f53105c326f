// Package letter renders a letter to a customer as a PDF with the bank's
// layout: the sender's block at the top left, the recipient's address
// where a window envelope (DL, window on the right) shows it, the place
// and date, the subject in bold, the body's paragraphs wrapped, and the
// signature. It uses the PDF core fonts in Windows-1252, which holds
// every French letter (é, à, ç, œ, «, €…); a character it lacks is
// written as a dot.
package letter

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Letter is what a letter says.
type Letter struct {
	Sender    []string // the unit's name, then its address lines
	Recipient []string // the party's name, then its address lines
	Place     string   // where it is written from, e.g. "Paris"
	Date      string   // as the reader reads it, e.g. "23 novembre 2026"
	Reference string   // e.g. "Dossier C-000012", under the sender
	Subject   string
	Body      string   // paragraphs separated by empty lines; single line breaks kept
	Signature []string // the agent's name, then their unit
	Lang      string   // "fr" (default) or "en": the words "Objet", "le"
	Created   time.Time
}

// The layout, in millimetres on A4 portrait.
const (
	marginLeft   = 20.0
	marginRight  = 20.0
	pageWidth    = 210.0
	windowLeft   = 110.0 // a DL envelope's window on the right: 110 mm from the left,
	windowTop    = 50.0  // 50 mm from the top,
	windowWidth  = 85.0  // 85 × 35 mm
	windowHeight = 35.0
	placeTop     = 100.0
	lineHeight   = 5.0
)

// Render writes the letter as a PDF.
func Render(l Letter) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252
	pdf.SetMargins(marginLeft, 20, marginRight)
	pdf.SetAutoPageBreak(true, 20)
	pdf.SetTitle(l.Subject, true)
	pdf.SetCreator("Rapport", true)
	if !l.Created.IsZero() {
		pdf.SetCreationDate(l.Created)
		pdf.SetModificationDate(l.Created)
	}
	pdf.AddPage()
	text := func(s string) string { return tr(clean(s)) }
	width := pageWidth - marginLeft - marginRight

	// The sender.
	pdf.SetXY(marginLeft, 20)
	for i, line := range nonEmpty(l.Sender) {
		if i == 0 {
			pdf.SetFont("Helvetica", "B", 11)
		} else {
			pdf.SetFont("Helvetica", "", 10)
		}
		pdf.CellFormat(80, lineHeight, text(line), "", 2, "L", false, 0, "")
	}
	if l.Reference != "" {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(80, lineHeight, text(l.Reference), "", 2, "L", false, 0, "")
	}

	// The recipient, in the envelope's window.
	pdf.SetFont("Helvetica", "", 11)
	pdf.SetXY(windowLeft, windowTop)
	for _, line := range nonEmpty(l.Recipient) {
		if pdf.GetY() > windowTop+windowHeight-lineHeight {
			break
		}
		pdf.SetX(windowLeft)
		pdf.CellFormat(windowWidth, lineHeight, text(line), "", 2, "L", false, 0, "")
	}

	// Place and date, subject, body.
	pdf.SetXY(windowLeft, placeTop)
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(windowWidth, lineHeight, text(placeDate(l)), "", 1, "L", false, 0, "")
	pdf.SetXY(marginLeft, placeTop+15)
	if l.Subject != "" {
		pdf.SetFont("Helvetica", "B", 11)
		label := "Objet : "
		if l.Lang == "en" {
			label = "Subject: "
		}
		pdf.MultiCell(width, lineHeight+0.5, text(label+l.Subject), "", "L", false)
		pdf.Ln(6)
	}
	pdf.SetFont("Helvetica", "", 11)
	for _, para := range paragraphs(l.Body) {
		pdf.MultiCell(width, lineHeight+0.5, text(para), "", "J", false)
		pdf.Ln(3)
	}

	// The signature, under the body on the right.
	pdf.Ln(6)
	for i, line := range nonEmpty(l.Signature) {
		if i == 0 {
			pdf.SetFont("Helvetica", "B", 11)
		} else {
			pdf.SetFont("Helvetica", "", 10)
		}
		pdf.SetX(windowLeft)
		pdf.CellFormat(windowWidth, lineHeight, text(line), "", 2, "L", false, 0, "")
	}

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render letter: %w", err)
	}
	return buf.Bytes(), nil
}

// placeDate is "Paris, le 23 novembre 2026" (or "Paris, 23 November 2026").
func placeDate(l Letter) string {
	switch {
	case l.Place == "":
		return l.Date
	case l.Date == "":
		return l.Place
	case l.Lang == "en":
		return l.Place + ", " + l.Date
	}
	return l.Place + ", le " + l.Date
}

// paragraphs splits a body on empty lines.
func paragraphs(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// nonEmpty drops the blank lines of a block.
func nonEmpty(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// clean turns tabs into spaces and drops the other control characters but
// line breaks.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r == '\n':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// months are the French names of the months, for dates in letters.
var months = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
	"octobre", "novembre", "décembre"}

// FormatDate writes day the way a letter dates itself: "23 novembre 2026"
// in French, "23 November 2026" in English.
func FormatDate(day time.Time, lang string) string {
	if lang == "en" {
		return day.Format("2 January 2006")
	}
	d := fmt.Sprint(day.Day())
	if day.Day() == 1 {
		d = "1er"
	}
	return d + " " + months[day.Month()-1] + " " + fmt.Sprint(day.Year())
}
