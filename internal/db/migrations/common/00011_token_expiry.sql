-- API tokens may expire: expires_at (Unix ms) is set at creation, NULL for
-- a token that never expires; past it the token answers 401.

-- +goose Up
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN expires_at;
