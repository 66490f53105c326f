package history

import (
	"context"
	"slices"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// AttachReport attaches a report to the exchange its author or reviewer
// chose among its suggestions (Report.Suggestions), the one-click fix of an
// orphan. The report takes the exchange's medium and initiative, which
// the agent was shown and confirmed; nothing else it says changes. The
// exchange must still be a suggestion (NotFound otherwise), and version
// the one read (Conflict when the report changed since).
func (s *Store) AttachReport(ctx context.Context, actor *core.Actor, id, interactionID string, version int) (Report, error) {
	r, err := s.Report(ctx, actor, id)
	if err != nil {
		return Report{}, err
	}
	if r.agentID != actor.AgentID && !s.reviews(actor, r.unitID) {
		return Report{}, core.Errorf(core.Forbidden, "only the report's author or their manager may attach it")
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := lockParties(ctx, tx, []string{r.PartyID}); err != nil {
			return err
		}
		sugg, err := suggestions(ctx, tx, id)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(sugg, func(sg Suggestion) bool { return sg.InteractionID == interactionID })
		if i < 0 {
			return core.Errorf(core.NotFound, "exchange %s is not one this report may describe", interactionID)
		}
		target := sugg[i]
		if err := s.updateReport(ctx, tx, id, version, "medium = ?, initiative = ?", target.Channel, target.Direction); err != nil {
			return err
		}
		p, err := pendingByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := detach(ctx, tx, p); err != nil {
			return err
		}
		if err := s.attach(ctx, tx, p, target.InteractionID); err != nil {
			return err
		}
		return s.log.Record(ctx, tx, actor, "report.attach", "report", id, r.PartyID, map[string]string{
			"medium": r.Medium + " → " + target.Channel, "initiative": r.Initiative + " → " + target.Direction,
			"interaction": target.InteractionID, "status": r.Status + " → " + Reconciled})
	})
	if err != nil {
		return Report{}, err
	}
	return s.report(ctx, s.db, id)
}
