-- The secondary indexes a bulk load dropped to build them again once at its
-- end (db.DeferIndexes), with the statement that creates each. A load that
-- stops before its end leaves them here, and the next start of the
-- application (db.Open) or the next bulk load builds them again.

-- +goose Up
CREATE TABLE deferred_indexes (
    name       TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);

-- +goose Down
DROP TABLE deferred_indexes;
