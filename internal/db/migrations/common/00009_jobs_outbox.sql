-- Durable background jobs and the outbox (internal/jobs, internal/outbox).
-- A job is claimed by one instance at a time under a lease (holder and
-- lease_until); a job whose lease expired is claimed again (at-least-once).
-- unique_key makes an insert idempotent: a periodic job's period is
-- inserted by every instance and stored once. A message of the outbox is
-- written in the transaction of the change that causes it, with the job
-- that delivers it.

-- +goose Up
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    args         TEXT NOT NULL DEFAULT '{}',
    unique_key   TEXT UNIQUE,
    state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempt      INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       BIGINT NOT NULL,
    lease_until  BIGINT,
    holder       TEXT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    finished_at  BIGINT
);
-- What can be claimed: queued jobs by due time, running ones by lease.
CREATE INDEX jobs_queued_run_at ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE state = 'running';
-- The metrics' counts by state and kind; the admin list by state, newest first.
CREATE INDEX jobs_state_kind ON jobs (state, kind);
CREATE INDEX jobs_state_created ON jobs (state, created_at, id);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('email', 'sms', 'webhook')),
    payload         TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);

-- +goose Down
DROP TABLE outbox;
DROP TABLE jobs;
