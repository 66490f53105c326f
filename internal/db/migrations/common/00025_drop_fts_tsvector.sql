-- The name index each engine kept its own way (an FTS5 table on SQLite, a
-- tsvector column with a GIN index on PostgreSQL) gives way to
-- party_name_words (00024): nothing reads them any more, and every write of
-- a party paid for them.

-- +goose Up
-- +rapport sqlite
DROP TABLE party_fts;
-- +rapport postgres
DROP INDEX parties_search;
ALTER TABLE parties DROP COLUMN search_vec;
-- +rapport end

-- +goose Down
-- +rapport sqlite
CREATE VIRTUAL TABLE party_fts USING fts5 (terms, unit, tokenize = 'unicode61', prefix = '2 3');
INSERT INTO party_fts (rowid, terms, unit)
    SELECT p.seq, (SELECT group_concat(w.word, ' ') FROM party_name_words w WHERE w.party_id = p.id),
        'u' || REPLACE(p.agency_id, '-', '')
    FROM parties p;
-- +rapport postgres
ALTER TABLE parties ADD COLUMN search_vec TSVECTOR NOT NULL DEFAULT ''::tsvector;
UPDATE parties p SET search_vec = to_tsvector('simple',
    (SELECT string_agg(w.word, ' ') FROM party_name_words w WHERE w.party_id = p.id))
    WHERE EXISTS (SELECT 1 FROM party_name_words w WHERE w.party_id = p.id);
ALTER TABLE parties ALTER COLUMN search_vec DROP DEFAULT;
CREATE INDEX parties_search ON parties USING GIN (search_vec);
-- +rapport end
