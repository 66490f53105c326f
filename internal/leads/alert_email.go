package leads

import (
	"strings"
	"time"
	"unicode/utf8"
)

// alertWords are the words of an alert, by language.
type alertWords struct {
	Subject, Intro, Open                     string
	Customer, Email, Phone, PostalCode       string
	Product, Source, Message, Received, Unit string
	Colon                                    string // " : " in French, ": " in English
	DateFormat                               string
}

var alertLanguages = map[string]alertWords{
	"fr": {Subject: "Nouvelle piste", Intro: "Une piste vient de vous être attribuée.", Customer: "Client", Email: "E-mail",
		Phone: "Téléphone", PostalCode: "Code postal", Product: "Produit", Source: "Source", Message: "Message",
		Received: "Reçu le", Unit: "Unité", Open: "Cliquez pour répondre à la piste", Colon: " : ",
		DateFormat: "02/01/2006 à 15:04"},
	"en": {Subject: "New lead", Intro: "A lead has just been assigned to you.", Customer: "Customer", Email: "Email",
		Phone: "Phone", PostalCode: "Postal code", Product: "Product", Source: "Source", Message: "Message",
		Received: "Received", Unit: "Unit", Open: "Click to answer the lead", Colon: ": ",
		DateFormat: "2 Jan 2006 at 15:04"},
}

// words returns the words of lang, French when it is not known.
func words(lang string) alertWords {
	if w, ok := alertLanguages[lang]; ok {
		return w
	}
	return alertLanguages["fr"]
}

// customerName is the lead's customer as an alert names them.
func customerName(l Lead) string {
	if n := strings.TrimSpace(l.FirstName + " " + l.LastName); n != "" {
		return n
	}
	if l.PartyName != "" {
		return l.PartyName
	}
	if l.Email != "" {
		return l.Email
	}
	return l.Phone
}

// LeadLink is the absolute address of the lead's page.
func LeadLink(baseURL, leadID string) string {
	return strings.TrimRight(baseURL, "/") + "/leads/" + leadID
}

// AlertEmail writes the email alert of l in lang ("fr" or "en"; French
// otherwise): a subject with the product and the customer's name, a body
// with the lead's details (its receipt in loc, the unit's time zone) and
// the link that opens it. product is the product's label in lang.
func AlertEmail(l Lead, lang, product string, loc *time.Location, baseURL string) (subject, text string) {
	w := words(lang)
	name := customerName(l)
	subject = w.Subject
	if product != "" {
		subject += w.Colon + product
	}
	if name != "" {
		subject += " — " + name
	}
	if loc == nil {
		loc = time.UTC
	}
	var b strings.Builder
	b.WriteString(w.Intro + "\n\n")
	line := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			b.WriteString(label + w.Colon + v + "\n")
		}
	}
	line(w.Customer, name)
	line(w.Email, l.Email)
	line(w.Phone, l.Phone)
	line(w.PostalCode, l.PostalCode)
	line(w.Product, product)
	line(w.Source, l.Source)
	line(w.Received, l.ReceivedAt.In(loc).Format(w.DateFormat)+" ("+loc.String()+")")
	line(w.Unit, l.UnitName)
	if m := strings.TrimSpace(l.Message); m != "" {
		b.WriteString("\n" + w.Message + strings.TrimRight(w.Colon, " ") + "\n" + m + "\n")
	}
	b.WriteString("\n" + w.Open + strings.TrimRight(w.Colon, " ") + "\n" + LeadLink(baseURL, l.ID) + "\n")
	return subject, b.String()
}

// maxAlertSMS is the longest SMS alert, in characters (two concatenated
// messages, link included).
const maxAlertSMS = 300

// AlertSMS writes the SMS alert of l in lang: the product, the customer,
// their phone and the lead's link.
func AlertSMS(l Lead, lang, product, baseURL string) string {
	w := words(lang)
	parts := []string{}
	for _, p := range []string{product, customerName(l), l.Phone} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	link := LeadLink(baseURL, l.ID)
	text := w.Subject + w.Colon + strings.Join(parts, ", ")
	if room := maxAlertSMS - utf8.RuneCountInString(link) - 1; utf8.RuneCountInString(text) > room {
		text = string([]rune(text)[:max(room-1, 0)]) + "…"
	}
	return text + " " + link
}
