-- Indexes of the daily retention job: the attachments whose content is
-- still kept (the job reads only those, never the purged ones nor the
-- interactions without any), and the hidden links of an interaction it
-- deletes.

-- +goose Up
CREATE INDEX interaction_attachments_kept ON interaction_attachments (inline, interaction_id) WHERE purged_at IS NULL;
CREATE INDEX report_hidden_links_interaction ON report_hidden_links (interaction_id);

-- +goose Down
DROP INDEX report_hidden_links_interaction;
DROP INDEX interaction_attachments_kept;
