-- Operator-wide settings: name, currency, time zone (and later SMS templates).
CREATE TABLE operator_settings (
    key text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO operator_settings (key, value) VALUES
    ('operator.name', 'Mini-grid operator'),
    ('operator.currency', 'TZS'),
    ('operator.timezone', 'Africa/Dar_es_Salaam');
