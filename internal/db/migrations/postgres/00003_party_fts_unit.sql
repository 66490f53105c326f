-- SQLite only (its FTS5 name index gains the agency): PostgreSQL combines
-- the name GIN index with the agency index by itself. Kept so both engines
-- share migration numbers.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
