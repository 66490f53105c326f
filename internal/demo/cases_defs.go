package demo

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/cases"
	"github.com/rapport-crm/rapport/internal/core"
)

// The demo bank's contact types: what its advisors trace most.
func demoContactTypes() []cases.ContactType {
	advisorResponsible := []cases.TemplateAgent{{From: cases.FromPartyAdvisor, Role: cases.RoleResponsible}}
	return []cases.ContactType{
		{Code: "information", NameFR: "Demande d'information", NameEN: "Information request", Medium: "phone", Reason: "account"},
		{Code: "address_change", NameFR: "Changement d'adresse", NameEN: "Change of address", Medium: "face_to_face",
			Reason: "customer_data", Classification: "address_change",
			Template: cases.Template{Agents: advisorResponsible}},
		{Code: "card_opposition", NameFR: "Opposition carte bancaire", NameEN: "Card stop", Medium: "phone",
			Reason: "payment_means", Classification: "claim",
			Template: cases.Template{Interlocutors: []cases.TemplateParty{{From: cases.FromContractHolders, Role: "co-titulaire"}},
				Agents:  advisorResponsible,
				Objects: []cases.TemplateObject{{Kind: cases.ObjectContract, Product: "card", Required: true}}}},
		{Code: "claim", NameFR: "Réclamation", NameEN: "Complaint", Medium: "phone", Reason: "complaint",
			Classification: "claim", Template: cases.Template{Agents: advisorResponsible}},
		{Code: "loan_question", NameFR: "Question sur un crédit", NameEN: "Loan question", Medium: "phone", Reason: "home_loan",
			Template: cases.Template{Objects: []cases.TemplateObject{{Kind: cases.ObjectContract, Product: "home_loan"}}}},
		{Code: "appointment", NameFR: "Prise de rendez-vous", NameEN: "Appointment booking", Medium: "phone", Reason: "appointment"},
	}
}

// The demo bank's three processes: a complaint, a change of address, a
// dunning procedure opened by the collection system.
func demoClassifications() []cases.Classification {
	responsible := cases.Template{Agents: []cases.TemplateAgent{{From: cases.FromSignedIn, Role: cases.RoleResponsible}}}
	return []cases.Classification{
		{Code: "claim", NameFR: "Réclamation", NameEN: "Complaint", Template: responsible, Process: cases.Process{
			Statuses: []cases.Status{{Code: "received", NameFR: "Reçue", NameEN: "Received"},
				{Code: "analysis", NameFR: "En analyse", NameEN: "Under analysis"},
				{Code: "answered", NameFR: "Répondue", NameEN: "Answered", Closed: true},
				{Code: "withdrawn", NameFR: "Abandonnée", NameEN: "Withdrawn", Closed: true}},
			Steps: []cases.Step{
				{Code: "qualify", NameFR: "Qualifier", NameEN: "Qualify", From: []string{"received"}, To: "analysis",
					Fields: []cases.Field{{Code: "category", LabelFR: "Catégorie", LabelEN: "Category", Type: cases.FieldChoice, Required: true,
						Choices: []string{"frais", "carte", "credit", "accueil"}},
						{Code: "amount", LabelFR: "Montant contesté (€)", LabelEN: "Disputed amount (€)", Type: cases.FieldNumber}}},
				{Code: "answer", NameFR: "Répondre par courrier", NameEN: "Answer by letter", From: []string{"analysis"}, To: "answered",
					Fields: []cases.Field{{Code: "decision", LabelFR: "Décision", LabelEN: "Decision", Type: cases.FieldChoice, Required: true,
						Choices: []string{"accord", "refus", "geste_commercial"}},
						{Code: "answer", LabelFR: "Réponse au client", LabelEN: "Answer to the customer", Type: cases.FieldText, Required: true, Max: 2000}},
					Document: &cases.DocumentTemplate{Kind: cases.DocumentLetter, Subject: "Votre réclamation {{case.reference}}",
						Body: "Madame, Monsieur,\n\nNous avons bien étudié votre réclamation.\n\n{{field.answer}}\n\nNous restons à votre disposition.\n\nVeuillez agréer nos salutations distinguées."}},
				{Code: "withdraw", NameFR: "Classer sans suite", NameEN: "Withdraw", From: []string{"received", "analysis"}, To: "withdrawn"}}}},
		{Code: "address_change", NameFR: "Changement d'adresse", NameEN: "Change of address", Template: responsible, Process: cases.Process{
			Statuses: []cases.Status{{Code: "requested", NameFR: "Demandé", NameEN: "Requested"},
				{Code: "proof_awaited", NameFR: "Justificatif attendu", NameEN: "Proof awaited"},
				{Code: "done", NameFR: "Effectué", NameEN: "Done", Closed: true}},
			Steps: []cases.Step{
				{Code: "ask_proof", NameFR: "Demander un justificatif", NameEN: "Ask for proof", From: []string{"requested"}, To: "proof_awaited"},
				{Code: "validate", NameFR: "Valider la nouvelle adresse", NameEN: "Validate the new address", From: []string{"requested", "proof_awaited"}, To: "done",
					Fields: []cases.Field{{Code: "proof", LabelFR: "Justificatif reçu", LabelEN: "Proof received", Type: cases.FieldChoice, Required: true,
						Choices: []string{"facture_energie", "quittance_loyer", "attestation_assurance"}},
						{Code: "effective_on", LabelFR: "Date d'effet", LabelEN: "Effective on", Type: cases.FieldDate, Required: true}}}}}},
		{Code: "dunning", NameFR: "Relance impayé", NameEN: "Dunning", Process: cases.Process{
			Statuses: []cases.Status{{Code: "opened", NameFR: "Ouverte", NameEN: "Opened"},
				{Code: "reminded", NameFR: "Relance envoyée", NameEN: "Reminder sent"},
				{Code: "formal_notice", NameFR: "Mise en demeure", NameEN: "Formal notice"},
				{Code: "settled", NameFR: "Régularisée", NameEN: "Settled", Closed: true}},
			Steps: []cases.Step{
				{Code: "remind", NameFR: "Envoyer la relance", NameEN: "Send the reminder", From: []string{"opened"}, To: "reminded",
					Document: &cases.DocumentTemplate{Kind: cases.DocumentLetter, Subject: "Relance — compte débiteur",
						Body: "Madame, Monsieur,\n\nSauf erreur de notre part, votre compte présente un solde débiteur non autorisé. Nous vous remercions de bien vouloir le régulariser sous huit jours.\n\nVotre conseiller, {{agent.name}}, se tient à votre disposition."}},
				{Code: "notice", NameFR: "Mettre en demeure", NameEN: "Send formal notice", From: []string{"reminded"}, To: "formal_notice"},
				{Code: "settle", NameFR: "Constater la régularisation", NameEN: "Record the settlement", To: "settled",
					Fields: []cases.Field{{Code: "paid", LabelFR: "Montant régularisé (€)", LabelEN: "Amount settled (€)", Type: cases.FieldNumber, Required: true}}}}}},
	}
}

