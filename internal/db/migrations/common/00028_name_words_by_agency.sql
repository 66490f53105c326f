-- The name index keyed by (word, agency, party) instead of (word, party):
-- a search limited to some agencies seeks each word of its prefix in each
-- of its agencies, where it read every agency's rows of the prefix and
-- kept one in fifty (an advisor's "mar h" read 10,000 rows at a million
-- parties; profile in docs/performance.md, "Bank scale: quick search").
-- A whole-organisation search still reads the prefix's range in order.

-- +goose Up
-- +rapport sqlite
CREATE TABLE party_name_words_by_agency (
    word      TEXT NOT NULL,
    party_id  TEXT NOT NULL REFERENCES parties (id),
    agency_id TEXT NOT NULL REFERENCES units (id),
    terms     TEXT NOT NULL,            -- the party's distinct words, space-separated
    sort_name TEXT NOT NULL,            -- parties.sort_name, to pick the first candidates without reading parties
    PRIMARY KEY (word, agency_id, party_id)
) WITHOUT ROWID;
INSERT INTO party_name_words_by_agency (word, party_id, agency_id, terms, sort_name)
    SELECT word, party_id, agency_id, terms, sort_name FROM party_name_words ORDER BY word, agency_id, party_id;
DROP TABLE party_name_words;
ALTER TABLE party_name_words_by_agency RENAME TO party_name_words;
CREATE INDEX party_name_words_party ON party_name_words (party_id, word);
-- +rapport postgres
ALTER TABLE party_name_words DROP CONSTRAINT party_name_words_pkey;
ALTER TABLE party_name_words ADD PRIMARY KEY (word, agency_id, party_id) INCLUDE (terms, sort_name);
-- +rapport end

-- +goose Down
-- +rapport sqlite
CREATE TABLE party_name_words_by_party (
    word      TEXT NOT NULL,
    party_id  TEXT NOT NULL REFERENCES parties (id),
    agency_id TEXT NOT NULL REFERENCES units (id),
    terms     TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    PRIMARY KEY (word, party_id)
) WITHOUT ROWID;
INSERT INTO party_name_words_by_party SELECT word, party_id, agency_id, terms, sort_name FROM party_name_words;
DROP TABLE party_name_words;
ALTER TABLE party_name_words_by_party RENAME TO party_name_words;
CREATE INDEX party_name_words_party ON party_name_words (party_id, word);
-- +rapport postgres
ALTER TABLE party_name_words DROP CONSTRAINT party_name_words_pkey;
ALTER TABLE party_name_words ADD PRIMARY KEY (word, party_id) INCLUDE (agency_id, terms, sort_name);
-- +rapport end
