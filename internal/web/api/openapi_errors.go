package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// errorStatuses are the error answers operations give, with what they
// mean in this API. Every operation can answer 400, 401, 403, 422, 500 and
// 503; documentErrors adds 404 to operations that name a resource in their
// path, 404 and 409 to every write (what a body names may not exist, or
// exist already), and keeps the 409, 410 and 429 an operation declares.
var errorStatuses = map[int]string{
	http.StatusBadRequest:          "Malformed request: JSON that does not parse, a cursor or a parameter that is not UTF-8 (code bad_request)",
	http.StatusUnauthorized:        "Missing, wrong or expired bearer token (code unauthorized)",
	http.StatusForbidden:           "The token's agent lacks the permission the operation names (code forbidden)",
	http.StatusNotFound:            "Not found, or outside the agent's scope: the two are not told apart (code not_found)",
	http.StatusConflict:            "The state changed since it was read, or the item exists already (code conflict)",
	http.StatusGone:                "Removed for good (code gone)",
	http.StatusUnprocessableEntity: "Validation failed: fields names each field at fault and reasons its stable code and parameters (code invalid)",
	http.StatusTooManyRequests:     "Too many attempts; try again later (code too_many_tries)",
	http.StatusInternalServerError: "Unexpected failure, logged on the server (code internal)",
	http.StatusServiceUnavailable:  "The database is unreachable; retry after the Retry-After header's seconds (code unavailable)",
}

// documentErrors replaces huma's catch-all "default" answer by the error
// statuses each operation really gives, every one with the error envelope,
// so a generated client knows them and a response validator refuses any
// other.
func documentErrors(a huma.API) {
	errorSchema := &huma.Schema{Ref: "#/components/schemas/ApiError"}
	for path, item := range a.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			delete(op.Responses, "default")
			statuses := []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden,
				http.StatusUnprocessableEntity, http.StatusInternalServerError, http.StatusServiceUnavailable}
			if strings.Contains(path, "{") || op.Method != http.MethodGet {
				statuses = append(statuses, http.StatusNotFound)
			}
			if op.Method != http.MethodGet {
				statuses = append(statuses, http.StatusConflict)
			}
			for _, s := range statuses {
				key := strconv.Itoa(s)
				if op.Responses[key] == nil {
					op.Responses[key] = &huma.Response{}
				}
			}
			for key, r := range op.Responses {
				s, _ := strconv.Atoi(key)
				if s < 400 {
					continue
				}
				r.Description = errorStatuses[s]
				r.Content = map[string]*huma.MediaType{"application/json": {Schema: errorSchema}}
				if s == http.StatusServiceUnavailable {
					r.Headers = map[string]*huma.Param{"Retry-After": {Description: "Seconds to wait before retrying",
						Schema: &huma.Schema{Type: "string"}}}
				}
			}
		}
	}
}
