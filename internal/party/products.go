package party

// product is an entry of the product catalogue with its labels.
type product struct {
	fr, en string
}

// catalogue is the catalogue of contract products, by code.
var catalogue = map[string]product{
	"current_account": {"Compte courant", "Current account"},
	"savings":         {"Livret d'épargne", "Savings account"},
	"card":            {"Carte bancaire", "Bank card"},
	"home_loan":       {"Prêt immobilier", "Home loan"},
	"insurance":       {"Assurance", "Insurance"},
	"consumer_loan":   {"Crédit à la consommation", "Consumer loan"},
	"life_insurance":  {"Assurance vie", "Life insurance"},
}

// Products lists the product catalogue's codes in display order.
var Products = []string{"current_account", "savings", "card", "home_loan", "insurance", "consumer_loan", "life_insurance"}

// ProductLabel names a product in lang ("fr", the default, or "en"); an
// unknown code is returned as is.
func ProductLabel(code, lang string) string {
	p, ok := catalogue[code]
	switch {
	case !ok:
		return code
	case lang == "en":
		return p.en
	}
	return p.fr
}
