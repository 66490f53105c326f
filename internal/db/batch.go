package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// MaxParams bounds the placeholders of one statement, below SQLite's 32,766
// and PostgreSQL's 65,535.
const MaxParams = 30000

// inChunk is how many keys one IN list holds.
const inChunk = 500

// InsertMany runs head followed by one tuple per row ("(?, ?, …)"), in as
// few statements as MaxParams allows.
func InsertMany(ctx context.Context, q Querier, head, tuple string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, MaxParams/len(rows[0]))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, (end-start)*len(rows[0]))
		for i, r := range rows[start:end] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = append(args, r...)
		}
		if _, err := q.Exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// EachIn runs query, whose one %s is an IN list, over keys in chunks, with
// lead as the arguments before the list, and calls scan on every row.
func EachIn(ctx context.Context, q Querier, query string, lead []any, keys []string, scan func(*sql.Rows) error) error {
	for start := 0; start < len(keys); start += inChunk {
		chunk := keys[start:min(start+inChunk, len(keys))]
		args := append(append(make([]any, 0, len(lead)+len(chunk)), lead...), anys(chunk)...)
		rows, err := q.Query(ctx, fmt.Sprintf(query, Placeholders(len(chunk))), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
