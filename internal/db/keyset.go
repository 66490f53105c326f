package db

import (
	"time"

	"github.com/rapport-crm/rapport/internal/core"
)

// NewestFirst ends query q (whose WHERE clause is open) for a list newest
// first by the millisecond time column atCol then idCol: the rows after the
// cursor made by NewestCursor, in that order, one more than limit so the
// caller knows whether a next page exists. A malformed cursor is BadRequest.
func NewestFirst(q string, args []any, atCol, idCol, cursor string, limit int) (string, []any, error) {
	if cursor != "" {
		var at int64
		var id string
		if err := core.DecodeCursor(cursor, &at, &id); err != nil {
			return "", nil, err
		}
		q += " AND (" + atCol + " < ? OR (" + atCol + " = ? AND " + idCol + " < ?))"
		args = append(args, at, at, id)
	}
	q += " ORDER BY " + atCol + " DESC, " + idCol + " DESC LIMIT ?"
	return q, append(args, limit+1), nil
}

// NewestPage trims items read by a NewestFirst query to limit and returns
// the cursor of the next page ("" on the last), made from the last item
// kept by key (its time and id).
func NewestPage[T any](items []T, limit int, key func(T) (time.Time, string)) ([]T, string) {
	if len(items) <= limit {
		return items, ""
	}
	items = items[:limit]
	at, id := key(items[limit-1])
	return items, core.EncodeCursor(core.Millis(at), id)
}
