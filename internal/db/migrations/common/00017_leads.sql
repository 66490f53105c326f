-- Leads: prospects' requests for a product, routed by the establishment's
-- rules to a unit and by round-robin to one of its available agents, who is
-- alerted as they chose; the first human activity on a lead is its
-- response, and its delay in the unit's business time is kept on the lead
-- for the response-time report. Also: agents' absences, their alert
-- choices, the SMS gateway, and each agent's dashboard.

-- +goose Up
CREATE TABLE lead_rules (
    establishment_id   TEXT NOT NULL REFERENCES units (id),
    position           INTEGER NOT NULL,              -- 1, 2, …: first match wins
    source             TEXT NOT NULL DEFAULT '',      -- '' matches any
    product            TEXT NOT NULL DEFAULT '',
    postal_code_prefix TEXT NOT NULL DEFAULT '',
    unit_id            TEXT NOT NULL REFERENCES units (id),
    PRIMARY KEY (establishment_id, position)
);

CREATE TABLE leads (
    id                TEXT PRIMARY KEY,
    establishment_id  TEXT NOT NULL REFERENCES units (id),
    unit_id           TEXT NOT NULL REFERENCES units (id), -- routed to; its scope
    party_id          TEXT REFERENCES parties (id),        -- matched or created prospect
    channel           TEXT NOT NULL CHECK (channel IN ('api', 'form', 'manual')),
    source            TEXT NOT NULL,
    source_group      TEXT NOT NULL DEFAULT '',
    external_id       TEXT NOT NULL,                       -- the sender's id; generated for forms
    received_at       BIGINT NOT NULL,
    clock_start_at    BIGINT NOT NULL,  -- received_at, or the unit's next opening when it was closed
    first_name        TEXT NOT NULL DEFAULT '',
    last_name         TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    postal_code       TEXT NOT NULL DEFAULT '',
    product           TEXT NOT NULL DEFAULT '',
    message           TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL CHECK (status IN ('new', 'assigned', 'answered', 'closed')),
    route             TEXT NOT NULL CHECK (route IN ('rule', 'unit', 'default')),
    route_rule        INTEGER,                             -- the rule's position when route = 'rule'
    route_label       TEXT NOT NULL DEFAULT '',            -- the rule's criteria when it routed
    assignee_id       TEXT REFERENCES agents (id),
    assigned_at       BIGINT,
    assigned_by       TEXT CHECK (assigned_by IN ('round_robin', 'manual')),
    first_response_at BIGINT,
    response_minutes  BIGINT,                              -- business minutes, clock start to response
    response_kind     TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    UNIQUE (establishment_id, source, external_id)
);
CREATE INDEX leads_report ON leads (establishment_id, received_at);
CREATE INDEX leads_unit ON leads (unit_id, status, received_at);
CREATE INDEX leads_assignee ON leads (assignee_id, status, received_at, unit_id);
CREATE INDEX leads_party ON leads (party_id, status);
CREATE INDEX leads_waiting ON leads (status, unit_id);

-- Every completed activity on a lead; the first one not automatic is its
-- response. origin + ref_id make a recording idempotent (the desk message,
-- the interaction, the task it comes from).
CREATE TABLE lead_activities (
    id           TEXT PRIMARY KEY,
    lead_id      TEXT NOT NULL REFERENCES leads (id),
    kind         TEXT NOT NULL CHECK (kind IN ('email', 'call', 'mailing', 'appointment', 'task', 'sms')),
    automatic    BOOLEAN NOT NULL DEFAULT FALSE,
    origin       TEXT NOT NULL CHECK (origin IN ('api', 'desk', 'history', 'task', 'manual')),
    ref_id       TEXT NOT NULL,
    agent_id     TEXT REFERENCES agents (id),
    completed_at BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (lead_id, origin, ref_id)
);
CREATE INDEX lead_activities_lead ON lead_activities (lead_id, completed_at);

-- Round-robin: the last agent given a lead in each unit.
CREATE TABLE lead_round_robin (
    unit_id       TEXT PRIMARY KEY REFERENCES units (id),
    last_agent_id TEXT REFERENCES agents (id),
    updated_at    BIGINT NOT NULL
);

