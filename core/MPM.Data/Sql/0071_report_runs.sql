-- "Generate now" requests from the Reports page, run in the background by the host's report runner: queued, running
-- (with the format being rendered), done or failed with the reason. A run whose claim ran out (the host stopped
-- mid-run) is taken again.
CREATE TABLE report_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    step text,
    formats_done int NOT NULL DEFAULT 0,
    formats_total int NOT NULL DEFAULT 0,
    reason text,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    claimed_until timestamptz,
    finished_at timestamptz
);
CREATE INDEX report_runs_open ON report_runs (id) WHERE status IN ('queued', 'running');
