-- Organisation and access: indexes for listing agents by name, finding the
-- agents of a role or a scope unit, and an agent's API tokens.

-- +goose Up
CREATE INDEX agents_sort ON agents (LOWER(name), id);
CREATE INDEX agent_roles_role ON agent_roles (role_code);
CREATE INDEX agent_scopes_unit ON agent_scopes (unit_id);
CREATE INDEX api_tokens_agent ON api_tokens (agent_id);

-- +goose Down
DROP INDEX api_tokens_agent;
DROP INDEX agent_scopes_unit;
DROP INDEX agent_roles_role;
DROP INDEX agents_sort;
