-- The response-time report reads a year of an establishment's leads: the
-- index it scans now holds every column the report groups, filters and
-- counts (unit, assignee, source, source group, product, response minutes),
-- so the aggregate never reads the leads' rows themselves.

-- +goose Up
DROP INDEX leads_report;
CREATE INDEX leads_report ON leads (establishment_id, received_at, unit_id, assignee_id, source, source_group, product,
    response_minutes);

-- +goose Down
DROP INDEX leads_report;
CREATE INDEX leads_report ON leads (establishment_id, received_at);
