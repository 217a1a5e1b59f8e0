-- Generated reports, kept: one file per kind, period and format (a report generated again replaces the file).
CREATE TABLE reports (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('weekly', 'monthly', 'payment-requests')),
    period_start date NOT NULL,
    period_end date NOT NULL,
    format text NOT NULL,
    content_type text NOT NULL,
    file_name text NOT NULL,
    content bytea NOT NULL,
    generated_at timestamptz NOT NULL,
    generated_by text NOT NULL,
    UNIQUE (kind, period_start, format)
);
CREATE INDEX reports_period ON reports (period_start DESC, kind);
