package party

import (
	"slices"

	"github.com/rapport-crm/rapport/internal/audit"
)

// sameEmails compares two email lists ignoring ids.
func sameEmails(a, b []Email) bool {
	return slices.EqualFunc(a, b, func(x, y Email) bool {
		return x.Address == y.Address && x.Kind == y.Kind && x.Favorite == y.Favorite
	})
}

// samePhones compares two phone lists ignoring ids and display forms.
func samePhones(a, b []Phone) bool {
	return slices.EqualFunc(a, b, func(x, y Phone) bool { return x.Number == y.Number && x.Kind == y.Kind })
}

// sameAddresses compares two address lists ignoring ids.
func sameAddresses(a, b []Address) bool {
	return slices.EqualFunc(a, b, func(x, y Address) bool {
		x.ID, y.ID = "", ""
		return x == y
	})
}

// emailValues, phoneValues and addressValues strip ids for the audit trail.
func emailValues(es []Email) []Email {
	out := make([]Email, len(es))
	for i, e := range es {
		e.ID = ""
		out[i] = e
	}
	return out
}

func phoneValues(ps []Phone) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Number + " (" + p.Kind + ")"
	}
	return out
}

func addressValues(as []Address) []Address {
	out := make([]Address, len(as))
	for i, a := range as {
		a.ID = ""
		out[i] = a
	}
	return out
}

// changes lists the fields that differ between old and p, by API field name,
// with their old and new values: the detail of an update's audit entry.
func changes(old, p *Party) map[string]audit.Change {
	c := map[string]audit.Change{}
	str := func(field, o, n string) {
		if o != n {
			c[field] = audit.Change{Old: o, New: n}
		}
	}
	boolean := func(field string, o, n bool) {
		if o != n {
			c[field] = audit.Change{Old: o, New: n}
		}
	}
	str("kind", old.Kind, p.Kind)
	str("status", old.Status, p.Status)
	str("client_number", old.ClientNumber, p.ClientNumber)
	str("first_name", old.FirstName, p.FirstName)
	str("last_name", old.LastName, p.LastName)
	str("name", old.Name, p.Name)
	str("birth_date", old.BirthDate, p.BirthDate)
	str("segment", old.Segment, p.Segment)
	str("agency_code", old.AgencyCode, p.AgencyCode)
	str("advisor_login", old.AdvisorLogin, p.AdvisorLogin)
	boolean("consents.email", old.Consents.Email, p.Consents.Email)
	boolean("consents.sms", old.Consents.SMS, p.Consents.SMS)
	boolean("consents.phone", old.Consents.Phone, p.Consents.Phone)
	if !sameEmails(old.Emails, p.Emails) {
		c["emails"] = audit.Change{Old: emailValues(old.Emails), New: emailValues(p.Emails)}
	}
	if !samePhones(old.Phones, p.Phones) {
		c["phones"] = audit.Change{Old: phoneValues(old.Phones), New: phoneValues(p.Phones)}
	}
	if !sameAddresses(old.Addresses, p.Addresses) {
		c["addresses"] = audit.Change{Old: addressValues(old.Addresses), New: addressValues(p.Addresses)}
	}
	return c
}
