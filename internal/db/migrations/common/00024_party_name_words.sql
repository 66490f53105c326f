-- The name index as a table both engines keep alike: one row per distinct
-- folded word of a party's names (party.searchTerms split on spaces) with
-- the party's agency, keyed by (word, party) so a prefix is a range of the
-- primary key read in order, and a quick search stops after its candidates
-- instead of building the whole list of matches as a GIN posting list or
-- an FTS5 prefix query does (profile in docs/performance.md, "Bank scale:
-- quick search"). Each row also holds all the party's words (terms), so
-- the other words of a search are checked on the row read, without a
-- lookup per row, and its sort name, so the first results are chosen
-- before any party is read; party_name_words_party serves the advanced search and
-- the rewrite of a party's rows.
-- Words compare byte-wise (COLLATE "C"), like SQLite's BINARY, so a prefix
-- range is exact on both. Filled from the index it replaces.

-- +goose Up
CREATE TABLE party_name_words (
-- +rapport sqlite
    word      TEXT NOT NULL,
-- +rapport postgres
    word      TEXT COLLATE "C" NOT NULL,
-- +rapport end
    party_id  TEXT NOT NULL REFERENCES parties (id),
    agency_id TEXT NOT NULL REFERENCES units (id),
    terms     TEXT NOT NULL,            -- the party's distinct words, space-separated
-- +rapport sqlite
    sort_name TEXT NOT NULL,            -- parties.sort_name, to pick the first candidates without reading parties
    PRIMARY KEY (word, party_id)
) WITHOUT ROWID;
-- +rapport postgres
    sort_name TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (word, party_id) INCLUDE (agency_id, terms, sort_name) -- read without the table
);
-- +rapport end
CREATE INDEX party_name_words_party ON party_name_words (party_id, word);
-- +rapport sqlite
CREATE VIRTUAL TABLE temp.party_fts_instances USING fts5vocab(main, party_fts, instance);
INSERT OR IGNORE INTO party_name_words (word, party_id, agency_id, terms, sort_name)
    SELECT v.term, p.id, p.agency_id, f.terms, p.sort_name FROM temp.party_fts_instances v JOIN parties p ON p.seq = v.doc
        JOIN party_fts f ON f.rowid = v.doc
    WHERE v.col = 'terms';
DROP TABLE temp.party_fts_instances;
-- +rapport postgres
INSERT INTO party_name_words (word, party_id, agency_id, terms, sort_name)
    SELECT w.word, p.id, p.agency_id, array_to_string(tsvector_to_array(p.search_vec), ' '), p.sort_name
    FROM parties p, unnest(tsvector_to_array(p.search_vec)) AS w (word);
ANALYZE party_name_words;
-- +rapport end

-- +goose Down
DROP TABLE party_name_words;
