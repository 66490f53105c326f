package demo

import (
	"math/rand/v2"
	"strings"

	"github.com/rapport-crm/rapport/internal/party"
)

// femaleFirstNames and maleFirstNames are common French first names, many
// with the accents search must see through.
var (
	femaleFirstNames = []string{"Marie", "Hélène", "Zoé", "Émilie", "Céline", "Chloé", "Léa", "Inès", "Anaïs",
		"Gaëlle", "Noémie", "Aurélie", "Mélanie", "Océane", "Agnès", "Thérèse", "Julie", "Camille", "Sophie",
		"Isabelle", "Nathalie", "Sandrine", "Catherine", "Claire", "Anne", "Louise", "Emma", "Manon", "Sarah",
		"Élodie", "Pauline", "Margaux", "Valérie", "Françoise", "Geneviève", "Bérénice", "Maëlle", "Joséphine",
		"Marie-Claire", "Anne-Sophie", "Laetitia", "Christine", "Brigitte", "Juliette", "Lucie", "Clémence"}
	maleFirstNames = []string{"Jean", "François", "Jérôme", "Benoît", "Loïc", "Raphaël", "Maël", "Clément",
		"Frédéric", "Stéphane", "Rémi", "Joël", "Noël", "Pierre", "Nicolas", "Thomas", "Laurent", "Philippe",
		"Michel", "Christophe", "Antoine", "Lucas", "Hugo", "Jules", "Arthur", "Paul", "Louis", "Gabriel",
		"Mathéo", "Théo", "Jérémy", "Sébastien", "Grégoire", "Aurélien", "Cédric", "Hervé", "Régis", "André",
		"Jean-Pierre", "Jean-Luc", "Marc", "Olivier", "Patrick", "Didier", "Bruno", "Étienne", "Timothée"}
)

// lastNames are French family names, the most common first, with accents,
// particles and one ligature.
var lastNames = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
	"Leroy", "Moreau", "Simon", "Laurent", "Lefèbvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
	"Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet",
	"François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry",
	"Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine",
	"Chevalier", "Robin", "Dupré", "Bézier", "Hébert", "Benoît", "Lemaître", "Pelletier", "Ménard", "Besnard",
	"Gérard", "Léger", "Barthélemy", "Chrétien", "Sénéchal", "Noël", "Brûlé", "Béranger", "Lebœuf", "Lacôte",
	"Déléage", "Le Goff", "Le Gall", "Kerbrat", "Jézéquel", "Prévost", "Rivière", "Lemoine", "Marchand",
	"Dufour", "Blanchard", "Gaillard", "Barbier", "Arnaud", "Collet", "Caron", "Fabre", "Schmitt", "Leclerc",
	"Masson", "Vidal", "Huet", "Carré", "Aubert", "Rey", "Poulain", "Lecomte", "Hamon", "Renaud", "Giraud",
	"Bouvier", "Pierre", "Cordier", "Maréchal", "Charpentier", "Bégué", "Daniel", "de La Tour", "Évrard",
	"Ollivier", "Thébault", "Pagès", "Crémieux", "Lhôte", "Désiré", "Josserand", "Peyrard", "Tardieu"}

// PersonName draws a French person's first and last name from r, with
// their accents; female tells which list the first name came from.
func PersonName(r *rand.Rand) (first, last string, female bool) {
	female = r.IntN(2) == 0
	return firstName(r, female), lastName(r), female
}

// firstName draws a first name of the given gender.
func firstName(r *rand.Rand, female bool) string {
	if female {
		return femaleFirstNames[r.IntN(len(femaleFirstNames))]
	}
	return maleFirstNames[r.IntN(len(maleFirstNames))]
}

// lastName draws a family name, the common ones more often: the square of a
// uniform number favours the head of the list.
func lastName(r *rand.Rand) string {
	u := r.Float64()
	return lastNames[int(u*u*float64(len(lastNames)))]
}

// slug turns a name into the lower-case ASCII form used in email addresses
// and web domains: "Jean-Pierre" → "jean-pierre", "Lebœuf" → "leboeuf".
func slug(name string) string {
	return strings.ReplaceAll(party.Fold(name), " ", "-")
}
