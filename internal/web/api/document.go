package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// Document returns the API's OpenAPI document as served at
// /api/v1/openapi.json (version "3.1") or /api/v1/openapi-3.0.json
// (version "3.0", for generators that read only 3.0), without a database.
func Document(version string) ([]byte, error) {
	return documentOf(Mount(http.NewServeMux(), Deps{}).OpenAPI(), version)
}

func documentOf(o *huma.OpenAPI, version string) ([]byte, error) {
	switch version {
	case "3.1", "":
		return json.Marshal(o)
	case "3.0":
		b, err := o.Downgrade()
		if err != nil {
			return nil, err
		}
		return fixFor30(b)
	default:
		return nil, fmt.Errorf("OpenAPI version %q: want 3.1 or 3.0", version)
	}
}

// serveDocuments serves the OpenAPI document at prefix + /openapi.json,
// /openapi.yaml and /openapi-3.0.json, each made once on first request.
func serveDocuments(mux *http.ServeMux, prefix string, o *huma.OpenAPI) {
	serve := func(path, contentType string, make func() ([]byte, error)) {
		var body []byte
		mux.HandleFunc("GET "+prefix+path, func(w http.ResponseWriter, r *http.Request) {
			if body == nil {
				b, err := make()
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				body = b
			}
			w.Header().Set("Content-Type", contentType)
			w.Write(body)
		})
	}
	serve("/openapi.json", "application/openapi+json", func() ([]byte, error) { return documentOf(o, "3.1") })
	serve("/openapi-3.0.json", "application/openapi+json", func() ([]byte, error) { return documentOf(o, "3.0") })
	serve("/openapi.yaml", "application/openapi+yaml", o.YAML)
}

// fixFor30 corrects what huma's downgrade leaves in the 3.1 form, which
// 3.0 refuses: a nullable reference (anyOf a $ref and the null type)
// becomes allOf the $ref with nullable: true, and a binary string loses
// its contentMediaType (format: binary says it in 3.0).
func fixFor30(b []byte) ([]byte, error) {
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			delete(v, "contentMediaType")
			if anyOf, ok := v["anyOf"].([]any); ok {
				kept := anyOf[:0:0]
				for _, s := range anyOf {
					if m, ok := s.(map[string]any); ok && len(m) == 1 && m["type"] == "null" {
						v["nullable"] = true
						continue
					}
					kept = append(kept, s)
				}
				if v["nullable"] == true && len(kept) == 1 {
					delete(v, "anyOf")
					v["allOf"] = kept
				} else {
					v["anyOf"] = kept
				}
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
	return json.Marshal(doc)
}
