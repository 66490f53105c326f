package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"
)

// ConnString returns the connection string of a PostgreSQL database, for
// what needs a connection of its own outside the pool (the events
// listener) or a second handle on the same database (tests).
func (d *DB) ConnString(ctx context.Context) (string, error) {
	if d.dialect != Postgres {
		return "", errors.New("connection string: not a PostgreSQL database")
	}
	conn, err := d.writer.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("connection string: %w", err)
	}
	defer conn.Close()
	var dsn string
	err = conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("connection string: unexpected driver connection %T", driverConn)
		}
		dsn = c.Conn().Config().ConnString()
		return nil
	})
	return dsn, err
}
