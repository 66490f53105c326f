-- Name index rows waiting to be merged. A large import on SQLite (one that
-- defers the secondary indexes) writes its new parties' party_name_words and
-- party_name_pairs rows here, in arrival order, and merges them at its
-- end, sorted by key, into the two tables: at millions of parties the
-- rows written one by one into their place in the keyed tables made most
-- of the import's time (docs/performance.md, "Bank scale: import"). No
-- key, no constraint: rows are only appended, then read once in full.
-- Until the merge, those parties are not found by name.

-- +goose Up
CREATE TABLE party_name_words_staged (
-- +rapport sqlite
    word      TEXT,
-- +rapport postgres
    word      TEXT COLLATE "C",         -- the order of party_name_words' key
-- +rapport end
    party_id  TEXT,
    agency_id TEXT,
    terms     TEXT,
-- +rapport sqlite
    sort_name TEXT
-- +rapport postgres
    sort_name TEXT COLLATE "C"
-- +rapport end
);
CREATE TABLE party_name_pairs_staged (
-- +rapport sqlite
    word      TEXT,
    other     TEXT,
-- +rapport postgres
    word      TEXT COLLATE "C",
    other     TEXT COLLATE "C",
-- +rapport end
    party_id  TEXT,
    terms     TEXT,
-- +rapport sqlite
    sort_name TEXT
-- +rapport postgres
    sort_name TEXT COLLATE "C"
-- +rapport end
);

-- +goose Down
DROP TABLE party_name_pairs_staged;
DROP TABLE party_name_words_staged;
