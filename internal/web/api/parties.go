package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/rapport-crm/rapport/internal/party"
)

// partyBody is the writable part of a party, shared by create and import.
type partyBody struct {
	Kind         string        `json:"kind,omitempty" enum:"person,organization" doc:"person by default"`
	Status       string        `json:"status,omitempty" enum:"prospect,client" doc:"prospect by default"`
	ClientNumber string        `json:"client_number,omitempty" doc:"Required for clients" maxLength:"100" example:"1000004217"`
	FirstName    string        `json:"first_name,omitempty" maxLength:"200" example:"Hélène"`
	LastName     string        `json:"last_name,omitempty" doc:"Required for persons" maxLength:"200" example:"Dupré"`
	Name         string        `json:"name,omitempty" doc:"Organisations' name, required for them" maxLength:"200"`
	BirthDate    string        `json:"birth_date,omitempty" doc:"YYYY-MM-DD" maxLength:"100" example:"1980-04-12"`
	Segment      string        `json:"segment,omitempty" maxLength:"100"`
	AgencyCode   string        `json:"agency_code,omitempty" doc:"The caller's agency by default; must be in the caller's scope" maxLength:"100" example:"A1"`
	AdvisorLogin string        `json:"advisor_login,omitempty" maxLength:"100"`
	Consents     *consentsJSON `json:"consents,omitempty"`
	Emails       []emailJSON   `json:"emails,omitempty" doc:"Stored lower-cased"`
	Phones       []phoneJSON   `json:"phones,omitempty" doc:"Any format; stored as E.164 (France by default)"`
	Addresses    []addressJSON `json:"addresses,omitempty"`
}

type emailJSON struct {
	Address  string `json:"address" maxLength:"320" example:"helene.dupre@example.fr"`
	Kind     string `json:"kind,omitempty" enum:"personal,professional" doc:"personal by default"`
	Favorite bool   `json:"favorite,omitempty" doc:"The address to write to first"`
}

type phoneJSON struct {
	Number string `json:"number" doc:"Any format; stored as E.164 (France by default)" maxLength:"320" example:"06 12 34 56 78"`
	Kind   string `json:"kind,omitempty" enum:"mobile,home,work" doc:"mobile by default"`
}

type addressJSON struct {
	Line1      string `json:"line1" maxLength:"200"`
	Line2      string `json:"line2,omitempty" maxLength:"200"`
	PostalCode string `json:"postal_code,omitempty" maxLength:"20"`
	City       string `json:"city" maxLength:"200"`
	Country    string `json:"country,omitempty" doc:"ISO 3166 code, FR by default" maxLength:"100"`
}

func emailsOf(in []emailJSON) []party.Email {
	out := make([]party.Email, 0, len(in))
	for _, e := range in {
		out = append(out, party.Email{Address: e.Address, Kind: e.Kind, Favorite: e.Favorite})
	}
	return out
}

func phonesOf(in []phoneJSON) []party.Phone {
	out := make([]party.Phone, 0, len(in))
	for _, p := range in {
		out = append(out, party.Phone{Number: p.Number, Kind: p.Kind})
	}
	return out
}

func addressesOf(in []addressJSON) []party.Address {
	out := make([]party.Address, 0, len(in))
	for _, a := range in {
		out = append(out, party.Address{Line1: a.Line1, Line2: a.Line2, PostalCode: a.PostalCode, City: a.City, Country: a.Country})
	}
	return out
}

// listOf converts an optional replacement list.
func listOf[In, Out any](in *[]In, conv func([]In) []Out) *[]Out {
	if in == nil {
		return nil
	}
	out := conv(*in)
	return &out
}

type consentsJSON struct {
	Email bool `json:"email"`
	SMS   bool `json:"sms"`
	Phone bool `json:"phone"`
}

func (c *consentsJSON) toDomain() party.Consents {
	if c == nil {
		return party.Consents{}
	}
	return party.Consents{Email: c.Email, SMS: c.SMS, Phone: c.Phone}
}

type partyCreateInput struct{ Body partyBody }

type partyPatchInput struct {
	ID   string `path:"id"`
	Body struct {
		Status       *string        `json:"status,omitempty" enum:"prospect,client"`
		ClientNumber *string        `json:"client_number,omitempty" maxLength:"100"`
		FirstName    *string        `json:"first_name,omitempty" maxLength:"200"`
		LastName     *string        `json:"last_name,omitempty" maxLength:"200"`
		Name         *string        `json:"name,omitempty" maxLength:"200"`
		BirthDate    *string        `json:"birth_date,omitempty" maxLength:"100"`
		Segment      *string        `json:"segment,omitempty" maxLength:"100"`
		AgencyCode   *string        `json:"agency_code,omitempty" maxLength:"100"`
		AdvisorLogin *string        `json:"advisor_login,omitempty" maxLength:"100"`
		Consents     *consentsJSON  `json:"consents,omitempty"`
		Emails       *[]emailJSON   `json:"emails,omitempty" doc:"Replaces the list when present"`
		Phones       *[]phoneJSON   `json:"phones,omitempty" doc:"Replaces the list when present"`
		Addresses    *[]addressJSON `json:"addresses,omitempty" doc:"Replaces the list when present"`
		Version      *int           `json:"version,omitempty" doc:"When given, the update is refused with 409 if the party changed since"`
	}
}

