package history

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/internal/audit"
	"github.com/rapport-crm/rapport/internal/blob"
	"github.com/rapport-crm/rapport/internal/catalogue"
	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
	"github.com/rapport-crm/rapport/internal/party"
)

// Store keeps the interaction history.
type Store struct {
	db       *db.DB
	clock    core.Clock
	log      *audit.Log
	parties  *party.Store // checks a party is in the reader's scope
	files    blob.Store   // the content of attachments (attachment_file.go, files.go)
	rules    Rules
	excluded core.Subscribers[func(Exclusion)]                  // see OnExcluded
	purged   core.Subscribers[func(source, kind string, n int)] // see OnPurged
	// RetainBatch is how many interactions one retention transaction
	// handles; 1,000 when zero.
	RetainBatch int
	books       *catalogue.Books // report reasons, products and letter types per establishment (ShareCatalogues)
	config      configCache      // settings per establishment and added sources (settings.go)
	// OnStored is told of the interactions each write stores, inside its
	// transaction (the leads record calls and meetings as activities;
	// lead_hooks.go).
	OnStored core.Subscribers[StoredHook]
}

// NewStore returns the history store. rules are the defaults: they apply
// where an establishment has no settings of its own (settings.go) and
// label letter types in timelines and details. It asks parties to
// tell it of every email or phone a party gains, to link the interactions
// it kept unattached for want of an owner. files keeps the content of
// attachments.
func NewStore(d *db.DB, clock core.Clock, log *audit.Log, parties *party.Store, rules Rules, files blob.Store) *Store {
	s := &Store{db: d, clock: clock, log: log, parties: parties, rules: rules, files: files, books: &catalogue.Books{}}
	if parties != nil {
		parties.OnCoordinatesAdded(s.linkCoordinates)
	}
	return s
}

// ShareCatalogues makes the store read its catalogues through books, the
// catalogue store's own, so that a reason an administrator saves is used at
// once on this instance.
func (s *Store) ShareCatalogues(books *catalogue.Books) { s.books = books }

// OnExcluded subscribes fn to every item a rule kept out, for the counts
// per rule in /metrics (excluded items are not stored at all).
func (s *Store) OnExcluded(fn func(Exclusion)) { s.excluded.Subscribe(fn) }

// OnPurged subscribes fn to what each retention batch purged, per source
// and kind, told after the batch commits (see retention.go).
func (s *Store) OnPurged(fn func(source, kind string, n int)) { s.purged.Subscribe(fn) }

// Ingest stores a batch of items in one transaction and says what became of
// each, in order: rejected (a bad field, named), excluded by a restitution
// rule (not stored), duplicate of an item already stored from the same
// source with the same external id, or stored with the parties it concerns.
// A rejected item never makes the others fail. Requires history.write.
func (s *Store) Ingest(ctx context.Context, actor *core.Actor, items []Item) ([]Result, error) {
	if err := actor.Require(core.PermHistoryWrite); err != nil {
		return nil, err
	}
	// The rules are those of the pushing actor's establishment.
	establishment, err := establishmentOf(ctx, s.db, actor.UnitID)
	if err != nil {
		return nil, err
	}
	settings, err := s.settingsOf(ctx, establishment)
	if err != nil {
		return nil, err
	}
	sources, err := s.validSources(ctx)
	if err != nil {
		return nil, err
	}
	results := make([]Result, len(items))
	var todo []int
	var valid []checked
	seen := map[string]int{} // source/external id → index of its first item in this batch
	for i, it := range items {
		results[i] = Result{ExternalID: it.ExternalID, PartyIDs: []string{}}
		c, err := check(it, sources)
		if err != nil {
			results[i].Status, results[i].Reason = Rejected, core.Summary(err)
			if e, ok := err.(*core.Error); ok {
				results[i].Reasons = e.Fields
			}
			continue
		}
		if ex := settings.Rules.exclusion(c); ex != Shown {
			results[i].Status, results[i].Reason = Excluded, string(ex)
			for _, fn := range s.excluded.List() {
				fn(ex)
			}
			continue
		}
		key := c.Source + "\x00" + c.ExternalID
		if _, dup := seen[key]; dup {
			results[i].Status, results[i].Reason = Duplicate, "sent twice in this batch"
			continue
		}
		seen[key] = i
		todo = append(todo, i)
		valid = append(valid, c)
	}
	if len(valid) == 0 {
		return results, nil
	}
	if err := s.putFiles(ctx, valid); err != nil {
		return nil, err
	}
	write := func() error {
		return s.db.WithBulkTx(ctx, func(tx *db.Tx) error {
			return s.write(ctx, tx, actor, establishment, valid, todo, results)
		})
	}
	err = write()
	if db.IsUniqueViolation(err) {
		// The same item arrived concurrently: this time it reads as a duplicate.
		err = write()
	}
	if err != nil && len(valid) > 1 && !db.IsUnavailable(err) && ctx.Err() == nil {
		err = s.writeOneByOne(ctx, actor, establishment, valid, todo, results)
	}
	if err != nil {
		return nil, fmt.Errorf("ingest interactions: %w", err)
	}
	return results, nil
}

// ReasonRefused is the answer for an item that passed every check but
// that the database still refused; the other items are stored.
const ReasonRefused = "the database refused this item"

// writeOneByOne stores the items of a batch the database refused one per
// transaction, so that only the item at fault is rejected and the others
// stored. An outage stops it.
func (s *Store) writeOneByOne(ctx context.Context, actor *core.Actor, establishment string, valid []checked, todo []int, results []Result) error {
	for i := range valid {
		write := func() error {
			return s.db.WithTx(ctx, func(tx *db.Tx) error {
				return s.write(ctx, tx, actor, establishment, valid[i:i+1], todo[i:i+1], results)
			})
		}
		err := write()
		if db.IsUniqueViolation(err) {
			err = write()
		}
		if db.IsUnavailable(err) || ctx.Err() != nil {
			return err
		}
		if err != nil {
			r := &results[todo[i]]
			r.Status, r.Reason, r.InteractionID, r.PartyIDs = Rejected, ReasonRefused, "", []string{}
		}
	}
	return nil
}

// establishmentOf returns the establishment (root unit) of a unit, or ""
// for none, as for the system actor.
func establishmentOf(ctx context.Context, q db.Querier, unitID string) (string, error) {
	return catalogue.EstablishmentOf(ctx, q, unitID)
}

// rootOf is the establishment at the head of a unit's path.
func rootOf(path string) string {
	root, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return root
}
