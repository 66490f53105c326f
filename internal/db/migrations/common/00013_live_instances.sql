-- Several instances on one database. cache_versions: one row per cache
-- kept in memory (history settings and sources, catalogues), its version
-- moved on by every save, so each instance checks it before using its copy
-- (at most once a second). event_payloads: events of the live-pages bus
-- too large for a notification, kept a few minutes for the instances to
-- fetch by id.

-- +goose Up
CREATE TABLE cache_versions (
    name    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

CREATE TABLE event_payloads (
    id         TEXT PRIMARY KEY,
    payload    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX event_payloads_created ON event_payloads (created_at);

-- +goose Down
DROP TABLE event_payloads;
DROP TABLE cache_versions;
