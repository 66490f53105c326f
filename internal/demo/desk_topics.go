package demo

// deskTopic is a kind of customer request of the demo desk, with what the
// customer writes, how an agent answers and what the agent does around it.
// Texts hold placeholders: {prenom} and {nom} the customer's names,
// {conseiller} the agent's name, {agence} the unit's.
type deskTopic struct {
	reason, priority string
	subject, body    string
	reply            string // the agent's answer to the customer
	note             string // an internal note, "" for none
	followUp         string // the customer's second message, "" for none
	solicit          *deskSolicitation
	phone            bool     // also comes by telephone
	files            []string // PDF files the customer joins to the first message
}

// deskSolicitation is a message to an outside person about a request.
type deskSolicitation struct {
	to, subject, body string
	reminder          string // a second message in the same thread, "" for none
}

// Outside people the demo's agents write to.
const (
	expertAddress  = "expertise@assureur-partenaire.fr"
	notaryAddress  = "office@notaires-presquile.fr"
	estateAddress  = "gestion@immobiliere-des-halles.fr"
	brokerAddress  = "dossiers@courtage-habitat.fr"
	cardsAddress   = "litiges@monetique-partenaire.fr"
	insurerAddress = "sinistres@assureur-partenaire.fr"
)

// deskTopics are the requests the demo desk receives.
var deskTopics = []deskTopic{
	{reason: "card", priority: "high", phone: true,
		subject: "Carte bloquée au distributeur",
		body: "Bonjour,\n\nMa carte a été avalée ce matin par le distributeur de la place Bellecour après trois codes erronés. " +
			"Je pars en déplacement vendredi : pouvez-vous m'en envoyer une nouvelle rapidement ?\n\nMerci d'avance,\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Votre carte a bien été mise en opposition et une nouvelle carte a été commandée en envoi express : " +
			"vous la recevrez sous 48 heures ouvrées, avec un nouveau code confidentiel par courrier séparé.</p>" +
			"<p>En attendant, vous pouvez retirer des espèces au guichet de l'{agence} sur présentation d'une pièce d'identité.</p><p>Bien cordialement,<br>{conseiller}</p>",
		note:     "Opposition faite, carte Visa Premier recommandée en express (frais offerts, geste commercial).",
		followUp: "Bonjour,\n\nJ'ai bien reçu la carte, merci beaucoup pour votre réactivité.\n\n{prenom} {nom}"},
	{reason: "card", priority: "high",
		subject: "Paiement inconnu sur mon relevé",
		body: "Bonjour,\n\nJe vois sur mon compte un paiement de 249,90 € chez « WEBSHOP*ELECTRO » que je n'ai jamais fait. " +
			"Ma carte est pourtant toujours dans mon portefeuille. Que dois-je faire ?\n\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Nous avons fait opposition à votre carte et ouvert une contestation pour ce paiement. " +
			"Merci de nous retourner le formulaire de contestation signé, joint au prochain message ; le montant vous sera recrédité " +
			"dans l'attente de l'enquête.</p><p>Cordialement,<br>{conseiller}</p>",
		note: "Fraude probable (paiement à distance, carte en possession). Contestation ouverte.",
		solicit: &deskSolicitation{to: cardsAddress, subject: "Contestation d'un paiement frauduleux",
			body: "<p>Bonjour,</p><p>Pouvez-vous ouvrir une contestation pour l'opération WEBSHOP*ELECTRO de 249,90 € de notre client ? " +
				"La carte a été mise en opposition ce jour.</p><p>Merci,<br>{conseiller}, {agence}</p>"}},
	{reason: "address_change", phone: true,
		subject: "Changement d'adresse",
		body: "Bonjour,\n\nNous avons déménagé le mois dernier. Notre nouvelle adresse est 14 rue des Tanneurs, appartement 21. " +
			"Pouvez-vous la mettre à jour pour mes comptes et ma carte ?\n\nBien à vous,\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Votre nouvelle adresse est enregistrée ; elle s'applique à vos relevés, à votre carte et à vos contrats. " +
			"Pensez à nous transmettre un justificatif de domicile de moins de trois mois (facture d'énergie ou quittance de loyer).</p>" +
			"<p>Bien cordialement,<br>{conseiller}</p>",
		followUp: "Bonjour,\n\nJe vous déposerai la quittance de loyer en agence samedi matin.\n\nCordialement,\n{prenom} {nom}",
		solicit: &deskSolicitation{to: estateAddress, subject: "Attestation de bail",
			body: "<p>Madame, Monsieur,</p><p>Notre client nous indique être locataire d'un logement que vous gérez, 14 rue des Tanneurs. " +
				"Pourriez-vous nous adresser une attestation de bail à son nom ?</p><p>Cordialement,<br>{conseiller}, {agence}</p>"}},
	{reason: "loan", priority: "medium", phone: true,
		subject: "Question sur mon prêt immobilier",
		body: "Bonjour,\n\nJe souhaiterais faire un remboursement anticipé partiel de 20 000 € sur mon prêt immobilier. " +
			"Y a-t-il des indemnités, et la mensualité baissera-t-elle ou la durée ?\n\nMerci,\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Un remboursement anticipé partiel est possible à chaque échéance. Les indemnités sont plafonnées " +
			"à six mois d'intérêts et à 3 % du capital remboursé. Vous pouvez choisir de réduire la durée ou la mensualité : " +
			"je vous propose un rendez-vous pour comparer les deux simulations.</p><p>Bien à vous,<br>{conseiller}</p>",
		note:     "Client intéressé aussi par un placement : lui proposer l'assurance-vie lors du rendez-vous.",
		followUp: "Bonjour,\n\nMerci. Je préfère réduire la durée. Jeudi 17 h me conviendrait pour le rendez-vous.\n\n{prenom} {nom}",
		solicit: &deskSolicitation{to: brokerAddress, subject: "Décompte de remboursement anticipé",
			body:     "<p>Bonjour,</p><p>Pouvez-vous nous transmettre le décompte de remboursement anticipé partiel (20 000 €) du prêt de notre client ?</p><p>Merci,<br>{conseiller}</p>",
			reminder: "<p>Bonjour,</p><p>Je me permets de vous relancer pour le décompte demandée la semaine dernière : le client attend notre retour.</p><p>{conseiller}</p>"}},
	{reason: "loan", priority: "medium",
		subject: "Offre de prêt pour l'achat d'un appartement",
		body: "Bonjour,\n\nNous avons signé un compromis pour un appartement à 285 000 €. Le notaire nous demande l'offre de prêt " +
			"avant le 30. Où en est notre dossier ?\n\nCordialement,\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Votre dossier a reçu l'accord de principe. L'offre de prêt part cette semaine : " +
			"vous la recevrez par courrier et devrez respecter le délai de réflexion de dix jours avant de l'accepter.</p>" +
			"<p>Je préviens votre notaire de la date prévisionnelle de déblocage des fonds.</p><p>Cordialement,<br>{conseiller}</p>",
		solicit: &deskSolicitation{to: notaryAddress, subject: "Acquisition de M. et Mme {nom} – calendrier du financement",
			body: "<p>Maître,</p><p>Nous vous confirmons l'accord de financement de vos clients, M. et Mme {nom}. L'offre de prêt est émise cette semaine ; " +
				"les fonds pourront être débloqués à partir du onzième jour suivant sa réception.</p>" +
				"<p>Pouvez-vous nous indiquer la date de signature de l'acte authentique ?</p><p>Bien respectueusement,<br>{conseiller}, {agence}</p>",
			reminder: "<p>Maître,</p><p>Avez-vous pu fixer la date de signature ? Nous devons planifier le déblocage des fonds.</p><p>{conseiller}</p>"}},
	{reason: "insurance", priority: "high", phone: true,
		subject: "Déclaration de sinistre – dégât des eaux",
		body: "Bonjour,\n\nUne fuite chez notre voisin du dessus a abîmé le plafond de la cuisine et du salon. " +
			"Nous sommes assurés en multirisque habitation chez vous. Comment déclarer le sinistre ?\n\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Votre sinistre est déclaré sous la référence indiquée en objet. Un expert va vous contacter " +
			"pour fixer une visite. Gardez les factures et prenez des photos des dégâts ; le constat amiable dégât des eaux signé avec votre voisin " +
			"nous sera utile.</p><p>Bien cordialement,<br>{conseiller}</p>",
		note:     "Contrat MRH actif, franchise 150 €. Expertise demandée.",
		followUp: "Bonjour,\n\nLe constat amiable est signé avec notre voisin, je vous le dépose demain avec les photos.\n\nMerci,\n{prenom} {nom}",
		solicit: &deskSolicitation{to: expertAddress, subject: "Mission d'expertise – dégât des eaux",
			body: "<p>Bonjour,</p><p>Nous vous confions l'expertise d'un dégât des eaux chez notre client {prenom} {nom} (plafonds de la cuisine et du salon). " +
				"Le client est joignable en journée.</p><p>Merci de nous faire parvenir votre rapport.</p><p>{conseiller}, {agence}</p>",
			reminder: "<p>Bonjour,</p><p>Le client n'a pas encore été contacté pour la visite : pouvez-vous nous donner une date ?</p><p>{conseiller}</p>"}},
	{reason: "insurance", priority: "medium",
		subject: "Bris de glace sur ma voiture",
		body:    "Bonjour,\n\nUn gravillon a fissuré mon pare-brise sur l'autoroute hier. Suis-je couvert et quel garage puis-je choisir ?\n\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Votre contrat auto couvre le bris de glace sans franchise. Vous pouvez vous rendre dans le garage " +
			"de votre choix ; il nous adressera directement la facture.</p><p>Cordialement,<br>{conseiller}</p>",
		solicit: &deskSolicitation{to: insurerAddress, subject: "Bris de glace – prise en charge",
			body: "<p>Bonjour,</p><p>Merci d'enregistrer la prise en charge d'un remplacement de pare-brise pour notre client {prenom} {nom}.</p><p>{conseiller}</p>"}},
	{reason: "documents", files: []string{"avis-imposition-2024.pdf", "avis-imposition-2025.pdf", "bulletins-salaire.pdf"},
		subject: "Envoi de mes avis d'imposition",
		body: "Bonjour,\n\nComme demandé par mon conseiller, voici mes deux derniers avis d'imposition et mes trois derniers bulletins de salaire.\n\n" +
			"Bonne journée,\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Nous avons bien reçu vos documents, votre dossier est complet. Nous revenons vers vous " +
			"dès la décision, sous huit jours.</p><p>Bien à vous,<br>{conseiller}</p>",
		note: "Pièces reçues et classées dans le dossier crédit."},
	{reason: "documents", phone: true,
		subject: "Attestation de solde pour la CAF",
		body:    "Bonjour,\n\nLa CAF me demande une attestation de solde de mon livret A au 31 décembre. Pouvez-vous me l'envoyer ?\n\nMerci,\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Vous trouverez votre attestation dans votre espace client, rubrique Documents ; " +
			"je vous l'envoie aussi par courrier.</p><p>Cordialement,<br>{conseiller}</p>"},
	{reason: "account", phone: true,
		subject: "Augmentation de mon découvert autorisé",
		body: "Bonjour,\n\nJe commence un nouvel emploi le mois prochain et mon premier salaire arrivera tard. " +
			"Serait-il possible de porter mon découvert autorisé à 1 500 € pendant deux mois ?\n\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Votre découvert autorisé est porté à 1 500 € pour deux mois à compter d'aujourd'hui. " +
			"Merci de nous transmettre votre contrat de travail quand vous l'aurez.</p><p>Bien cordialement,<br>{conseiller}</p>",
		note: "Accord du directeur d'agence par téléphone."},
	{reason: "account",
		subject: "Procuration pour ma mère",
		body:    "Bonjour,\n\nMa mère, qui a 87 ans, souhaite me donner procuration sur son compte courant. Quelles sont les démarches ?\n\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>La procuration se signe en agence en présence de votre mère et de vous-même, avec vos pièces d'identité. " +
			"Si elle ne peut se déplacer, un conseiller peut venir à son domicile.</p><p>Bien à vous,<br>{conseiller}</p>",
		followUp: "Bonjour,\n\nMerci. Ma mère ne se déplace plus : une visite à domicile serait parfaite, le matin de préférence.\n\n{prenom} {nom}",
		solicit: &deskSolicitation{to: notaryAddress, subject: "Mandat de protection future",
			body: "<p>Maître,</p><p>La mère de notre client envisage un mandat de protection future. Pourriez-vous le recevoir pour lui présenter la démarche ?</p><p>{conseiller}, {agence}</p>"}},
	{reason: "savings",
		subject: "Ouverture d'une assurance-vie pour mes enfants",
		body:    "Bonjour,\n\nJe voudrais ouvrir une assurance-vie au nom de mes deux enfants et y verser 100 € par mois. Quels supports proposez-vous ?\n\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Nous proposons un contrat au nom de chaque enfant, avec des versements programmés dès 30 € par mois, " +
			"en fonds en euros ou en gestion pilotée. Je vous propose un rendez-vous pour choisir ensemble.</p><p>Cordialement,<br>{conseiller}</p>"},
	{reason: "complaint", priority: "high",
		subject: "Réclamation – frais prélevés à tort",
		body: "Bonjour,\n\nPour la troisième fois, des frais d'incident de 8 € m'ont été prélevés alors que mon compte n'était pas à découvert. " +
			"Je souhaite leur remboursement et une explication.\n\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Nous vous prions de nous excuser : ces frais ont été prélevés à tort à la suite d'un décalage " +
			"de date de valeur. Les 24 € vous sont remboursés ce jour.</p><p>Bien cordialement,<br>{conseiller}</p>",
		note:     "Réclamation fondée : remboursement des 3 × 8 €. Signalé au back-office pour corriger les dates de valeur.",
		followUp: "Bonjour,\n\nJe vois bien le remboursement, merci. J'espère que cela ne se reproduira pas.\n\n{prenom} {nom}"},
	{reason: "information", phone: true,
		subject: "Horaires de l'agence pendant les fêtes",
		body:    "Bonjour,\n\nL'agence sera-t-elle ouverte le samedi 27 décembre ? Je dois déposer des chèques.\n\nMerci,\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>L'{agence} sera ouverte le samedi 27 décembre de 9 h à 12 h 30. Vous pouvez aussi déposer " +
			"vos chèques à tout moment dans la boîte de dépôt de l'agence.</p><p>Bonne journée,<br>{conseiller}</p>"},
	{reason: "information",
		subject: "Succession de mon père",
		body: "Bonjour,\n\nMon père est décédé le mois dernier. Il avait un compte et un livret dans votre banque. " +
			"Que devons-nous faire ? Le notaire chargé de la succession est Maître Lambert.\n\n{prenom} {nom}",
		reply: "<p>Bonjour {prenom} {nom},</p><p>Toutes nos condoléances. Les comptes de votre père sont bloqués dans l'attente du règlement de la succession ; " +
			"les factures obsèques peuvent être réglées sur présentation de la facture. Nous nous mettons en relation avec Maître Lambert.</p>" +
			"<p>Bien respectueusement,<br>{conseiller}</p>",
		note: "Comptes du défunt bloqués, déclaration de décès transmise au back-office.",
		solicit: &deskSolicitation{to: notaryAddress, subject: "Succession – avoirs du défunt",
			body: "<p>Maître,</p><p>Suite au décès du père de notre client, vous trouverez ci-après la liste des avoirs détenus dans nos livres " +
				"à la date du décès. Merci de nous indiquer la dévolution successorale le moment venu.</p><p>Bien respectueusement,<br>{conseiller}, {agence}</p>"}},
}
