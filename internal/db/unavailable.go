package db

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsUnavailable reports whether err says the database cannot be reached or
// used right now — connection refused or lost, the server shutting down or
// starting, too many connections, the pool closed, the SQLite file gone —
// rather than that a statement is wrong. Callers answer it as a temporary
// outage (503 with Retry-After), never as bad credentials or a bug.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exception; 53300: too many connections;
		// 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "53300" ||
			pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	if errors.As(err, &connectErr) || errors.As(err, &netErr) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) {
		return true
	}
	msg := err.Error()
	for _, s := range []string{"sql: database is closed", "unexpected EOF", "conn closed",
		"SQLITE_CANTOPEN", "unable to open database file", "SQLITE_BUSY", "SQLITE_IOERR", "disk I/O error"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
