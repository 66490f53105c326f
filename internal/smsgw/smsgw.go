// Package smsgw sends SMS through each establishment's gateway, reached
// by its HTTP API: an administrator gives its URL, credentials (the
// password sealed with the secret key, never read back), sender and the
// JSON body it expects, with {{to}}, {{text}} and {{sender}} placeholders.
// The Store is the outbox's SMS deliverer: a message names its
// establishment, whose gateway receives the rendered body by POST with
// basic authentication and an Idempotency-Key header; a 2xx is sent, a
// 4xx (but 408 and 429) fails the message for good, anything else is
// retried by the outbox.
package smsgw

import (
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// DefaultTemplate is the body of a new gateway.
const DefaultTemplate = `{"from": "{{sender}}", "to": "{{to}}", "text": "{{text}}"}`

// Gateway is an establishment's SMS gateway as it is read: never its
// password.
type Gateway struct {
	EstablishmentID   string    `json:"-"`
	EstablishmentCode string    `json:"establishment_code"`
	URL               string    `json:"url"`
	Username          string    `json:"username"`
	HasPassword       bool      `json:"has_password"`
	Sender            string    `json:"sender"`
	BodyTemplate      string    `json:"body_template"`
	Active            bool      `json:"active"`
	UpdatedAt         time.Time `json:"updated_at"`

	password string // sealed
}

// Input is a gateway as an administrator writes it; an empty Password
// keeps the stored one.
type Input struct {
	URL          string `json:"url"`
	Username     string `json:"username"`
	Password     string `json:"password"`
	Sender       string `json:"sender"`
	BodyTemplate string `json:"body_template"`
	Active       bool   `json:"active"`
}

// errTemplate is a template that does not render to JSON.
var errTemplate = errors.New("the body template does not give a JSON document")

// Render fills the template's placeholders with to, text and sender, each
// escaped as the inside of a JSON string, and checks the result is JSON.
func Render(template, to, text, sender string) (string, error) {
	out := strings.NewReplacer("{{to}}", jsonInside(to), "{{text}}", jsonInside(text), "{{sender}}", jsonInside(sender)).
		Replace(template)
	if !json.Valid([]byte(out)) {
		return "", errTemplate
	}
	return out, nil
}

// jsonInside is s escaped as JSON, without the quotes around it.
func jsonInside(s string) string {
	raw, _ := json.Marshal(s)
	return string(raw[1 : len(raw)-1])
}