type partyIDInput struct {
	ID string `path:"id"`
}

type partyOutput struct{ Body party.Party }

type relationInput struct {
	ID   string `path:"id"`
	Body struct {
		Kind      string `json:"kind" enum:"director,representative,household" doc:"director/representative: the related person is director or representative of this organisation"`
		RelatedID string `json:"related_id" maxLength:"100"`
	}
}

type relationsOutput struct {
	Body struct {
		Items []party.Relation `json:"items"`
	}
}

type convertInput struct {
	ID   string `path:"id"`
	Body struct {
		ClientNumber string `json:"client_number,omitempty" doc:"Generated when omitted" maxLength:"100"`
	}
}

func toInput(b partyBody) party.Input {
	return party.Input{Kind: b.Kind, Status: b.Status, ClientNumber: b.ClientNumber, FirstName: b.FirstName,
		LastName: b.LastName, Name: b.Name, BirthDate: b.BirthDate, Segment: b.Segment, AgencyCode: b.AgencyCode,
		AdvisorLogin: b.AdvisorLogin, Consents: b.Consents.toDomain(), Emails: emailsOf(b.Emails), Phones: phonesOf(b.Phones),
		Addresses: addressesOf(b.Addresses)}
}

func (h *handlers) registerParties(a huma.API) {
	tags := []string{"Parties"}
	huma.Register(a, huma.Operation{OperationID: "create-party", Method: http.MethodPost, Path: "/parties",
		Summary: "Create a party (a prospect by default)", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *partyCreateInput) (*partyOutput, error) {
			p, err := h.Parties.Create(ctx, actorOf(ctx), toInput(in.Body))
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &partyOutput{Body: p}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-party", Method: http.MethodGet, Path: "/parties/{id}",
		Summary: "Get a party (a consultation, written to the audit log)", Tags: tags},
		func(ctx context.Context, in *partyIDInput) (*partyOutput, error) {
			p, err := h.Parties.View(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &partyOutput{Body: p}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-party", Method: http.MethodPatch, Path: "/parties/{id}",
		Summary: "Update a party's details (audited)", Tags: tags},
		func(ctx context.Context, in *partyPatchInput) (*partyOutput, error) {
			b := in.Body
			patch := party.Patch{Status: b.Status, ClientNumber: b.ClientNumber, FirstName: b.FirstName,
				LastName: b.LastName, Name: b.Name, BirthDate: b.BirthDate, Segment: b.Segment,
				AgencyCode: b.AgencyCode, AdvisorLogin: b.AdvisorLogin, Emails: listOf(b.Emails, emailsOf),
				Phones: listOf(b.Phones, phonesOf), Addresses: listOf(b.Addresses, addressesOf), Version: b.Version}
			if b.Consents != nil {
				c := b.Consents.toDomain()
				patch.Consents = &c
			}
			p, err := h.Parties.Update(ctx, actorOf(ctx), in.ID, patch)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &partyOutput{Body: p}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "convert-party", Method: http.MethodPost, Path: "/parties/{id}/convert",
		Summary: "Convert a prospect to a client", Tags: tags},
		func(ctx context.Context, in *convertInput) (*partyOutput, error) {
			p, err := h.Parties.ConvertToClient(ctx, actorOf(ctx), in.ID, in.Body.ClientNumber)
			if err != nil {
				return nil, h.fail(ctx, err)
			}
			return &partyOutput{Body: p}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "add-relation", Method: http.MethodPost, Path: "/parties/{id}/relations",
		Summary: "Relate two parties (director, representative, household)", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *relationInput) (*relationsOutput, error) {
			actor := actorOf(ctx)
			if err := h.Parties.AddRelation(ctx, actor, in.ID, in.Body.Kind, in.Body.RelatedID); err != nil {
				return nil, h.fail(ctx, err)
			}
			return h.relations(ctx, in.ID)
		})
	huma.Register(a, huma.Operation{OperationID: "list-relations", Method: http.MethodGet, Path: "/parties/{id}/relations",
		Summary: "List a party's related parties", Tags: tags},
		func(ctx context.Context, in *partyIDInput) (*relationsOutput, error) {
			return h.relations(ctx, in.ID)
		})
}

func (h *handlers) relations(ctx context.Context, id string) (*relationsOutput, error) {
	rels, err := h.Parties.Relations(ctx, actorOf(ctx), id)
	if err != nil {
		return nil, h.fail(ctx, err)
	}
	out := &relationsOutput{}
	out.Body.Items = nonNil(rels)
	return out, nil
}
