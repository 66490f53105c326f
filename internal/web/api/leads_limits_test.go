package api_test

import (
	"net/http"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/api"
)

// TestTheLeadsRoutesStateTheLimitsTheStoreChecks: the maxLength of every
// text a lead route takes is the limit the leads store checks.
func TestTheLeadsRoutesStateTheLimitsTheStoreChecks(t *testing.T) {
	doc := api.Mount(http.NewServeMux(), api.Deps{}).OpenAPI()
	want := map[string]map[string]int{
		"LeadCreateInputBody": {"source": core.MaxCode, "source_group": core.MaxCode, "external_id": core.MaxExternalID,
			"first_name": core.MaxName, "last_name": core.MaxName, "email": core.MaxCoordinate, "phone": core.MaxCoordinate,
			"postal_code": core.MaxPostalCode, "product": core.MaxCode, "message": core.MaxLongText, "unit_code": core.MaxCode},
		"LeadAssignInputBody": {"agent": core.MaxCode},
		"LeadRuleInputJSON": {"source": core.MaxCode, "product": core.MaxCode, "postal_code_prefix": core.MaxPostalCode,
			"unit_code": core.MaxCode},
		"AbsenceCreateInputBody": {"note": core.MaxComment},
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
}
