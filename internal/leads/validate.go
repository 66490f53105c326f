package leads

import (
	"net/mail"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/party"
)

// The bounds of a lead's receipt time: a sender's clock may be a little
// ahead of ours, never by more than this, and no lead predates 2000.
const (
	receivedAhead = 5 * time.Minute
)

var receivedFloor = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// normalize trims and canonicalises in (lower-cased email, E.164 phone,
// receipt defaulting to now) and returns what is wrong with it: every text
// within its limit, a source, an external id, a last name, an email or a
// phone to answer by, a receipt time that is not in the future (a few
// minutes of clock drift aside) nor before 2000.
func (in *Input) normalize(now time.Time) error {
	f := core.Fields{}
	for _, t := range []struct {
		field string
		value *string
		max   int
	}{{"source", &in.Source, core.MaxCode}, {"source_group", &in.SourceGroup, core.MaxCode},
		{"external_id", &in.ExternalID, core.MaxExternalID}, {"first_name", &in.FirstName, core.MaxName},
		{"last_name", &in.LastName, core.MaxName}, {"email", &in.Email, core.MaxCoordinate},
		{"phone", &in.Phone, core.MaxCoordinate}, {"postal_code", &in.PostalCode, core.MaxPostalCode},
		{"product", &in.Product, core.MaxCode}, {"message", &in.Message, core.MaxLongText},
		{"unit_code", &in.UnitCode, core.MaxCode}} {
		if core.CheckText(f, t.field, *t.value, t.max) && t.field != "message" {
			*t.value = strings.TrimSpace(*t.value)
		}
	}
	for field, v := range map[string]string{"source": in.Source, "external_id": in.ExternalID, "last_name": in.LastName} {
		if v == "" {
			f.Add(field, core.Required())
		}
	}
	in.PostalCode = strings.ToUpper(in.PostalCode)
	if _, bad := f["email"]; !bad && in.Email != "" {
		in.Email = strings.ToLower(in.Email)
		if !validEmail(in.Email) {
			f.Add("email", core.Because("email"))
		}
	}
	if _, bad := f["phone"]; !bad && in.Phone != "" {
		n, err := party.NormalizePhone(in.Phone)
		if err != nil {
			f.Add("phone", core.Because("phone"))
		}
		in.Phone = n
	}
	if in.Email == "" && in.Phone == "" {
		f.Add("email", core.Because("email_or_phone"))
	}
	if in.ReceivedAt == nil {
		in.ReceivedAt = &now
	}
	switch at := in.ReceivedAt.UTC(); {
	case at.After(now.Add(receivedAhead)):
		f.Add("received_at", core.Because("not_future"))
	case at.Before(receivedFloor):
		f.Add("received_at", core.Because("too_old"))
	default:
		in.ReceivedAt = &at
	}
	return f.Err()
}

// validEmail reports whether e is a bare address with a dotted domain, the
// party's own rule for emails.
func validEmail(e string) bool {
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && a.Name == "" &&
		strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".")
}
