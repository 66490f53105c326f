-- How many parties have an interaction in their history, kept by every
-- write of interaction_parties in its own transaction (history: ingestion,
-- late links, reconciliation), so a timeline line's "shared with" no longer
-- counts the interaction's timeline rows for each of the page's lines.

-- +goose Up
ALTER TABLE interactions ADD COLUMN party_count INTEGER NOT NULL DEFAULT 0;
UPDATE interactions SET party_count = (SELECT COUNT(*) FROM interaction_parties x WHERE x.interaction_id = interactions.id);

-- +goose Down
ALTER TABLE interactions DROP COLUMN party_count;
