// Package party holds the bank's customers and prospects (parties), their
// coordinates, relations and contracts, the quick and advanced searches over
// them, and their bulk import. Every read and write takes the actor's scope.
package party

import (
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Kind says whether a party is a person or an organisation.
type Kind string

// The kinds of party.
const (
	Person       Kind = "person"
	Organization Kind = "organization"
)

// Status says whether a party is a prospect or a client.
type Status string

// The statuses of a party.
const (
	Prospect Status = "prospect"
	Client   Status = "client"
)

// Email is one of a party's email addresses, stored lower-cased.
type Email struct {
	ID       string `json:"id"`
	Address  string `json:"address"`
	Kind     string `json:"kind"` // personal | professional
	Favorite bool   `json:"favorite"`
}

// Phone is one of a party's phone numbers, stored in E.164.
type Phone struct {
	ID      string `json:"id"`
	Number  string `json:"number"`  // E.164, e.g. +33612345678
	Kind    string `json:"kind"`    // mobile | home | work
	Display string `json:"display"` // national format, e.g. 06 12 34 56 78
}

// Address is one of a party's postal addresses.
type Address struct {
	ID         string `json:"id"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Country    string `json:"country"`
}

// Consents records which channels a party agreed to be contacted through.
type Consents struct {
	Email bool `json:"email"`
	SMS   bool `json:"sms"`
	Phone bool `json:"phone"`
}

// Party is a customer or prospect with its coordinates, as the 360° page shows it.
type Party struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	Status       string    `json:"status"`
	ClientNumber string    `json:"client_number"`
	FirstName    string    `json:"first_name"`
	LastName     string    `json:"last_name"`
	Name         string    `json:"name"`
	DisplayName  string    `json:"display_name"`
	BirthDate    string    `json:"birth_date"`
	Segment      string    `json:"segment"`
	AgencyID     string    `json:"agency_id"`
	AgencyCode   string    `json:"agency_code"`
	AgencyName   string    `json:"agency_name"`
	AdvisorID    string    `json:"advisor_id"`
	AdvisorLogin string    `json:"advisor_login"`
	AdvisorName  string    `json:"advisor_name"`
	Consents     Consents  `json:"consents"`
	Emails       []Email   `json:"emails"`
	Phones       []Phone   `json:"phones"`
	Addresses    []Address `json:"addresses"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int       `json:"version"`
}

// Summary is one line of a search result: enough to recognise a party.
type Summary struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	Status         string `json:"status"`
	ClientNumber   string `json:"client_number"`
	DisplayName    string `json:"display_name"`
	BirthDate      string `json:"birth_date"`
	AgencyCode     string `json:"agency_code"`
	AgencyName     string `json:"agency_name"`
	City           string `json:"city"`
	PostalCode     string `json:"postal_code"`
	Match          string `json:"match,omitempty"`           // what matched: name, client_number, contract, email, phone
	ContractNumber string `json:"contract_number,omitempty"` // set when matched by contract
}

// Input is a new party, or one row of an import.
type Input struct {
	Kind         string    `json:"kind"`
	Status       string    `json:"status"`
	ClientNumber string    `json:"client_number"`
	FirstName    string    `json:"first_name"`
	LastName     string    `json:"last_name"`
	Name         string    `json:"name"`
	BirthDate    string    `json:"birth_date"`
	Segment      string    `json:"segment"`
	AgencyCode   string    `json:"agency_code"`
	AdvisorLogin string    `json:"advisor_login"`
	Consents     Consents  `json:"consents"`
	Emails       []Email   `json:"emails"`
	Phones       []Phone   `json:"phones"`
	Addresses    []Address `json:"addresses"`
}

// Patch changes some of a party's details: a nil field stays unchanged and a
// provided list replaces the whole list. Version, when set, must match.
type Patch struct {
	Status       *string    `json:"status,omitempty"`
	ClientNumber *string    `json:"client_number,omitempty"`
	FirstName    *string    `json:"first_name,omitempty"`
	LastName     *string    `json:"last_name,omitempty"`
	Name         *string    `json:"name,omitempty"`
	BirthDate    *string    `json:"birth_date,omitempty"`
	Segment      *string    `json:"segment,omitempty"`
	AgencyCode   *string    `json:"agency_code,omitempty"`
	AdvisorLogin *string    `json:"advisor_login,omitempty"`
	Consents     *Consents  `json:"consents,omitempty"`
	Emails       *[]Email   `json:"emails,omitempty"`
	Phones       *[]Phone   `json:"phones,omitempty"`
	Addresses    *[]Address `json:"addresses,omitempty"`
	Version      *int       `json:"version,omitempty"`
}

// Store reads and writes parties and contracts.
type Store struct {
	db               *db.DB
	clock            core.Clock
	log              *audit.Log
	coordinatesAdded core.Subscribers[CoordinateHook] // see OnCoordinatesAdded
	index            searchIndex                      // the name index of d's engine
	deferAfter       int                              // new parties after which an import defers index maintenance (importDeferAfter)
}

// NewStore returns a Store on d, with times from clock, auditing to log.
func NewStore(d *db.DB, clock core.Clock, log *audit.Log) *Store {
	return &Store{db: d, clock: clock, log: log, index: newSearchIndex(d.Dialect()), deferAfter: importDeferAfter}
}

// displayName is "Prénom Nom" for a person and the name of an organisation.
func displayName(kind, first, last, name string) string {
	if kind == string(Organization) {
		return name
	}
	switch {
	case first == "":
		return last
	case last == "":
		return first
	}
	return first + " " + last
}

// sortName is the folded key parties are listed by.
func sortName(kind, first, last, name string) string {
	if kind == string(Organization) {
		return Fold(name)
	}
	return Fold(last + " " + first)
}

// searchTerms is the folded text the name index holds.
func searchTerms(first, last, name string) string {
	return Fold(first + " " + last + " " + name)
}
