package party

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"github.com/rapport-crm/rapport/internal/core"
)

// normalize trims and canonicalises in (lower-cased emails, E.164 phones,
// upper-cased client number, defaults) and returns what is wrong with it.
// Agency and advisor are checked against the database by the caller.
func (in *Input) normalize(now time.Time) core.Fields {
	f := core.Fields{}
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if in.Kind == "" {
		in.Kind = string(Person)
	}
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = string(Prospect)
	}
	in.ClientNumber = normalizeNumber(in.ClientNumber)
	in.FirstName = strings.TrimSpace(in.FirstName)
	in.LastName = strings.TrimSpace(in.LastName)
	in.Name = strings.TrimSpace(in.Name)
	in.BirthDate = strings.TrimSpace(in.BirthDate)
	in.Segment = strings.TrimSpace(in.Segment)
	in.AgencyCode = strings.TrimSpace(in.AgencyCode)
	in.AdvisorLogin = strings.TrimSpace(in.AdvisorLogin)
	in.checkTexts(f)

	switch Kind(in.Kind) {
	case Person:
		if in.LastName == "" {
			f.Add("last_name", core.Because("required_for_person"))
		}
		in.Name = ""
	case Organization:
		if in.Name == "" {
			f.Add("name", core.Because("required_for_organization"))
		}
		in.FirstName, in.LastName = "", ""
	default:
		f.Add("kind", core.OneOf("person", "organization"))
	}
	switch Status(in.Status) {
	case Client:
		if in.ClientNumber == "" {
			f.Add("client_number", core.Because("required_for_client"))
		}
	case Prospect:
	default:
		f.Add("status", core.OneOf("prospect", "client"))
	}
	if in.ClientNumber != "" && !validNumber(in.ClientNumber) {
		f.Add("client_number", core.Because("number_format", "max", 32))
	}
	if in.BirthDate != "" {
		if why := checkBirthDate(in.BirthDate, now); why.Code != "" {
			f.Add("birth_date", why)
		}
	}
	for i := range in.Emails {
		normalizeEmail(&in.Emails[i], fmt.Sprintf("emails[%d]", i), f)
	}
	for i := range in.Phones {
		normalizePhone(&in.Phones[i], fmt.Sprintf("phones[%d]", i), f)
	}
	for i := range in.Addresses {
		normalizeAddress(&in.Addresses[i], fmt.Sprintf("addresses[%d]", i), f)
	}
	return f
}

// checkTexts refuses the texts of a party that could not be stored: not
// UTF-8, a NUL byte, over their field's limit.
func (in *Input) checkTexts(f core.Fields) {
	for _, t := range []struct {
		field, value string
		max          int
	}{{"kind", in.Kind, core.MaxCode}, {"status", in.Status, core.MaxCode}, {"client_number", in.ClientNumber, core.MaxCode},
		{"first_name", in.FirstName, core.MaxName}, {"last_name", in.LastName, core.MaxName}, {"name", in.Name, core.MaxName},
		{"birth_date", in.BirthDate, core.MaxCode}, {"segment", in.Segment, core.MaxCode},
		{"agency_code", in.AgencyCode, core.MaxCode}, {"advisor_login", in.AdvisorLogin, core.MaxCode}} {
		core.CheckText(f, t.field, t.value, t.max)
	}
	for i, e := range in.Emails {
		core.CheckText(f, fmt.Sprintf("emails[%d].address", i), e.Address, core.MaxCoordinate)
		core.CheckText(f, fmt.Sprintf("emails[%d].kind", i), e.Kind, core.MaxCode)
	}
	for i, p := range in.Phones {
		core.CheckText(f, fmt.Sprintf("phones[%d].number", i), p.Number, core.MaxCoordinate)
		core.CheckText(f, fmt.Sprintf("phones[%d].kind", i), p.Kind, core.MaxCode)
	}
	for i, a := range in.Addresses {
		field := func(name string) string { return fmt.Sprintf("addresses[%d].%s", i, name) }
		core.CheckText(f, field("line1"), a.Line1, core.MaxAddressLine)
		core.CheckText(f, field("line2"), a.Line2, core.MaxAddressLine)
		core.CheckText(f, field("postal_code"), a.PostalCode, core.MaxPostalCode)
		core.CheckText(f, field("city"), a.City, core.MaxAddressLine)
		core.CheckText(f, field("country"), a.Country, core.MaxCode)
	}
}

// normalizeNumber canonicalises a client or contract number.
func normalizeNumber(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// validNumber reports whether s is an acceptable client or contract number.
func validNumber(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// checkBirthDate says what is wrong with a YYYY-MM-DD birth date, or nothing.
func checkBirthDate(s string, now time.Time) core.Reason {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return core.Because("date")
	}
	if d.After(now) {
		return core.Because("not_future")
	}
	if d.Year() < 1880 {
		return core.Because("too_old")
	}
	return core.Reason{}
}

// validDate reports whether s is a date YYYY-MM-DD.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func normalizeEmail(e *Email, field string, f core.Fields) {
	e.Address = strings.ToLower(strings.TrimSpace(e.Address))
	e.Kind = strings.ToLower(strings.TrimSpace(e.Kind))
	if e.Kind == "" {
		e.Kind = "personal"
	}
	if e.Kind != "personal" && e.Kind != "professional" {
		f.Add(field+".kind", core.OneOf("personal", "professional"))
	}
	a, err := mail.ParseAddress(e.Address)
	if e.Address == "" || err != nil || a.Address != e.Address || a.Name != "" || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@')+1:], ".") {
		f.Add(field+".address", core.Because("email"))
	}
}

func normalizePhone(p *Phone, field string, f core.Fields) {
	p.Kind = strings.ToLower(strings.TrimSpace(p.Kind))
	if p.Kind == "" {
		p.Kind = "mobile"
	}
	if p.Kind != "mobile" && p.Kind != "home" && p.Kind != "work" {
		f.Add(field+".kind", core.OneOf("mobile", "home", "work"))
	}
	num, err := parsePhone(p.Number)
	if err != nil {
		f.Add(field+".number", core.Because("phone"))
		return
	}
	p.Number = phonenumbers.Format(num, phonenumbers.E164)
	p.Display = displayNumber(num)
}

func normalizeAddress(a *Address, field string, f core.Fields) {
	a.Line1 = strings.TrimSpace(a.Line1)
	a.Line2 = strings.TrimSpace(a.Line2)
	a.PostalCode = strings.ToUpper(strings.TrimSpace(a.PostalCode))
	a.City = strings.TrimSpace(a.City)
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	if a.Country == "" {
		a.Country = "FR"
	}
	if a.Line1 == "" {
		f.Add(field+".line1", core.Required())
	}
	if len(a.Country) != 2 {
		f.Add(field+".country", core.Because("country_code"))
	}
}
