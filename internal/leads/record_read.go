package leads

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/internal/db"
)

// leadRowsWhere reads the leads matching cond (which may end with ORDER BY
// and LIMIT), for the "associated with" suggestions.
func leadRowsWhere(ctx context.Context, q db.Querier, cond string, args ...any) ([]Lead, error) {
	rows, err := q.Query(ctx, leadSelect+" WHERE "+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("read leads: %w", err)
	}
	defer rows.Close()
	out := []Lead{}
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
