-- Catalogues, money, time: the labels of products, meeting-report reasons,
-- letter types, notification categories and segments become data in both
-- languages, and the amounts of a report's sales integer minor units.

-- +goose Up
-- One row per entry of a catalogue. establishment_id '' holds the entries
-- every establishment shares; an establishment's own row (an added code, or a
-- shared code relabelled or deactivated) stands over the shared one. Entries
-- are never deleted, only deactivated, as reports keep their codes.
CREATE TABLE catalogue_entries (
    kind             TEXT NOT NULL CHECK (kind IN ('product', 'report_reason', 'letter_type', 'notification_category', 'segment')),
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

INSERT INTO catalogue_entries (kind, establishment_id, code, label_fr, label_en, position, active, created_at, updated_at) VALUES
    ('product', '', 'current_account', 'Compte courant', 'Current account', 1, TRUE, 0, 0),
    ('product', '', 'savings', 'Livret d''épargne', 'Savings account', 2, TRUE, 0, 0),
    ('product', '', 'card', 'Carte bancaire', 'Bank card', 3, TRUE, 0, 0),
    ('product', '', 'home_loan', 'Prêt immobilier', 'Home loan', 4, TRUE, 0, 0),
    ('product', '', 'insurance', 'Assurance', 'Insurance', 5, TRUE, 0, 0),
    ('product', '', 'consumer_loan', 'Crédit à la consommation', 'Consumer loan', 6, TRUE, 0, 0),
    ('product', '', 'life_insurance', 'Assurance vie', 'Life insurance', 7, TRUE, 0, 0),
    ('report_reason', '', 'account', 'Tenue de compte', 'Account management', 1, TRUE, 0, 0),
    ('report_reason', '', 'payment_means', 'Moyens de paiement, carte', 'Payment means, card', 2, TRUE, 0, 0),
    ('report_reason', '', 'savings', 'Épargne', 'Savings', 3, TRUE, 0, 0),
    ('report_reason', '', 'investment', 'Placements financiers', 'Investments', 4, TRUE, 0, 0),
    ('report_reason', '', 'home_loan', 'Crédit immobilier', 'Home loan', 5, TRUE, 0, 0),
    ('report_reason', '', 'consumer_loan', 'Crédit à la consommation', 'Consumer loan', 6, TRUE, 0, 0),
    ('report_reason', '', 'insurance', 'Assurance, prévoyance', 'Insurance, protection', 7, TRUE, 0, 0),
    ('report_reason', '', 'retirement', 'Retraite', 'Retirement', 8, TRUE, 0, 0),
    ('report_reason', '', 'complaint', 'Réclamation', 'Complaint', 9, TRUE, 0, 0),
    ('report_reason', '', 'appointment', 'Prise de rendez-vous', 'Appointment booking', 10, TRUE, 0, 0),
    ('report_reason', '', 'customer_data', 'Connaissance client, coordonnées', 'Customer data, contact details', 11, TRUE, 0, 0),
    ('report_reason', '', 'difficulties', 'Difficultés financières', 'Financial difficulties', 12, TRUE, 0, 0),
    ('report_reason', '', 'other', 'Autre', 'Other', 13, TRUE, 0, 0),
    ('letter_type', '', 'PND', 'Pli non distribué', 'Undelivered mail', 1, TRUE, 0, 0),
    ('letter_type', '', 'PEL', 'Plan d''épargne logement arrivé à échéance', 'Home savings plan at maturity', 2, TRUE, 0, 0),
    ('letter_type', '', 'OCF', 'Offre clientèle fragile', 'Offer for financially vulnerable customers', 3, TRUE, 0, 0),
    ('letter_type', '', 'RPA', 'Rapport périodique d''adéquation', 'Periodic suitability report', 4, TRUE, 0, 0),
    ('notification_category', '', 'appointment', 'Rendez-vous', 'Appointment', 1, TRUE, 0, 0),
    ('notification_category', '', 'card', 'Carte', 'Card', 2, TRUE, 0, 0),
    ('notification_category', '', 'security', 'Sécurité', 'Security', 3, TRUE, 0, 0),
    ('notification_category', '', 'distance_selling', 'Vente à distance', 'Distance selling', 4, TRUE, 0, 0),
    ('segment', '', 'mass_market', 'Grand public', 'Mass market', 1, TRUE, 0, 0),
    ('segment', '', 'affluent', 'Patrimonial', 'Affluent', 2, TRUE, 0, 0),
    ('segment', '', 'private_banking', 'Banque privée', 'Private banking', 3, TRUE, 0, 0),
    ('segment', '', 'professional', 'Professionnel', 'Professional', 4, TRUE, 0, 0),
    ('segment', '', 'corporate', 'Entreprise', 'Corporate', 5, TRUE, 0, 0);

-- Sales: {"product", "amount": 1234.56} becomes {"product", "amount_minor": 123456, "currency": "EUR"}.
-- +rapport postgres
UPDATE reports SET sales = (
    SELECT COALESCE(json_agg(json_build_object('product', e->>'product',
        'amount_minor', ROUND((COALESCE(e->>'amount', '0'))::numeric * 100)::bigint, 'currency', 'EUR'))::text, '[]')
    FROM json_array_elements(sales::json) AS e)
WHERE sales <> '[]';
-- +rapport sqlite
UPDATE reports SET sales = (
    SELECT json_group_array(json_object('product', json_extract(e.value, '$.product'),
        'amount_minor', CAST(ROUND(COALESCE(json_extract(e.value, '$.amount'), 0) * 100) AS INTEGER), 'currency', 'EUR'))
    FROM json_each(reports.sales) AS e)
WHERE sales <> '[]';
-- +rapport end

-- +goose Down
-- +rapport postgres
UPDATE reports SET sales = (
    SELECT COALESCE(json_agg(json_build_object('product', e->>'product',
        'amount', (e->>'amount_minor')::numeric / 100))::text, '[]')
    FROM json_array_elements(sales::json) AS e)
WHERE sales <> '[]';
-- +rapport sqlite
UPDATE reports SET sales = (
    SELECT json_group_array(json_object('product', json_extract(e.value, '$.product'),
        'amount', json_extract(e.value, '$.amount_minor') / 100.0))
    FROM json_each(reports.sales) AS e)
WHERE sales <> '[]';
-- +rapport end
DROP TABLE catalogue_entries;
