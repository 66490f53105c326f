package cases

import "context"

// NextSteps lists the steps of its classification's process a case read
// by Get or Cases may take from its status, in the process's order.
func (s *Store) NextSteps(ctx context.Context, c Case) ([]Step, error) {
	cl, err := classificationByID(ctx, s.db, c.ClassificationID)
	if err != nil {
		return nil, err
	}
	return cl.Process.StepsFrom(c.Status), nil
}
