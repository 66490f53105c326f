package letter_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/rapport-crm/rapport/internal/letter"
)

// textOf reads a PDF's text back, as a reader would copy it.
func textOf(t *testing.T, raw []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("the letter is not a readable PDF: %v", err)
	}
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		rows, err := r.Page(i).GetTextByRow()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, w := range row.Content {
				b.WriteString(w.S)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestALetterCarriesTheAddressTheSubjectAndFrenchAccents(t *testing.T) {
	raw, err := letter.Render(letter.Letter{
		Sender:    []string{"Banque Rapport — Agence Paris Opéra", "12 rue de la Paix", "75002 Paris"},
		Recipient: []string{"Hélène Dupré", "8 allée des Érables", "69003 Lyon"},
		Place:     "Paris", Date: letter.FormatDate(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), "fr"),
		Reference: "Dossier C-000012",
		Subject:   "Votre réclamation C-000012",
		Body: "Madame,\n\nNous avons étudié votre réclamation concernant les frais prélevés en août. " +
			strings.Repeat("Ce paragraphe est assez long pour être coupé sur plusieurs lignes. ", 6) +
			"\n\nNous vous prions d'agréer, Madame, l’expression de nos salutations distinguées.",
		Signature: []string{"Hugo Conseiller", "Agence Paris Opéra"},
		Created:   time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", raw[:10])
	}
	text := textOf(t, raw)
	for _, want := range []string{"Hélène Dupré", "8 allée des Érables", "69003 Lyon", "Votre réclamation C-000012",
		"Paris, le 23 novembre 2026", "étudié", "août", "salutations distinguées", "Hugo Conseiller", "Agence Paris Opéra"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter's text lacks %q:\n%s", want, text)
		}
	}
}

func TestALongBodyGoesOnToASecondPage(t *testing.T) {
	raw, err := letter.Render(letter.Letter{Recipient: []string{"Zoé Lefèvre"}, Subject: "Relevé",
		Body: strings.Repeat("Une ligne du relevé détaillé des opérations contestées.\n\n", 80)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if r.NumPage() < 2 {
		t.Errorf("%d page for 80 paragraphs, want the body to flow onto more", r.NumPage())
	}
}

func TestLettersAreDatedTheReadersWay(t *testing.T) {
	for _, tc := range []struct {
		day  time.Time
		lang string
		want string
	}{
		{time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "fr", "1er décembre 2026"},
		{time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC), "fr", "15 août 2026"},
		{time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC), "en", "15 August 2026"},
	} {
		if got := letter.FormatDate(tc.day, tc.lang); got != tc.want {
			t.Errorf("FormatDate(%s, %s) = %q, want %q", tc.day.Format(time.DateOnly), tc.lang, got, tc.want)
		}
	}
}
