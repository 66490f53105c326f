-- The kanban board: each column shows its last updated cards first and
-- counts the rest, for one unit or across the reader's scope, from an
-- index alone (a unit's board of one classification: unit, classification,
-- status; without a unit, cases_classification_status serves).

-- +goose Up
CREATE INDEX cases_board_unit ON cases (unit_id, classification_id, status, updated_at, id);
CREATE INDEX desk_requests_board_unit ON desk_requests (unit_id, status, updated_at, id);
CREATE INDEX desk_requests_board_status ON desk_requests (status, updated_at, id);

-- +goose Down
DROP INDEX desk_requests_board_status;
DROP INDEX desk_requests_board_unit;
DROP INDEX cases_board_unit;