// The demo bank's two action plans.
func demoPlans() []cases.ActionPlan {
	return []cases.ActionPlan{
		{Code: "address_followup", NameFR: "Suivi changement d'adresse", NameEN: "Change of address follow-up", Steps: []cases.PlanStep{
			{Day: 0, Title: "Envoyer le formulaire et la liste des justificatifs", Assignee: cases.AssignLauncher},
			{Day: 2, Title: "Appeler le client si le justificatif manque", Kind: cases.TaskCall, Assignee: cases.AssignCaseAgent},
			{Day: 5, Title: "Contrôler le justificatif et mettre à jour l'adresse", Assignee: cases.AssignQueue, UnitCode: backOfficeCode,
				MovesCaseTo: "done"}}},
		{Code: "dunning_followup", NameFR: "Relance impayé — 10 jours", NameEN: "Dunning — 10 days", Steps: []cases.PlanStep{
			{Day: 0, Title: "Appeler le client au sujet du débit", Kind: cases.TaskCall, Assignee: cases.AssignCaseAgent},
			{Day: 2, Title: "Proposer un rendez-vous de point budget", Kind: cases.TaskMeeting, Assignee: cases.AssignCaseAgent,
				MovesCaseTo: "reminded"},
			{Day: 10, Title: "Vérifier la régularisation du compte", Assignee: cases.AssignCaseAgent}}},
	}
}

// saveDefinitions writes the demo definitions as an administrator would.
func (s *caseSeeder) saveDefinitions(ctx context.Context) error {
	sys := core.System()
	for _, t := range demoContactTypes() {
		t.Active = true
		if _, err := s.store.SaveContactType(ctx, sys, bankCode, t); err != nil {
			return fmt.Errorf("demo contact type %s: %w", t.Code, err)
		}
	}
	for _, c := range demoClassifications() {
		c.Active = true
		if _, err := s.store.SaveClassification(ctx, sys, bankCode, c); err != nil {
			return fmt.Errorf("demo classification %s: %w", c.Code, err)
		}
	}
	for _, p := range demoPlans() {
		p.Active = true
		if _, err := s.store.SavePlan(ctx, sys, bankCode, p); err != nil {
			return fmt.Errorf("demo action plan %s: %w", p.Code, err)
		}
	}
	return nil
}
