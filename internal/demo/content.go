package demo

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/history"
)

// customerMail is a message a customer writes, and the advisor's answer.
type customerMail struct {
	subject  string
	body     string // the customer's; %s is their first name
	reply    string // the advisor's; %s is the customer's name
	attached string // a file the customer sends along, if any
}

// customerMails are the demo's email exchanges; the last is private and
// kept out of the history by the restitution rules.
var customerMails = []customerMail{
	{"Demande de prêt immobilier", "Bonjour,\n\nNous avons trouvé un appartement de trois pièces et souhaiterions une simulation de prêt sur 20 ans pour 210 000 €, avec un apport de 35 000 €.\n\nPouvez-vous nous proposer un rendez-vous ?\n\nBien cordialement,\n%s",
		"Bonjour %s,\n\nMerci pour votre message. Vous trouverez ci-joint une première simulation sur 20 ans. Je vous propose un rendez-vous à l'agence pour l'affiner avec vos justificatifs.\n\nBien à vous,", ""},
	{"Justificatif de domicile", "Bonjour,\n\nComme demandé, voici ma facture d'électricité en guise de justificatif de domicile.\n\nCordialement,\n%s",
		"Bonjour %s,\n\nJ'ai bien reçu votre justificatif, votre dossier est complet. Merci !\n\nBien cordialement,", "facture_electricite.pdf"},
	{"RE: Rendez-vous de jeudi", "Bonjour,\n\nJe ne pourrai finalement pas venir jeudi à 14 h. Serait-il possible de décaler au samedi matin ?\n\nMerci,\n%s",
		"Bonjour %s,\n\nC'est noté : je vous attends samedi à 10 h 30 à l'agence.\n\nBonne journée,", ""},
	{"Carte bloquée", "Bonjour,\n\nMa carte a été avalée par un distributeur ce matin. Que dois-je faire ? J'en ai besoin pour un déplacement la semaine prochaine.\n\n%s",
		"Bonjour %s,\n\nJ'ai fait opposition et commandé une nouvelle carte, livrée à l'agence sous 5 jours ouvrés. Je vous préviens dès réception.\n\nCordialement,", ""},
	{"Virement vers l'étranger", "Bonjour,\n\nJe dois régler l'acompte de notre location en Espagne par virement (850 €). Quels sont les frais et les délais ?\n\nMerci d'avance,\n%s",
		"Bonjour %s,\n\nUn virement SEPA vers l'Espagne est gratuit et arrive sous un jour ouvré. Vous pouvez le faire depuis votre espace en ligne.\n\nBien à vous,", ""},
	{"Question sur mon relevé", "Bonjour,\n\nJe vois sur mon relevé des frais de 8 € libellés « commission d'intervention » que je ne comprends pas. Pouvez-vous m'expliquer ?\n\n%s",
		"Bonjour %s,\n\nCes frais correspondent à un passage en débit non autorisé le 12. À titre commercial, je les ai remboursés ce jour.\n\nCordialement,", ""},
	{"Ouverture d'un livret pour ma fille", "Bonjour,\n\nNous aimerions ouvrir un livret A pour notre fille qui vient de naître. Quels documents faut-il apporter ?\n\nBien cordialement,\n%s",
		"Bonjour %s,\n\nFélicitations ! Il suffit de l'acte de naissance et du livret de famille ; je vous envoie le formulaire à signer.\n\nBien à vous,", "acte_naissance.pdf"},
	{"Avis d'imposition 2026", "Bonjour,\n\nVoici mon avis d'imposition pour la mise à jour de mon dossier.\n\nCordialement,\n%s",
		"Bonjour %s,\n\nBien reçu, merci. Votre dossier est à jour.\n\nBonne journée,", "avis_imposition_2026.pdf"},
	{"Changement d'adresse", "Bonjour,\n\nNous déménageons le mois prochain. Pouvez-vous mettre à jour notre adresse ? Je joins l'attestation du notaire.\n\n%s",
		"Bonjour %s,\n\nVotre nouvelle adresse est enregistrée à compter du 1er du mois. Pensez à mettre à jour votre assurance habitation ; je peux vous faire un devis.\n\nCordialement,", "attestation_notaire.pdf"},
	{"Demande de RIB", "Bonjour,\n\nMon nouvel employeur me demande un RIB. Pouvez-vous me l'envoyer ?\n\nMerci,\n%s",
		"Bonjour %s,\n\nVous trouverez votre RIB dans votre espace en ligne, rubrique Comptes. Je vous le joins également.\n\nBonne journée,", ""},
	{"Plafond de paiement", "Bonjour,\n\nJe dois payer une réparation de voiture de 2 400 € la semaine prochaine. Est-il possible de relever temporairement mon plafond de carte ?\n\n%s",
		"Bonjour %s,\n\nVotre plafond est relevé à 3 000 € pour 30 jours à compter de demain.\n\nCordialement,", ""},
	{"Sinistre dégât des eaux", "Bonjour,\n\nUne fuite chez le voisin du dessus a abîmé le plafond de notre salle de bains. Comment déclarer le sinistre ?\n\n%s",
		"Bonjour %s,\n\nJ'ai ouvert le dossier de sinistre ; un expert vous contactera sous 48 h. Gardez les photos et les factures.\n\nBien à vous,", "photos_degats.pdf"},
	{"Perso - photos des vacances", "Coucou, voici les photos de la Bretagne !\n%s", "", ""},
}

