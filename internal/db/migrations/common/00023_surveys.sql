-- Satisfaction surveys: campaigns per establishment, one survey per
-- exchange (an interaction or a desk request), the three-month rule
-- serialised per establishment and party, and the answers. An anonymous
-- answer is kept in survey_answers only, with neither the party nor the
-- survey it answers; the survey row just records that its link was used.

-- +goose Up
CREATE TABLE survey_campaigns (
    id               TEXT PRIMARY KEY,
    establishment_id TEXT NOT NULL REFERENCES units (id),
    code             TEXT NOT NULL,
    name             TEXT NOT NULL,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    triggers         TEXT NOT NULL,                 -- space-separated: call, meeting, request_closed
    delay_minutes    INTEGER NOT NULL DEFAULT 0,
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    scale            TEXT NOT NULL CHECK (scale IN ('1-5', '0-10')),
    ask_comment      BOOLEAN NOT NULL DEFAULT TRUE,
    ask_identify     BOOLEAN NOT NULL DEFAULT TRUE,
    link_days        INTEGER NOT NULL DEFAULT 30,
    texts            TEXT NOT NULL DEFAULT '{}',    -- JSON: language → subject, intro, question, thanks, sms
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (establishment_id, code)
);

CREATE TABLE surveys (
    id               TEXT PRIMARY KEY,
    campaign_id      TEXT NOT NULL REFERENCES survey_campaigns (id),
    establishment_id TEXT NOT NULL REFERENCES units (id),
    unit_id          TEXT NOT NULL REFERENCES units (id),    -- the exchange's unit: the scope of the results
    party_id         TEXT NOT NULL REFERENCES parties (id),
    interaction_id   TEXT UNIQUE REFERENCES interactions (id),
    request_id       TEXT UNIQUE REFERENCES desk_requests (id),
    agent_id         TEXT REFERENCES agents (id),
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    status           TEXT NOT NULL CHECK (status IN ('scheduled', 'sent', 'answered', 'skipped', 'expired')),
    reason           TEXT,                                   -- the skip's reason
    exchange_at      BIGINT NOT NULL,
    due_at           BIGINT NOT NULL,
    sent_at          BIGINT,
    expires_at       BIGINT,
    used             BOOLEAN NOT NULL DEFAULT FALSE,         -- the link was used (answered, anonymously or not)
    score            INTEGER,                                -- identified answers only
    comment          TEXT,
    answered_at      BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX surveys_window ON surveys (establishment_id, party_id, status, due_at);
CREATE INDEX surveys_due ON surveys (status, due_at);
CREATE INDEX surveys_report ON surveys (unit_id, due_at);
CREATE INDEX surveys_party ON surveys (party_id, due_at);

-- One row per establishment and party, locked while a survey is scheduled
-- for them, so two exchanges at once never both pass the three-month rule.
CREATE TABLE survey_windows (
    lock_key   TEXT PRIMARY KEY,                            -- establishment id + ':' + party id
    updated_at BIGINT NOT NULL
);

-- Every answer, for the results; no party and no survey, so an anonymous
-- answer cannot be traced back (its id is random, its date a day).
CREATE TABLE survey_answers (
    id           TEXT PRIMARY KEY,
    campaign_id  TEXT NOT NULL REFERENCES survey_campaigns (id),
    unit_id      TEXT NOT NULL REFERENCES units (id),
    agent_id     TEXT REFERENCES agents (id),
    scale        TEXT NOT NULL CHECK (scale IN ('1-5', '0-10')),
    score        INTEGER NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    identified   BOOLEAN NOT NULL DEFAULT FALSE,
    answered_day TEXT NOT NULL                              -- YYYY-MM-DD (UTC)
);
CREATE INDEX survey_answers_report ON survey_answers (unit_id, answered_day);

-- A prospect who asked for erasure is sent no survey.
ALTER TABLE parties ADD COLUMN erasure_requested_at BIGINT;

UPDATE roles SET permissions = permissions || ' survey.admin' WHERE code = 'admin';
UPDATE roles SET permissions = permissions || ' survey.results' WHERE code IN ('admin', 'manager');

-- +goose Down
UPDATE roles SET permissions = REPLACE(REPLACE(permissions, ' survey.admin', ''), ' survey.results', '');
ALTER TABLE parties DROP COLUMN erasure_requested_at;
DROP TABLE survey_answers;
DROP TABLE survey_windows;
DROP TABLE surveys;
DROP TABLE survey_campaigns;
