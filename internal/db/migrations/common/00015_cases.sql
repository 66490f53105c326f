-- Contacts, cases, action plans and tasks.
--
-- A contact (the GRC "contact") is one traced exchange with its template
-- applied; it is also an interaction of the history (source "contact").
-- A case groups contacts, people, agents, business objects and elements,
-- and runs the process of its classification. An action plan is a
-- timeline of steps that becomes tasks when launched.

-- +goose Up

-- Definitions an administrator keeps per establishment. Names in French
-- and English; what the template or process holds is JSON checked in Go.
CREATE TABLE contact_types (
    id               TEXT PRIMARY KEY,
    establishment_id TEXT NOT NULL REFERENCES units (id),
    code             TEXT NOT NULL,
    name_fr          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    medium           TEXT NOT NULL DEFAULT '',  -- the medium it proposes (phone, face_to_face, …)
    reason           TEXT NOT NULL DEFAULT '',  -- the reason it proposes (report_reason catalogue)
    classification   TEXT NOT NULL DEFAULT '',  -- the case classification it proposes
    template         TEXT NOT NULL DEFAULT '{}', -- {interlocutors, agents, objects}
    position         INTEGER NOT NULL DEFAULT 0,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (establishment_id, code)
);

CREATE TABLE case_classifications (
    id               TEXT PRIMARY KEY,
    establishment_id TEXT NOT NULL REFERENCES units (id),
    code             TEXT NOT NULL,
    name_fr          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    process          TEXT NOT NULL,             -- {statuses, steps}
    template         TEXT NOT NULL DEFAULT '{}', -- {interlocutors, agents, objects}
    position         INTEGER NOT NULL DEFAULT 0,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (establishment_id, code)
);

CREATE TABLE action_plans (
    id               TEXT PRIMARY KEY,
    establishment_id TEXT NOT NULL REFERENCES units (id),
    code             TEXT NOT NULL,
    name_fr          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    steps            TEXT NOT NULL,             -- [{day, title, …}]
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (establishment_id, code)
);

CREATE TABLE contacts (
    id             TEXT PRIMARY KEY,
    unit_id        TEXT NOT NULL REFERENCES units (id),
    type_id        TEXT NOT NULL REFERENCES contact_types (id),
    party_id       TEXT NOT NULL REFERENCES parties (id), -- the main interlocutor
    medium         TEXT NOT NULL,
    direction      TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    reason         TEXT NOT NULL DEFAULT '',
    comment        TEXT NOT NULL DEFAULT '',
    interaction_id TEXT NOT NULL,               -- its interaction (retention may purge it; the contact stays)
    created_by     TEXT REFERENCES agents (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX contacts_party ON contacts (party_id, created_at);
CREATE INDEX contacts_interaction ON contacts (interaction_id);

-- Numbered references (C-000001).
INSERT INTO desk_counters (name, value) VALUES ('case', 0);

CREATE TABLE cases (
    id                TEXT PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    unit_id           TEXT NOT NULL REFERENCES units (id),
    classification_id TEXT NOT NULL REFERENCES case_classifications (id),
    status            TEXT NOT NULL,
    title             TEXT NOT NULL DEFAULT '',
    party_id          TEXT REFERENCES parties (id), -- the main interlocutor
    origin            TEXT NOT NULL CHECK (origin IN ('contact', 'manual', 'api')),
    idempotency_key   TEXT,                         -- an API-opened case's key, unique per establishment
    establishment_id  TEXT NOT NULL REFERENCES units (id),
    step_data         TEXT NOT NULL DEFAULT '{}',   -- the fields filled in at each step, by step code
    created_by        TEXT REFERENCES agents (id),
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    closed_at         BIGINT,
    UNIQUE (establishment_id, idempotency_key)
);
CREATE INDEX cases_unit_status ON cases (unit_id, status, updated_at, id);
CREATE INDEX cases_classification_status ON cases (classification_id, status, updated_at, id);
CREATE INDEX cases_party ON cases (party_id, created_at);

-- The people, agents and business objects of a contact or a case (the
-- owner: ids are unique across both).
CREATE TABLE work_parties (
    owner_id TEXT NOT NULL,
    party_id TEXT NOT NULL REFERENCES parties (id),
    role     TEXT NOT NULL DEFAULT 'interlocutor',
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner_id, party_id)
);
CREATE INDEX work_parties_party ON work_parties (party_id);

CREATE TABLE work_agents (
    owner_id TEXT NOT NULL,
    agent_id TEXT NOT NULL REFERENCES agents (id),
    role     TEXT NOT NULL CHECK (role IN ('emitter', 'responsible', 'contributor')),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner_id, agent_id, role)
);
CREATE INDEX work_agents_agent ON work_agents (agent_id, role);

