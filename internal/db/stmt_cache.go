package db

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCacheSize bounds how many distinct statements the cache keeps: the
// application's queries are a few hundred shapes; what comes past the
// bound (a query built with an unusual number of placeholders) is
// prepared each time, as without the cache.
const stmtCacheSize = 2000

// stmtCache keeps the reading pool's statements prepared on SQLite, whose
// driver parses and plans every query it runs otherwise: a quick search's
// five queries spent a seventh of its time in SQLite's parser
// (docs/performance.md, "Bank scale: many agents at once"). A sql.Stmt
// prepares itself once on each connection of the pool that runs it.
// PostgreSQL's driver keeps such a cache per connection itself.
type stmtCache struct {
	pool *sql.DB
	mu   sync.Mutex
	m    map[string]*sql.Stmt
}

// get returns the statement of query, preparing it the first time; nil
// when the cache is full or the statement does not prepare (the caller
// then runs the query as such, and reports its error).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.m[query]
	full := len(c.m) >= stmtCacheSize
	c.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := c.pool.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if other, ok := c.m[query]; ok { // prepared meanwhile by another caller
		st.Close()
		return other
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

// close closes every cached statement.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for q, st := range c.m {
		if err := st.Close(); err != nil && first == nil {
			first = err
		}
		delete(c.m, q)
	}
	return first
}
