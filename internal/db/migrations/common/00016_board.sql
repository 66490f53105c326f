-- The kanban board: each column of requests shows its last updated first,
-- for one unit or across the reader's scope.

-- +goose Up
CREATE INDEX desk_requests_board_unit ON desk_requests (unit_id, status, updated_at, id);
CREATE INDEX desk_requests_board_status ON desk_requests (status, updated_at, id);

-- +goose Down
DROP INDEX desk_requests_board_status;
DROP INDEX desk_requests_board_unit;
