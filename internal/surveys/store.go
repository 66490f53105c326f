package surveys

import (
	"context"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
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
	BaseURL string         // the links' origin, e.g. https://crm.example.com
	From    string         // the invitations' sender address
	Logger  *slog.Logger
}

// NewStore returns the store.
func NewStore(d Deps) *Store {
	s := &Store{db: d.DB, clock: d.Clock, log: d.Audit, orgs: d.Orgs, parties: d.Parties, outbox: d.Outbox,
		key: d.Key, baseURL: d.BaseURL, from: d.From, logger: d.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	return s
}

// Campaigns lists the campaigns of the establishments the actor
// administers (survey.admin), by establishment then name.
func (s *Store) Campaigns(ctx context.Context, actor *core.Actor) ([]Campaign, error) {
	return nil, errNotBuilt
}

// Campaign returns one campaign of an establishment the actor administers.
func (s *Store) Campaign(ctx context.Context, actor *core.Actor, id string) (Campaign, error) {
	return Campaign{}, errNotBuilt
}

// CreateCampaign validates and stores a campaign (survey.admin, audited).
func (s *Store) CreateCampaign(ctx context.Context, actor *core.Actor, in CampaignInput) (Campaign, error) {
	return Campaign{}, errNotBuilt
}

// UpdateCampaign replaces a campaign's settings (survey.admin, audited).
func (s *Store) UpdateCampaign(ctx context.Context, actor *core.Actor, id string, in CampaignInput) (Campaign, error) {
	return Campaign{}, errNotBuilt
}

// Ask schedules the survey of campaign r.Campaign after the pushed
// interaction r.InteractionID, or skips it with its reason; the same
// interaction again gives the same survey (history.write).
func (s *Store) Ask(ctx context.Context, actor *core.Actor, r Request) (Scheduled, error) {
	return Scheduled{}, errNotBuilt
}

// PartySurveys lists a visible party's surveys, newest first: anonymous
// answers read as sent, with no score (party.read).
func (s *Store) PartySurveys(ctx context.Context, actor *core.Actor, partyID string) ([]Survey, error) {
	return nil, errNotBuilt
}

// LatestIdentified returns the latest identified answer of a visible party
// (the 360° page's smiley), or nil.
func (s *Store) LatestIdentified(ctx context.Context, actor *core.Actor, partyID string) (*Survey, error) {
	return nil, errNotBuilt
}

// Invitation checks an answer link's token: a forged token is NotFound, an
// expired link Expired (core code "expired"), an answered one Answered
// (core code "conflict"). No actor: the customer is not signed in.
func (s *Store) Invitation(ctx context.Context, token string) (Invitation, error) {
	return Invitation{}, errNotBuilt
}

// AnswerSurvey records the customer's answer once; a second answer is a
// Conflict and changes nothing. An anonymous answer is stored without the
// party; an identified one names it and is written to its timeline.
func (s *Store) AnswerSurvey(ctx context.Context, token string, in AnswerInput) error {
	return errNotBuilt
}

// Stats counts the surveys of the actor's scope by unit, agent or campaign
// (survey.results).
func (s *Store) Stats(ctx context.Context, actor *core.Actor, c StatsCriteria) (Stats, error) {
	return Stats{}, errNotBuilt
}

// Summary is the dashboard widget's figures over the last window
// (survey.results).
func (s *Store) Summary(ctx context.Context, actor *core.Actor, window time.Duration) (Summary, error) {
	return Summary{}, errNotBuilt
}
