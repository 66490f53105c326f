package api_test

import (
	"net/http"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/api"
)

// TestTheCaseRoutesStateTheLimitsTheDomainChecks: the maxLength of every
// text the contacts', cases', tasks' and board's routes take is the limit
// internal/cases checks.
func TestTheCaseRoutesStateTheLimitsTheDomainChecks(t *testing.T) {
	doc := api.Mount(http.NewServeMux(), api.Deps{}).OpenAPI()
	want := map[string]map[string]int{
		"ContactCreateInputBody": {"type": core.MaxCode, "party_id": core.MaxCode, "contract_id": core.MaxCode,
			"reason": core.MaxCode, "comment": core.MaxComment, "unit_code": core.MaxCode},
		"AgentLinkJSON":  {"login": core.MaxCode},
		"ObjectLinkJSON": {"kind": core.MaxCode, "id": core.MaxExternalID, "label": core.MaxName},
		"CaseCreateInputBody": {"classification": core.MaxCode, "party_id": core.MaxCode, "contract_id": core.MaxCode,
			"unit_code": core.MaxCode, "idempotency_key": core.MaxExternalID, "title": core.MaxSubject},
		"CaseFromContactInputBody": {"classification": core.MaxCode},
		"MoveContactInputBody":     {"case_id": core.MaxCode},
		"StepInputBody":            {"step": core.MaxCode},
		"CaseNoteInputBody":        {"title": core.MaxSubject, "body": core.MaxLongText},
		"CaseDocumentInputBody":    {"name": core.MaxName, "content_type": core.MaxCode},
		"TaskCreateInputBody": {"title": core.MaxSubject, "description": core.MaxLongText, "assignee": core.MaxCode,
			"party_id": core.MaxCode, "case_id": core.MaxCode, "request_id": core.MaxCode, "unit_code": core.MaxCode},
		"TaskPatchInputBody":   {"assignee": core.MaxCode, "title": core.MaxSubject},
		"PlanLaunchInputBody":  {"case_id": core.MaxCode, "contact_id": core.MaxCode, "request_id": core.MaxCode},
		"BoardMoveInputBody":   {"id": core.MaxCode, "status": core.MaxCode},
		"TemplatePartyJSON":    {"party_id": core.MaxCode, "role": core.MaxName},
		"TemplateAgentJSON":    {"login": core.MaxCode},
		"TemplateObjectJSON":   {"kind": core.MaxCode, "product": core.MaxCode},
		"StatusJSON":           {"code": core.MaxCode, "name": core.MaxName, "name_en": core.MaxName},
		"FieldDefJSON":         {"code": core.MaxCode, "label": core.MaxName, "label_en": core.MaxName},
		"DocumentTemplateJSON": {"subject": core.MaxSubject, "body": core.MaxLongText},
		"StepDefJSON":          {"code": core.MaxCode, "name": core.MaxName, "name_en": core.MaxName, "to": core.MaxCode},
		"PlanStepJSON":         {"title": core.MaxName, "description": core.MaxLongText, "unit_code": core.MaxCode, "moves_case_to": core.MaxCode},
		"ContactTypeSaveInputBody": {"code": core.MaxCode, "establishment_code": core.MaxCode, "name": core.MaxName,
			"name_en": core.MaxName, "reason": core.MaxCode, "classification": core.MaxCode},
		"ClassificationSaveInputBody": {"code": core.MaxCode, "establishment_code": core.MaxCode, "name": core.MaxName, "name_en": core.MaxName},
		"PlanSaveInputBody":           {"code": core.MaxCode, "establishment_code": core.MaxCode, "name": core.MaxName, "name_en": core.MaxName},
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
	for name, lists := range map[string][]string{"ContactCreateInputBody": {"interlocutors", "agents", "objects"},
		"CaseCreateInputBody": {"interlocutors", "agents", "objects"}} {
		for _, l := range lists {
			if p := schemas[name].Properties[l]; p == nil || p.MaxItems == nil || *p.MaxItems != 50 {
				t.Errorf("%s.%s: maxItems not 50, the store's bound", name, l)
			}
		}
	}
}
