package httpx

import (
	"net/http"
	"testing"

	"github.com/rapport-crm/rapport/internal/core"
)

func TestEveryErrorCodeMapsToItsStatus(t *testing.T) {
	cases := map[core.Code]int{
		core.Invalid: 422, core.BadRequest: 400, core.Unauthorized: 401, core.Forbidden: 403,
		core.NotFound: 404, core.Conflict: 409, core.Gone: 410, core.TooManyTries: 429, core.Internal: 500,
		core.Unavailable: 503,
	}
	for code, want := range cases {
		if got := Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
	}
}

func TestBearerTokenIsReadCaseInsensitively(t *testing.T) {
	r, _ := http.NewRequest("GET", "/", nil)
	r.Header.Set("Authorization", "bearer rpt_abc")
	if got := BearerToken(r); got != "rpt_abc" {
		t.Fatalf("BearerToken = %q", got)
	}
	r.Header.Set("Authorization", "Basic xyz")
	if got := BearerToken(r); got != "" {
		t.Fatalf("BearerToken of basic auth = %q", got)
	}
}
