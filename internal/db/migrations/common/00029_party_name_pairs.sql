-- The name index's pairs: for each party, one row per ordered pair of two
-- distinct words of its names, keyed by (word, other, party). A search of
-- two words or more across the whole organisation seeks each word of its
-- longest word's prefix with the range of its second word, where it read
-- the longest word's rows one by one to check the other: "Thomas Dupré"
-- read every Thomas (profile in docs/performance.md, "Bank scale: quick
-- search"). Searches limited to some agencies keep to party_name_words,
-- keyed by agency. A party of more than eight distinct words (a long
-- company name) has instead one row per word with an empty other word,
-- which such searches read too: pairs grow as the square of the words.
-- Filled from party_name_words.

-- +goose Up
CREATE TABLE party_name_pairs (
-- +rapport sqlite
    word      TEXT NOT NULL,
    other     TEXT NOT NULL,
-- +rapport postgres
    word      TEXT COLLATE "C" NOT NULL,
    other     TEXT COLLATE "C" NOT NULL,
-- +rapport end
    party_id  TEXT NOT NULL REFERENCES parties (id),
    terms     TEXT NOT NULL,            -- the party's distinct words, space-separated
-- +rapport sqlite
    sort_name TEXT NOT NULL,            -- parties.sort_name
    PRIMARY KEY (word, other, party_id)
) WITHOUT ROWID;
-- +rapport postgres
    sort_name TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (word, other, party_id) INCLUDE (terms, sort_name) -- read without the table
);
-- +rapport end
CREATE INDEX party_name_pairs_party ON party_name_pairs (party_id);
INSERT INTO party_name_pairs (word, other, party_id, terms, sort_name)
    SELECT a.word, b.word, a.party_id, a.terms, a.sort_name
    FROM party_name_words a JOIN party_name_words b ON b.party_id = a.party_id AND b.word <> a.word
    WHERE LENGTH(a.terms) - LENGTH(REPLACE(a.terms, ' ', '')) < 8
    UNION ALL
    SELECT a.word, '', a.party_id, a.terms, a.sort_name FROM party_name_words a
    WHERE LENGTH(a.terms) - LENGTH(REPLACE(a.terms, ' ', '')) >= 8;
-- +rapport postgres
ANALYZE party_name_pairs;
-- +rapport end

-- +goose Down
DROP TABLE party_name_pairs;
