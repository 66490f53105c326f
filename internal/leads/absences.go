package leads

import (
	"context"
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// Absence is a period an agent receives no lead.
type Absence struct {
	ID         string    `json:"id"`
	AgentLogin string    `json:"agent_login"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Note       string    `json:"note"`
}

// AbsenceInput is a new absence.
type AbsenceInput struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Note     string    `json:"note"`
}

// Absences lists an agent's current and future absences.
func (s *Store) Absences(ctx context.Context, actor *core.Actor, login string) ([]Absence, error) {
	return nil, errNotBuilt
}

// AddAbsence records an absence of the agent with login.
func (s *Store) AddAbsence(ctx context.Context, actor *core.Actor, login string, in AbsenceInput) (Absence, error) {
	return Absence{}, errNotBuilt
}

// RemoveAbsence deletes an absence.
func (s *Store) RemoveAbsence(ctx context.Context, actor *core.Actor, id string) error {
	return errNotBuilt
}