CREATE TABLE work_objects (
    owner_id  TEXT NOT NULL,
    kind      TEXT NOT NULL,                    -- contract, invoice, meter_reading, …
    object_id TEXT NOT NULL,
    label     TEXT NOT NULL DEFAULT '',         -- what a user reads (a contract's number and product)
    position  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner_id, kind, object_id)
);

-- A case's elements other than tasks: contacts, letters, notes, documents,
-- emails. A letter or document has its file in the file store.
CREATE TABLE case_elements (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL CHECK (kind IN ('contact', 'letter', 'note', 'document', 'email')),
    ref_id       TEXT NOT NULL DEFAULT '',      -- the contact, or the desk request of an email
    title        TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    file_hash    TEXT NOT NULL DEFAULT '',
    file_name    TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL DEFAULT 0,
    step         TEXT NOT NULL DEFAULT '',      -- the process step that generated it
    created_by   TEXT REFERENCES agents (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX case_elements_case ON case_elements (case_id, kind, created_at);
CREATE INDEX case_elements_ref ON case_elements (ref_id);
CREATE INDEX case_elements_file ON case_elements (file_hash); -- the file collector's lookup

-- What happened to a case: opened, step done, status changed, element
-- added, contact moved in, plan launched.
CREATE TABLE case_events (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    step        TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '{}',
    agent_id    TEXT REFERENCES agents (id),
    at          BIGINT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, at);

-- One launch of an action plan on a contact, a case or a request.
CREATE TABLE plan_runs (
    id          TEXT PRIMARY KEY,
    plan_id     TEXT NOT NULL REFERENCES action_plans (id),
    unit_id     TEXT NOT NULL REFERENCES units (id),
    case_id     TEXT REFERENCES cases (id),
    contact_id  TEXT REFERENCES contacts (id),
    request_id  TEXT REFERENCES desk_requests (id),
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled')),
    launched_by TEXT REFERENCES agents (id),
    launched_at BIGINT NOT NULL
);
CREATE INDEX plan_runs_case ON plan_runs (case_id);

CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    unit_id      TEXT NOT NULL REFERENCES units (id), -- its scope, and its queue when unassigned
    kind         TEXT NOT NULL DEFAULT 'task' CHECK (kind IN ('task', 'call', 'meeting')),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    due_on       TEXT NOT NULL,                 -- YYYY-MM-DD in the unit's calendar
    assignee_id  TEXT REFERENCES agents (id),    -- NULL: waiting in the unit's queue
    priority     TEXT NOT NULL DEFAULT 'low' CHECK (priority IN ('low', 'medium', 'high')),
    status       TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    party_id     TEXT REFERENCES parties (id),
    case_id      TEXT REFERENCES cases (id),
    request_id   TEXT REFERENCES desk_requests (id),
    contact_id   TEXT REFERENCES contacts (id),
    plan_run_id  TEXT REFERENCES plan_runs (id),
    plan_step    INTEGER,
    moves_to     TEXT NOT NULL DEFAULT '',      -- the status its case or request moves to when done
    created_by   TEXT REFERENCES agents (id),
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    completed_at BIGINT,
    completed_by TEXT REFERENCES agents (id)
);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status, due_on, id);
CREATE INDEX tasks_queue ON tasks (unit_id, status, due_on, id);
CREATE INDEX tasks_case ON tasks (case_id, status);
CREATE INDEX tasks_request ON tasks (request_id);
CREATE INDEX tasks_plan_run ON tasks (plan_run_id);
CREATE INDEX tasks_party ON tasks (party_id, due_on);

-- Agents who run cases can see their establishment's definitions;
-- administrators define them (admin permission).

-- +goose Down
DELETE FROM desk_counters WHERE name = 'case';
DROP TABLE tasks;
DROP TABLE plan_runs;
DROP TABLE case_events;
DROP TABLE case_elements;
DROP TABLE work_objects;
DROP TABLE work_agents;
DROP TABLE work_parties;
DROP TABLE cases;
DROP TABLE contacts;
DROP TABLE action_plans;
DROP TABLE case_classifications;
DROP TABLE contact_types;
