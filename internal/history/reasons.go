package history

// reason is an entry of the catalogue of meeting-report reasons.
type reason struct{ fr, en string }

// reasons is the catalogue of the reasons a meeting report gives, by code.
var reasons = map[string]reason{
	"account":       {"Tenue de compte", "Account management"},
	"payment_means": {"Moyens de paiement, carte", "Payment means, card"},
	"savings":       {"Épargne", "Savings"},
	"investment":    {"Placements financiers", "Investments"},
	"home_loan":     {"Crédit immobilier", "Home loan"},
	"consumer_loan": {"Crédit à la consommation", "Consumer loan"},
	"insurance":     {"Assurance, prévoyance", "Insurance, protection"},
	"retirement":    {"Retraite", "Retirement"},
	"complaint":     {"Réclamation", "Complaint"},
	"appointment":   {"Prise de rendez-vous", "Appointment booking"},
	"customer_data": {"Connaissance client, coordonnées", "Customer data, contact details"},
	"difficulties":  {"Difficultés financières", "Financial difficulties"},
	"other":         {"Autre", "Other"},
}

// Reasons lists the reason codes in display order.
var Reasons = []string{"account", "payment_means", "savings", "investment", "home_loan", "consumer_loan",
	"insurance", "retirement", "complaint", "appointment", "customer_data", "difficulties", "other"}

// ReasonLabel names a reason in lang ("fr", the default, or "en"); an
// unknown code is returned as is.
func ReasonLabel(code, lang string) string {
	r, ok := reasons[code]
	switch {
	case !ok:
		return code
	case lang == "en":
		return r.en
	default:
		return r.fr
	}
}

// Media are the channels a meeting report can name.
var Media = []string{"phone", "email", "face_to_face", "video", "letter", "sms", "chat"}
