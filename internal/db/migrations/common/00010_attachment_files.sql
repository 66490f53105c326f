-- Attachments' content moves out of the database to the file store
-- (internal/blob), which keeps it by the SHA-256 of the content. A row
-- keeps what the file is (name, type, size, inline) and sha256, the file's
-- key; content stays only on rows not moved yet, which the application
-- moves at start in batches (history.Store.MoveAttachmentsToFiles), as SQL
-- cannot write files. A purged row keeps its sha256 but no longer holds its
-- file (purged_at set).

-- +goose Up
ALTER TABLE interaction_attachments ADD COLUMN sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64);
-- The rows whose content is still in the database: empty once moved.
CREATE INDEX interaction_attachments_in_db ON interaction_attachments (id) WHERE content IS NOT NULL;
-- The rows that hold a file, by file: is a file still referenced?
CREATE INDEX interaction_attachments_file ON interaction_attachments (sha256) WHERE purged_at IS NULL;

-- +goose Down
DROP INDEX interaction_attachments_file;
DROP INDEX interaction_attachments_in_db;
ALTER TABLE interaction_attachments DROP COLUMN sha256;
