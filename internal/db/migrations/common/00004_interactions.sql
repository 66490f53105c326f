-- Interaction history: one row per event an integration pushed (idempotent on
-- source and external id), linked to every party it concerns; coordinates no
-- party held at ingestion are kept to link the interaction when one does.

-- +goose Up
CREATE TABLE interactions (
    id               TEXT PRIMARY KEY,
    source           TEXT NOT NULL,
    external_id      TEXT NOT NULL,
    channel          TEXT NOT NULL,
    direction        TEXT NOT NULL,
    outcome          TEXT NOT NULL DEFAULT '',
    occurred_at      BIGINT NOT NULL,
    duration_seconds INTEGER,
    agent_id         TEXT REFERENCES agents (id),
    agent_login_raw  TEXT NOT NULL DEFAULT '',  -- the login as sent, kept when no agent has it
    flags            TEXT NOT NULL DEFAULT '',  -- space-separated: unknown_agent, unattached
    subject          TEXT NOT NULL DEFAULT '',
    body             TEXT,
    category         TEXT NOT NULL DEFAULT '',
    letter_type      TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX interactions_occurred ON interactions (occurred_at);

-- The timeline: a party's interactions newest first, straight from the index.
CREATE TABLE interaction_parties (
    party_id       TEXT NOT NULL REFERENCES parties (id),
    occurred_at    BIGINT NOT NULL,
    interaction_id TEXT NOT NULL REFERENCES interactions (id),
    role           TEXT NOT NULL,              -- party, from, to, cc
    PRIMARY KEY (party_id, occurred_at, interaction_id)
);
CREATE INDEX interaction_parties_interaction ON interaction_parties (interaction_id);

-- Coordinates of an interaction that no party held when it arrived.
CREATE TABLE interaction_unmatched (
    coordinate     TEXT NOT NULL,              -- lower-case email or E.164 phone
    interaction_id TEXT NOT NULL REFERENCES interactions (id),
    role           TEXT NOT NULL,
    PRIMARY KEY (coordinate, interaction_id)
);

-- Integrations push interactions with history.write; administrators hold it.
UPDATE roles SET permissions = permissions || ' history.write' WHERE code = 'admin';

-- +goose Down
UPDATE roles SET permissions = REPLACE(permissions, ' history.write', '') WHERE code = 'admin';
DROP TABLE interaction_unmatched;
DROP TABLE interaction_parties;
DROP TABLE interactions;
