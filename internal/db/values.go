package db

import (
	"database/sql"
	"errors"
)

// NullIfEmpty stores the empty string as NULL: the optional references and
// codes of a row.
func NullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// IsNoRows reports whether err is the "no row" of a QueryRow.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
