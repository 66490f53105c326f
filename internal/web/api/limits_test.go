package api_test

import (
	"net/http"
	"testing"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/api"
)

// TestTheOpenAPIDocumentStatesTheLimitsTheDomainChecks: the maxLength of
// every documented text is the limit core checks, so the document and the
// refusals never disagree.
func TestTheOpenAPIDocumentStatesTheLimitsTheDomainChecks(t *testing.T) {
	doc := api.Mount(http.NewServeMux(), api.Deps{}).OpenAPI()
	want := map[string]map[string]int{
		"Item": {"source": core.MaxCode, "external_id": core.MaxExternalID, "agent": core.MaxCode, "party_id": core.MaxCode,
			"client_number": core.MaxCode, "from": core.MaxCoordinate, "subject": core.MaxSubject, "body": core.MaxBody,
			"category": core.MaxCode, "letter_type": core.MaxCode, "outcome": core.MaxCode},
		"PartyBody": {"first_name": core.MaxName, "last_name": core.MaxName, "name": core.MaxName,
			"client_number": core.MaxCode, "segment": core.MaxCode, "agency_code": core.MaxCode, "advisor_login": core.MaxCode},
		"PartyPatchInputBody": {"first_name": core.MaxName, "last_name": core.MaxName, "name": core.MaxName},
		"EmailJSON":           {"address": core.MaxCoordinate},
		"PhoneJSON":           {"number": core.MaxCoordinate},
		"AddressJSON": {"line1": core.MaxAddressLine, "line2": core.MaxAddressLine, "postal_code": core.MaxPostalCode,
			"city": core.MaxAddressLine, "country": core.MaxCode},
		"AgentCreateInputBody":    {"login": core.MaxCode, "name": core.MaxName, "email": core.MaxCoordinate, "password": core.MaxPassword},
		"AgentPatchInputBody":     {"name": core.MaxName, "email": core.MaxCoordinate, "password": core.MaxPassword},
		"UnitCreateInputBody":     {"code": core.MaxCode, "name": core.MaxName},
		"ContractCreateInputBody": {"number": core.MaxCode, "product": core.MaxCode},
		"ReportInput":             {"comment": core.MaxComment, "party_id": core.MaxCode},
		"ReportFix":               {"comment": core.MaxComment},
		"RequestCreateInputBody": {"subject": core.MaxSubject, "body": core.MaxBody, "customer_name": core.MaxName,
			"customer_email": core.MaxCoordinate, "customer_phone": core.MaxCoordinate, "party_id": core.MaxCode,
			"reason": core.MaxCode, "unit_code": core.MaxCode},
		"RequestPatchInputBody":      {"subject": core.MaxSubject, "reason": core.MaxCode, "party_id": core.MaxCode},
		"DeskAttachmentJSON":         {"name": core.MaxName, "content_type": core.MaxCode, "content_id": core.MaxCode},
		"DraftBody":                  {"body": core.MaxBody, "subject": core.MaxSubject, "seen_last": core.MaxCode},
		"NoteInputBody":              {"body": core.MaxBody},
		"SolicitInputBody":           {"to": core.MaxCoordinate, "subject": core.MaxSubject, "body": core.MaxBody},
		"SolicitationReplyInputBody": {"body": core.MaxBody, "subject": core.MaxSubject, "seen_last": core.MaxCode},
		"AssignInputBody":            {"agent": core.MaxCode},
		"MailboxBody": {"unit_code": core.MaxCode, "address": core.MaxCoordinate, "name": core.MaxName,
			"signature": core.MaxLongText, "after_fetch": core.MaxName},
		"ImapJSON": {"login": core.MaxCoordinate, "password": core.MaxPassword, "folder": core.MaxName},
		"SmtpJSON": {"login": core.MaxCoordinate, "password": core.MaxPassword},
	}
	schemas := doc.Components.Schemas.Map()
	for name, fields := range want {
		s, ok := schemas[name]
		if !ok {
			t.Errorf("no schema %s", name)
			continue
		}
		for field, limit := range fields {
			p := s.Properties[field]
			if p == nil || p.MaxLength == nil || *p.MaxLength != limit {
				t.Errorf("%s.%s: maxLength %v, want %d", name, field, maxLength(p), limit)
			}
		}
	}
	for _, list := range []string{"to", "cc"} {
		if p := schemas["Item"].Properties[list]; p == nil || p.MaxItems == nil || *p.MaxItems != core.MaxRecipients {
			t.Errorf("Item.%s: maxItems not %d", list, core.MaxRecipients)
		}
	}
	search := doc.Paths["/parties"].Get
	for _, param := range search.Parameters {
		if param.Schema.Type == "string" && param.Name != "status" && param.Name != "kind" &&
			(param.Schema.MaxLength == nil || *param.Schema.MaxLength != core.MaxQuery) {
			t.Errorf("search parameter %s: maxLength %v, want %d", param.Name, maxLength(param.Schema), core.MaxQuery)
		}
	}
}

func maxLength(s *huma.Schema) any {
	if s == nil || s.MaxLength == nil {
		return nil
	}
	return *s.MaxLength
}