// smsByAdvisor are texts advisors send from their mobile app; smsReminders
// are sent by the appointment system, with nobody behind them.
var (
	smsByAdvisor = []string{
		"Bonjour, j'ai essayé de vous joindre au sujet de votre dossier de prêt. Pouvez-vous me rappeler au 04 72 10 20 30 ?",
		"Bonjour, votre nouvelle carte est arrivée à l'agence, vous pouvez passer la retirer aux heures d'ouverture.",
		"Bonjour, les documents sont prêts à signer, je vous attends quand vous voulez cette semaine.",
	}
	smsReminders = []string{
		"Rappel : rendez-vous avec votre conseiller le %s. En cas d'empêchement, appelez l'agence.",
		"Votre rendez-vous du %s est confirmé. Pensez à apporter une pièce d'identité.",
	}
)

// Report comments the demo's advisors write, several per reason.
var reportTexts = map[string][]string{
	"home_loan": {
		"Projet d'achat d'un T3 à Villeurbanne, 210 k€, apport 35 k€. Simulation 20 ans envoyée ; rendez-vous à fixer avec les trois derniers bulletins de salaire.",
		"Renégociation envisagée du prêt en cours (taux 3,9 %). Étude comparative à préparer pour la semaine prochaine.",
		"Client hésite entre 20 et 25 ans. Expliqué le coût total de chaque option, il en parle avec sa conjointe.",
	},
	"savings": {
		"Souhaite épargner pour les études des enfants : ouverture d'un livret proposée, versements mensuels de 100 €.",
		"Livret A au plafond : présenté l'assurance vie et le PEL. Documentation remise.",
	},
	"payment_means": {
		"Carte bloquée après trois codes erronés : nouveau code demandé.\nRappeler si pas reçu sous 8 jours.",
		"Opposition faite suite au vol du portefeuille. Nouvelle carte commandée, livraison en agence.",
		"Relèvement temporaire du plafond à 3 000 € pour l'achat d'une voiture.",
	},
	"insurance": {
		"Questions sur la garantie habitation après un dégât des eaux. Déclaration de sinistre faite ensemble.",
		"Devis assurance auto demandé pour le nouveau véhicule ; envoi par e-mail ce soir.",
	},
	"appointment": {
		"Rendez-vous pris en agence pour faire le point sur les placements.",
		"Rendez-vous de signature décalé au samedi matin à la demande du client.",
	},
	"complaint": {
		"Mécontent des frais de commission d'intervention. Remboursement commercial de 8 € accordé, explication donnée.",
		"Réclamation sur un délai de virement : vérifié, le virement est parti le jour même. Client rassuré.",
	},
	"account": {
		"Demande de RIB pour un nouvel employeur, envoyé par e-mail.",
		"Ajout d'une procuration pour le fils sur le compte courant : formulaire à signer en agence.",
	},
	"customer_data": {
		"Changement d'adresse enregistré. Proposé la mise à jour de l'assurance habitation.",
		"Nouveau numéro de portable noté, consentement SMS confirmé.",
	},
}

// reportReasons are the reasons demo reports give, in turn.
var reportReasons = []string{"home_loan", "savings", "payment_means", "insurance", "appointment", "complaint",
	"account", "customer_data"}

// samplePDF is a small document standing for a customer's scan.
func samplePDF(title string) []byte {
	return []byte("%PDF-1.4\n% " + title + "\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// frenchMoment writes a day and time as an SMS reminder does.
func frenchMoment(t time.Time) string {
	days := []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	return fmt.Sprintf("%s %d à %s", days[t.Weekday()], t.Day(), strings.Replace(t.Format("15h04"), "h00", "h", 1))
}

// emailItem fills it with a customer's email or the advisor's answer.
func emailItem(r *rand.Rand, it *history.Item, first, name, email string, inbound bool) {
	m := customerMails[r.IntN(len(customerMails))]
	if inbound || m.reply == "" {
		it.Direction, it.From, it.Subject = history.DirectionInbound, email, m.subject
		it.Body = fmt.Sprintf(m.body, first)
		if m.attached != "" {
			it.Attachments = []history.Attachment{{Name: m.attached, ContentType: "application/pdf",
				ContentBase64: base64.StdEncoding.EncodeToString(samplePDF(m.attached))}}
		}
		return
	}
	it.Direction, it.To, it.Subject = history.DirectionOutbound, []string{email}, "RE: "+m.subject
	it.Body = fmt.Sprintf(m.reply, name)
}