-- The activities an agent associated with a lead ("associated with").
ALTER TABLE desk_requests ADD COLUMN lead_id TEXT REFERENCES leads (id);
ALTER TABLE tasks ADD COLUMN lead_id TEXT REFERENCES leads (id);
CREATE INDEX desk_requests_lead ON desk_requests (lead_id);
CREATE INDEX tasks_lead ON tasks (lead_id);

-- An agent is unavailable for leads while absent.
CREATE TABLE agent_absences (
    id         TEXT PRIMARY KEY,
    agent_id   TEXT NOT NULL REFERENCES agents (id),
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES agents (id),
    created_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX agent_absences_agent ON agent_absences (agent_id, ends_at);

-- How an agent is alerted when a lead is assigned to them. No row: the
-- defaults (pop-up and tab flash). forward_email is set by an
-- administrator (a personal address); mobile is where SMS alerts go.
CREATE TABLE agent_lead_alerts (
    agent_id      TEXT PRIMARY KEY REFERENCES agents (id),
    popup         BOOLEAN NOT NULL DEFAULT TRUE,
    sound         BOOLEAN NOT NULL DEFAULT FALSE,
    flash         BOOLEAN NOT NULL DEFAULT TRUE,
    email         BOOLEAN NOT NULL DEFAULT FALSE,
    sms           BOOLEAN NOT NULL DEFAULT FALSE,
    forward_email TEXT NOT NULL DEFAULT '',
    mobile        TEXT NOT NULL DEFAULT '',
    updated_at    BIGINT NOT NULL
);

-- The SMS gateway of an establishment, reached by its HTTP API.
CREATE TABLE sms_gateways (
    establishment_id TEXT PRIMARY KEY REFERENCES units (id),
    url              TEXT NOT NULL,
    username         TEXT NOT NULL DEFAULT '',
    password_sealed  TEXT NOT NULL DEFAULT '',  -- sealed with the secret key
    sender           TEXT NOT NULL DEFAULT '',
    body_template    TEXT NOT NULL,             -- JSON with {{to}}, {{text}}, {{sender}}
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at       BIGINT NOT NULL
);

-- Each agent's dashboard: their widgets in order, each with its settings.
CREATE TABLE dashboard_widgets (
    id         TEXT PRIMARY KEY,
    agent_id   TEXT NOT NULL REFERENCES agents (id),
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    settings   TEXT NOT NULL DEFAULT '{}',      -- JSON
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX dashboard_widgets_agent ON dashboard_widgets (agent_id, position);

-- The customers an agent opened last (the "recent customers" widget).
CREATE TABLE agent_recent_parties (
    agent_id  TEXT NOT NULL REFERENCES agents (id),
    party_id  TEXT NOT NULL REFERENCES parties (id),
    viewed_at BIGINT NOT NULL,
    PRIMARY KEY (agent_id, party_id)
);
CREATE INDEX agent_recent_parties_viewed ON agent_recent_parties (agent_id, viewed_at);

-- Lead permissions: work (receive, answer) and assign (managers reassign).
UPDATE roles SET permissions = permissions || ' lead.work' WHERE code IN ('admin', 'advisor', 'manager', 'contact_centre');
UPDATE roles SET permissions = permissions || ' lead.assign' WHERE code IN ('admin', 'manager');

-- +goose Down
UPDATE roles SET permissions = REPLACE(REPLACE(permissions, ' lead.work', ''), ' lead.assign', '');
DROP TABLE agent_recent_parties;
DROP TABLE dashboard_widgets;
DROP TABLE sms_gateways;
DROP TABLE agent_lead_alerts;
DROP TABLE agent_absences;
DROP INDEX tasks_lead;
DROP INDEX desk_requests_lead;
ALTER TABLE tasks DROP COLUMN lead_id;
ALTER TABLE desk_requests DROP COLUMN lead_id;
DROP TABLE lead_round_robin;
DROP TABLE lead_activities;
DROP TABLE leads;
DROP TABLE lead_rules;
