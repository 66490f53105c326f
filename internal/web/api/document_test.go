package api

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestBothServedDocumentsAreValidOpenAPI(t *testing.T) {
	for _, version := range []string{"3.1", "3.0"} {
		t.Run(version, func(t *testing.T) {
			b, err := Document(version)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := openapi3.NewLoader().LoadFromData(b)
			if err != nil {
				t.Fatalf("kin-openapi cannot read the %s document: %v", version, err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Errorf("the %s document is not valid: %v", version, err)
			}
		})
	}
}
