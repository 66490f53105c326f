-- The name index also holds each party's agency as a token in its own
-- column, so a scoped quick search intersects the name and agency posting
-- lists inside FTS5 instead of reading every name match's row to test its
-- agency. The token is 'u' and the agency ID without dashes. SQLite only:
-- PostgreSQL combines the name GIN index with the agency index by itself,
-- and records the version with a statement that does nothing.

-- +goose Up
-- +rapport sqlite
CREATE VIRTUAL TABLE party_fts_new USING fts5 (terms, unit, tokenize = 'unicode61', prefix = '2 3');
INSERT INTO party_fts_new (rowid, terms, unit)
    SELECT f.rowid, f.terms, 'u' || REPLACE(p.agency_id, '-', '')
    FROM party_fts f JOIN parties p ON p.seq = f.rowid;
DROP TABLE party_fts;
ALTER TABLE party_fts_new RENAME TO party_fts;
-- +rapport postgres
SELECT 1;
-- +rapport end

-- +goose Down
-- +rapport sqlite
CREATE VIRTUAL TABLE party_fts_old USING fts5 (terms, tokenize = 'unicode61', prefix = '2 3');
INSERT INTO party_fts_old (rowid, terms) SELECT rowid, terms FROM party_fts;
DROP TABLE party_fts;
ALTER TABLE party_fts_old RENAME TO party_fts;
-- +rapport postgres
SELECT 1;
-- +rapport end
