-- The desk: customer requests by email, web form, phone and chat, answered
-- from one screen. Mailboxes are fetched over IMAP (uid_validity and last_uid
-- advance only in the transaction that stores a message) and answered over
-- SMTP; desk_mail_keys remembers every message fetched, request or not, so
-- a rescan never duplicates; desk_messages holds inbound and outbound mail,
-- notes and solicitation mail; desk_events the request's other changes.

-- +goose Up
CREATE TABLE desk_mailboxes (
    id                TEXT PRIMARY KEY,
    unit_id           TEXT NOT NULL REFERENCES units (id),
    address           TEXT NOT NULL UNIQUE,     -- lower-cased
    name              TEXT NOT NULL,
    imap_host         TEXT NOT NULL DEFAULT '',
    imap_port         INTEGER NOT NULL DEFAULT 993,
    imap_security     TEXT NOT NULL DEFAULT 'tls' CHECK (imap_security IN ('tls', 'starttls', 'none')),
    imap_login        TEXT NOT NULL DEFAULT '',
    imap_password     TEXT NOT NULL DEFAULT '', -- sealed with the secret key, never shown
    imap_folder       TEXT NOT NULL DEFAULT 'INBOX',
    smtp_host         TEXT NOT NULL DEFAULT '',
    smtp_port         INTEGER NOT NULL DEFAULT 465,
    smtp_security     TEXT NOT NULL DEFAULT 'tls' CHECK (smtp_security IN ('tls', 'starttls', 'none')),
    smtp_login        TEXT NOT NULL DEFAULT '',
    smtp_password     TEXT NOT NULL DEFAULT '', -- sealed
    signature         TEXT NOT NULL DEFAULT '',
    after_fetch       TEXT NOT NULL DEFAULT '', -- '' leaves messages as they are, 'seen', or 'move:<folder>'
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    uid_validity      BIGINT NOT NULL DEFAULT 0,
    last_uid          BIGINT NOT NULL DEFAULT 0,
    synced_at         BIGINT,
    sync_error        TEXT NOT NULL DEFAULT '',
    lease_owner       TEXT NOT NULL DEFAULT '',
    lease_until       BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX desk_mailboxes_unit ON desk_mailboxes (unit_id);

CREATE TABLE desk_forms (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    unit_id      TEXT NOT NULL REFERENCES units (id),
    name         TEXT NOT NULL,
    confirmation TEXT NOT NULL DEFAULT '',
    fields       TEXT NOT NULL DEFAULT 'phone attachments', -- optional fields shown: phone, attachments
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- Reply templates, per establishment.
CREATE TABLE desk_templates (
    id               TEXT PRIMARY KEY,
    establishment_id TEXT NOT NULL REFERENCES units (id),
    name             TEXT NOT NULL,
    body             TEXT NOT NULL,
    position         INTEGER NOT NULL DEFAULT 0,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (establishment_id, name)
);

-- Targets per unit, in business minutes of the unit's hours.
CREATE TABLE desk_unit_settings (
    unit_id                TEXT PRIMARY KEY REFERENCES units (id),
    first_response_minutes INTEGER NOT NULL,
    resolution_minutes     INTEGER NOT NULL,
    reopen_days            INTEGER NOT NULL,
    updated_at             BIGINT NOT NULL
);

-- Numbered references (R-000001), one counter row locked per allocation.
CREATE TABLE desk_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO desk_counters (name, value) VALUES ('request', 0);

CREATE TABLE desk_requests (
    id                 TEXT PRIMARY KEY,
    reference          TEXT NOT NULL UNIQUE,
    unit_id            TEXT NOT NULL REFERENCES units (id),
    mailbox_id         TEXT REFERENCES desk_mailboxes (id),
    form_id            TEXT REFERENCES desk_forms (id),
    channel            TEXT NOT NULL CHECK (channel IN ('email', 'web_form', 'phone', 'chat')),
    status             TEXT NOT NULL CHECK (status IN ('new', 'open', 'waiting', 'closed')),
    priority           TEXT NOT NULL DEFAULT 'low' CHECK (priority IN ('low', 'medium', 'high')),
    reason             TEXT NOT NULL DEFAULT '',
    subject            TEXT NOT NULL,
    party_id           TEXT REFERENCES parties (id),
    customer_name      TEXT NOT NULL DEFAULT '',
    customer_email     TEXT NOT NULL DEFAULT '',
    customer_phone     TEXT NOT NULL DEFAULT '',
    assignee_id        TEXT REFERENCES agents (id),
    unread             INTEGER NOT NULL DEFAULT 0,  -- inbound messages nobody has read
    flags              TEXT NOT NULL DEFAULT '',   -- space-separated: unparsed
    previous_id        TEXT REFERENCES desk_requests (id), -- the closed request a new one follows
    first_response_due BIGINT,
    first_response_at  BIGINT,
    resolution_due     BIGINT,
    closed_at          BIGINT,
    created_by         TEXT REFERENCES agents (id),
    created_at         BIGINT NOT NULL,
    last_message_at    BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX desk_requests_unit ON desk_requests (unit_id, created_at, id);
CREATE INDEX desk_requests_unit_status ON desk_requests (unit_id, status, created_at, id);
CREATE INDEX desk_requests_status ON desk_requests (status, created_at, id);
CREATE INDEX desk_requests_created ON desk_requests (created_at, id);
CREATE INDEX desk_requests_assignee ON desk_requests (assignee_id, status, created_at, id);
CREATE INDEX desk_requests_party ON desk_requests (party_id, created_at);

CREATE TABLE desk_solicitations (
    id         TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES desk_requests (id),
    recipient  TEXT NOT NULL,                  -- lower-cased address
    subject    TEXT NOT NULL,
    unit_id    TEXT NOT NULL REFERENCES units (id),
    created_by TEXT REFERENCES agents (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX desk_solicitations_request ON desk_solicitations (request_id);
CREATE INDEX desk_solicitations_recipient ON desk_solicitations (unit_id, recipient);

CREATE TABLE desk_messages (
    id              TEXT PRIMARY KEY,
    request_id      TEXT NOT NULL REFERENCES desk_requests (id),
    solicitation_id TEXT REFERENCES desk_solicitations (id),
    mailbox_id      TEXT REFERENCES desk_mailboxes (id),
    kind            TEXT NOT NULL CHECK (kind IN ('inbound', 'outbound', 'note')),
    message_id      TEXT NOT NULL DEFAULT '',       -- the RFC 5322 Message-ID, without brackets
    in_reply_to     TEXT NOT NULL DEFAULT '',
    from_name       TEXT NOT NULL DEFAULT '',
    from_email      TEXT NOT NULL DEFAULT '',
    to_emails       TEXT NOT NULL DEFAULT '',       -- comma-separated
    cc_emails       TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL DEFAULT '',
    body_text       TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',       -- sanitised
    agent_id        TEXT REFERENCES agents (id),
    status          TEXT NOT NULL DEFAULT '' CHECK (status IN ('', 'queued', 'sending', 'sent', 'failed', 'bounced')),
    status_detail   TEXT NOT NULL DEFAULT '',       -- the server's reason of a failure or bounce
    flags           TEXT NOT NULL DEFAULT '',       -- space-separated: unexpected_sender, unparsed, automatic, unread
    raw_hash        TEXT NOT NULL DEFAULT '',       -- the raw message in the file store
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX desk_messages_request ON desk_messages (request_id, created_at);
CREATE INDEX desk_messages_mailbox_id ON desk_messages (mailbox_id, message_id);
CREATE INDEX desk_messages_status ON desk_messages (status, created_at);
CREATE INDEX desk_messages_raw ON desk_messages (raw_hash);

CREATE TABLE desk_message_files (
    id           TEXT PRIMARY KEY,
    message_id   TEXT NOT NULL REFERENCES desk_messages (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content_id   TEXT NOT NULL DEFAULT '',
    inline       BOOLEAN NOT NULL DEFAULT FALSE,
    size         BIGINT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX desk_message_files_message ON desk_message_files (message_id);
CREATE INDEX desk_message_files_hash ON desk_message_files (hash);

-- Every message fetched from a mailbox, whatever became of it, by its
-- Message-ID (or a content hash when it has none): a rescan finds it here.
CREATE TABLE desk_mail_keys (
    mailbox_id  TEXT NOT NULL REFERENCES desk_mailboxes (id),
    message_key TEXT NOT NULL,
    disposition TEXT NOT NULL,              -- request, reply, automatic, bounce
    desk_message_id TEXT,
    raw_hash    TEXT NOT NULL,
    fetched_at  BIGINT NOT NULL,
    PRIMARY KEY (mailbox_id, message_key)
);
CREATE INDEX desk_mail_keys_raw ON desk_mail_keys (raw_hash);

-- A request's changes other than messages: status, assignment, subject,
-- reason, priority, party, reopening; with who and when.
CREATE TABLE desk_events (
    id         TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES desk_requests (id),
    at         BIGINT NOT NULL,
    agent_id   TEXT REFERENCES agents (id),
    kind       TEXT NOT NULL,
    old_value  TEXT NOT NULL DEFAULT '',
    new_value  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX desk_events_request ON desk_events (request_id, at);

-- Desk permissions: read requests, reply (request.reply, already granted),
-- assign, administer mailboxes and forms.
UPDATE roles SET permissions = permissions || ' request.read' WHERE code IN ('admin', 'advisor', 'manager', 'backoffice', 'contact_centre', 'viewer');
UPDATE roles SET permissions = permissions || ' request.assign' WHERE code IN ('admin', 'manager', 'contact_centre');
UPDATE roles SET permissions = permissions || ' desk.admin' WHERE code = 'admin';

-- Request reasons become a catalogue.
-- +rapport sqlite
CREATE TABLE catalogue_entries_new (
    kind             TEXT NOT NULL CHECK (kind IN ('product', 'report_reason', 'letter_type', 'notification_category', 'segment', 'request_reason')),
    establishment_id TEXT NOT NULL DEFAULT '',
    code             TEXT NOT NULL,
    label_fr         TEXT NOT NULL CHECK (label_fr <> ''),
    label_en         TEXT NOT NULL CHECK (label_en <> ''),
    position         INTEGER NOT NULL DEFAULT 0,
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (kind, establishment_id, code)
);
INSERT INTO catalogue_entries_new SELECT * FROM catalogue_entries;
DROP TABLE catalogue_entries;
ALTER TABLE catalogue_entries_new RENAME TO catalogue_entries;
-- +rapport postgres
ALTER TABLE catalogue_entries DROP CONSTRAINT catalogue_entries_kind_check;
ALTER TABLE catalogue_entries ADD CONSTRAINT catalogue_entries_kind_check
    CHECK (kind IN ('product', 'report_reason', 'letter_type', 'notification_category', 'segment', 'request_reason'));
-- +rapport end
INSERT INTO catalogue_entries (kind, establishment_id, code, label_fr, label_en, position, active, created_at, updated_at) VALUES
    ('request_reason', '', 'information', 'Demande d''information', 'Information request', 1, TRUE, 0, 0),
    ('request_reason', '', 'account', 'Tenue de compte', 'Account management', 2, TRUE, 0, 0),
    ('request_reason', '', 'card', 'Carte, moyens de paiement', 'Card, payment means', 3, TRUE, 0, 0),
    ('request_reason', '', 'loan', 'Crédit', 'Loan', 4, TRUE, 0, 0),
    ('request_reason', '', 'savings', 'Épargne, placements', 'Savings, investments', 5, TRUE, 0, 0),
    ('request_reason', '', 'insurance', 'Assurance, sinistre', 'Insurance, claim', 6, TRUE, 0, 0),
    ('request_reason', '', 'address_change', 'Changement de coordonnées', 'Change of details', 7, TRUE, 0, 0),
    ('request_reason', '', 'complaint', 'Réclamation', 'Complaint', 8, TRUE, 0, 0),
    ('request_reason', '', 'documents', 'Envoi de documents', 'Documents sent', 9, TRUE, 0, 0);

-- +goose Down
DELETE FROM catalogue_entries WHERE kind = 'request_reason';
UPDATE roles SET permissions = REPLACE(REPLACE(REPLACE(permissions, ' request.read', ''), ' request.assign', ''), ' desk.admin', '');
DROP TABLE desk_events;
DROP TABLE desk_mail_keys;
DROP TABLE desk_message_files;
DROP TABLE desk_messages;
DROP TABLE desk_solicitations;
DROP TABLE desk_requests;
DROP TABLE desk_counters;
DROP TABLE desk_unit_settings;
DROP TABLE desk_templates;
DROP TABLE desk_forms;
DROP TABLE desk_mailboxes;
