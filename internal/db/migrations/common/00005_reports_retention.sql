-- Meeting reports and their reconciliation, attachments, retention and the
-- per-establishment settings of the history.

-- +goose Up
-- The establishment whose integration pushed an interaction: its restitution
-- rules and retention durations apply to it.
ALTER TABLE interactions ADD COLUMN establishment_id TEXT NOT NULL DEFAULT '';
-- When retention purged the body (NULL while it is kept, or never had one).
ALTER TABLE interactions ADD COLUMN body_purged_at BIGINT;
CREATE INDEX interactions_source_occurred ON interactions (source, occurred_at);
-- The email or phone through which the party was recognised ('' when named
-- by id or client number): a report hides the interaction from the parties
-- who share only that coordinate.
ALTER TABLE interaction_parties ADD COLUMN coordinate TEXT NOT NULL DEFAULT '';
CREATE INDEX interaction_unmatched_interaction ON interaction_unmatched (interaction_id);

-- Files that came with an interaction; content is NULL once purged.
CREATE TABLE interaction_attachments (
    id             TEXT PRIMARY KEY,
    interaction_id TEXT NOT NULL REFERENCES interactions (id),
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           BIGINT NOT NULL,
    inline         BOOLEAN NOT NULL DEFAULT FALSE,
-- +rapport sqlite
    content        BLOB,
-- +rapport postgres
    content        BYTEA,
-- +rapport end
    purged_at      BIGINT
);
CREATE INDEX interaction_attachments_interaction ON interaction_attachments (interaction_id, position);

-- Meeting reports (CRE): one per party, agent and day, attached to the
-- captured exchange it describes or, as an orphan, to an interaction of its own.
CREATE TABLE reports (
    id             TEXT PRIMARY KEY,
    party_id       TEXT NOT NULL REFERENCES parties (id),
    agent_id       TEXT NOT NULL REFERENCES agents (id),
    medium         TEXT NOT NULL,
    initiative     TEXT NOT NULL,               -- inbound, outbound
    reason         TEXT NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    sales          TEXT NOT NULL DEFAULT '[]',  -- JSON [{product, amount}]
    written_at     BIGINT NOT NULL,
    day            TEXT NOT NULL,               -- YYYY-MM-DD of written_at in the agent's unit time zone
    status         TEXT NOT NULL,               -- reconciled, orphan
    interaction_id TEXT REFERENCES interactions (id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (party_id, agent_id, day)
);
CREATE UNIQUE INDEX reports_interaction ON reports (interaction_id);
CREATE INDEX reports_agent_status ON reports (agent_id, status, written_at);

-- Timeline lines a reconciled report took away from the parties who only
-- shared the coordinate; put back if the report moves.
CREATE TABLE report_hidden_links (
    report_id      TEXT NOT NULL REFERENCES reports (id),
    party_id       TEXT NOT NULL,
    occurred_at    BIGINT NOT NULL,
    interaction_id TEXT NOT NULL REFERENCES interactions (id),
    role           TEXT NOT NULL,
    coordinate     TEXT NOT NULL,
    PRIMARY KEY (report_id, party_id)
);

-- Restitution rules and retention durations of an establishment (JSON);
-- an establishment without a row uses the defaults (docs/product/retention.md).
CREATE TABLE history_settings (
    establishment_id TEXT PRIMARY KEY REFERENCES units (id),
    rules            TEXT NOT NULL DEFAULT '{}',
    retention        TEXT NOT NULL DEFAULT '{}',
    updated_at       BIGINT NOT NULL
);

-- Sources an administrator added beside the built-in ones.
CREATE TABLE history_sources (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    retention  TEXT NOT NULL DEFAULT 'other',   -- the retention row it follows
    created_at BIGINT NOT NULL
);

-- One row per daily retention run: a run that did not finish is resumed.
CREATE TABLE retention_runs (
    day         TEXT PRIMARY KEY,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    purged      TEXT NOT NULL DEFAULT '{}'      -- JSON counts of what was purged
);

-- +goose Down
DROP TABLE retention_runs;
DROP TABLE history_sources;
DROP TABLE history_settings;
DROP TABLE report_hidden_links;
DROP TABLE reports;
DROP TABLE interaction_attachments;
DROP INDEX interaction_unmatched_interaction;
ALTER TABLE interaction_parties DROP COLUMN coordinate;
DROP INDEX interactions_source_occurred;
ALTER TABLE interactions DROP COLUMN body_purged_at;
ALTER TABLE interactions DROP COLUMN establishment_id;
