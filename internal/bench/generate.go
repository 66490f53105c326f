package bench

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/internal/demo"
	"github.com/rapport-crm/rapport/internal/party"
)

// columns are the CSV columns of the generated parties, as the party import
// reads them; the bare table has the same ones.
var columns = []string{"kind", "status", "client_number", "first_name", "last_name", "name", "birth_date",
	"segment", "agency_code", "advisor_login", "email", "email_kind", "phone", "phone_kind", "line1", "line2",
	"postal_code", "city", "country", "consent_email", "consent_sms", "consent_phone"}

// agency is one of the bench's agencies and the city its customers live in.
type agency struct {
	code, advisor, city, postcode string
}

// generator draws the parties of the bench. Row i depends only on the seed
// and i, so the searches can ask for what row i holds without keeping it.
type generator struct {
	seed     uint64
	agencies []agency
}

// row is what the generator knows about one party.
type row struct {
	rec                        []string // the CSV record, in columns order
	first, last, name          string
	email, phone, clientNumber string
}

var (
	benchProviders = []string{"gmail.com", "orange.fr", "free.fr", "laposte.net", "sfr.fr", "hotmail.fr", "yahoo.fr"}
	benchStreets   = []string{"rue de la République", "avenue Jean-Jaurès", "boulevard Victor-Hugo", "rue Pasteur",
		"rue Émile-Zola", "place de l'Église", "rue des Écoles", "chemin des Vignes", "allée des Tilleuls"}
	benchTrades = []string{"Boulangerie", "Garage", "Pharmacie", "Cabinet", "Menuiserie", "Transports", "Atelier"}
)

// row generates party i: 95% persons, 80% clients (every row has a client
// number, which imports need), one email, one phone, one address in the
// agency's city.
func (g *generator) row(i int) row {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	a := g.agencies[r.IntN(len(g.agencies))]
	first, last, _ := demo.PersonName(r)
	w := row{first: first, last: last, clientNumber: fmt.Sprintf("%010d", 1_000_000_000+i)}
	kind, name := "person", ""
	if r.IntN(20) == 0 {
		kind, name = "organization", benchTrades[r.IntN(len(benchTrades))]+" "+last
		w.first, w.last, w.name = "", "", name
	}
	status := "client"
	if r.IntN(5) == 0 {
		status = "prospect"
	}
	w.email = fmt.Sprintf("%s.%s%d@%s", slug(first), slug(last), r.IntN(1000), benchProviders[r.IntN(len(benchProviders))])
	// 06 1x xx xx xx: always a valid mobile; 7919 is prime to 10^7, so
	// every row below ten million gets its own number.
	digits := fmt.Sprintf("061%07d", (i*7919)%10_000_000)
	w.phone = digits[0:2] + " " + digits[2:4] + " " + digits[4:6] + " " + digits[6:8] + " " + digits[8:10]
	birth := fmt.Sprintf("%d-%02d-%02d", 1935+r.IntN(70), 1+r.IntN(12), 1+r.IntN(28))
	if kind == "organization" {
		birth = ""
	}
	bit := func() string { return strconv.FormatBool(r.IntN(2) == 0) }
	w.rec = []string{kind, status, w.clientNumber, w.first, w.last, name, birth, "Particuliers", a.code, a.advisor,
		w.email, "personal", w.phone, "mobile", fmt.Sprintf("%d %s", 1+r.IntN(150), benchStreets[r.IntN(len(benchStreets))]),
		"", a.postcode, a.city, "FR", bit(), bit(), bit()}
	return w
}

// slug is the lower-case ASCII form of a name in an email address.
func slug(name string) string {
	return strings.ReplaceAll(party.Fold(name), " ", "-")
}

// benchCities are the cities of the bench's fifty agencies.
var benchCities = []struct{ city, postcode string }{
	{"Paris", "75011"}, {"Marseille", "13001"}, {"Lyon", "69003"}, {"Toulouse", "31000"}, {"Nice", "06000"},
	{"Nantes", "44000"}, {"Montpellier", "34000"}, {"Strasbourg", "67000"}, {"Bordeaux", "33000"}, {"Lille", "59000"},
	{"Rennes", "35000"}, {"Reims", "51100"}, {"Toulon", "83000"}, {"Saint-Étienne", "42000"}, {"Le Havre", "76600"},
	{"Grenoble", "38000"}, {"Dijon", "21000"}, {"Angers", "49000"}, {"Nîmes", "30000"}, {"Villeurbanne", "69100"},
	{"Clermont-Ferrand", "63000"}, {"Le Mans", "72000"}, {"Aix-en-Provence", "13100"}, {"Brest", "29200"},
	{"Tours", "37000"}, {"Amiens", "80000"}, {"Limoges", "87000"}, {"Annecy", "74000"}, {"Perpignan", "66000"},
	{"Boulogne-Billancourt", "92100"}, {"Metz", "57000"}, {"Besançon", "25000"}, {"Orléans", "45000"},
	{"Saint-Denis", "93200"}, {"Rouen", "76000"}, {"Argenteuil", "95100"}, {"Mulhouse", "68100"}, {"Montreuil", "93100"},
	{"Caen", "14000"}, {"Nancy", "54000"}, {"Saint-Paul", "97460"}, {"Roubaix", "59100"}, {"Tourcoing", "59200"},
	{"Nanterre", "92000"}, {"Vitry-sur-Seine", "94400"}, {"Avignon", "84000"}, {"Créteil", "94000"},
	{"Poitiers", "86000"}, {"Aubervilliers", "93300"}, {"Pau", "64000"},
}
