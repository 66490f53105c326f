-- An agent's dashboard is the default set of widgets until they change it;
-- from their first change on, their rows in dashboard_widgets are the whole
-- layout, even when they removed every widget. This row says they did.

-- +goose Up
CREATE TABLE dashboard_layouts (
    agent_id   TEXT PRIMARY KEY REFERENCES agents (id),
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE dashboard_layouts;
