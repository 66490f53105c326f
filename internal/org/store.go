// Package org holds the organisation and who works in it: the unit tree
// (establishment → region → agency, plus service units) with business hours
// and holidays, agents with their roles and geographic scope, and the roles
// themselves. It builds the core.Actor every other package checks.
package org

import (
	"regexp"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/cache"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// Store reads and changes units, agents and roles. Changes require the admin
// permission and are written to the audit log in the same transaction.
type Store struct {
	db    *db.DB
	clock core.Clock
	log   *audit.Log
	// actors keeps the actors Actor built until the organisation changes
	// (actor_cache.go); onChange runs after such a change commits.
	actors   *cache.Keyed[string, *core.Actor]
	onChange []func()
}

// NewStore returns a Store on d, with times from clock, auditing into log.
func NewStore(d *db.DB, clock core.Clock, log *audit.Log) *Store {
	return &Store{db: d, clock: clock, log: log, actors: cache.NewKeyed[string, *core.Actor](cache.Access)}
}

var (
	codePattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
	loginPattern = regexp.MustCompile(`^[a-z0-9._-]{2,64}$`)
)
