package api_test

import (
	"net/http"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/web/api"
)

// TestTheSurveyRoutesStateTheLimitsTheStoreChecks: the maxLength of every
// text a survey route takes is the limit the surveys store checks.
func TestTheSurveyRoutesStateTheLimitsTheStoreChecks(t *testing.T) {
	doc := api.Mount(http.NewServeMux(), api.Deps{}).OpenAPI()
	want := map[string]map[string]int{
		"SurveyCampaignBody": {"establishment_code": core.MaxCode, "code": core.MaxCode, "name": core.MaxName},
		"SurveyTextsJSON":    {"subject": 200, "intro": 2000, "question": 500, "thanks": 1000, "sms": 300},
		"SurveyAskInputBody": {"interaction_id": core.MaxCode, "campaign": core.MaxCode},
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
