-- Meeting reports: those who meet customers write them; managers review the
-- orphans of their teams.

-- +goose Up
UPDATE roles SET permissions = permissions || ' report.write' WHERE code IN ('admin', 'advisor', 'manager', 'backoffice');
UPDATE roles SET permissions = permissions || ' report.review' WHERE code IN ('admin', 'manager');

-- +goose Down
UPDATE roles SET permissions = REPLACE(REPLACE(permissions, ' report.review', ''), ' report.write', '');
