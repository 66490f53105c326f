// Package apiclient is an example of a client generated from Rapport's
// OpenAPI document by a maintained generator (oapi-codegen), limited to
// two operations: reading a party's timeline and pushing interactions.
// Its test runs it against a real server. Regenerate with `go generate`
// after the API changes.
package apiclient

//go:generate sh -c "go run ../../cmd/rapport openapi --openapi-version 3.0 > openapi-3.0.json && go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -config oapi-codegen.yaml openapi-3.0.json; status=$?; rm -f openapi-3.0.json; exit $status"
