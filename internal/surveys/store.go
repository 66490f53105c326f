package surveys

import (
	"log/slog"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/history"
	"github.com/rapport-crm/rapport/internal/org"
	"github.com/rapport-crm/rapport/internal/outbox"
	"github.com/rapport-crm/rapport/internal/party"
	"github.com/rapport-crm/rapport/internal/secret"
)

// Store keeps campaigns, surveys and answers.
type Store struct {
	db      *db.DB
	clock   core.Clock
	log     *audit.Log
	orgs    *org.Store
	parties *party.Store
	outbox  *outbox.Outbox
	key     *secret.Key
	history *history.Store
	baseURL string
	from    string
	logger  *slog.Logger
}

// Deps are what the store needs from the rest of the application.
type Deps struct {
	DB      *db.DB
	Clock   core.Clock
	Audit   *audit.Log
	Orgs    *org.Store
	Parties *party.Store
	Outbox  *outbox.Outbox // invitations by email and SMS
	Key     *secret.Key    // signs the answer links
	History *history.Store // the timeline entries of identified answers
	BaseURL string         // the links' origin, e.g. https://crm.example.com
	From    string         // the invitations' sender address
	Logger  *slog.Logger
}

// NewStore returns the store.
func NewStore(d Deps) *Store {
	s := &Store{db: d.DB, clock: d.Clock, log: d.Audit, orgs: d.Orgs, parties: d.Parties, outbox: d.Outbox,
		key: d.Key, history: d.History, baseURL: d.BaseURL, from: d.From, logger: d.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	return s
}
