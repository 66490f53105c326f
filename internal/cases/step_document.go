package cases

import (
	"context"

	"github.com/rapport-crm/rapport/internal/core"
	"github.com/rapport-crm/rapport/internal/db"
)

// pendingDocument is a step's document made ready before the step's
// transaction; write adds it to the case within it.
type pendingDocument struct {
	write func(ctx context.Context, tx *db.Tx) (Element, error)
}

// prepareDocument makes the document of step ready, nil when the step
// generates none.
func (s *Store) prepareDocument(ctx context.Context, actor *core.Actor, h caseHead, step Step, values map[string]string, lang string) (*pendingDocument, error) {
	if step.Document == nil {
		return nil, nil
	}
	return nil, core.Errorf(core.Invalid, "documents are not generated yet")
}
