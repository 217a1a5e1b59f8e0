-- Every token the plugin issued, and the last TID per meter: a meter refuses a TID it has seen.
CREATE TABLE meter_tids (
    meter_serial text PRIMARY KEY,
    last_tid int NOT NULL
);

CREATE TABLE tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meter_serial text NOT NULL,
    transaction_id bigint,
    kind text NOT NULL,
    subclass int NOT NULL,
    value numeric(14,1) NOT NULL,
    token text NOT NULL,
    tid int NOT NULL,
    issued_at timestamptz NOT NULL,
    requested_by text NOT NULL
);
CREATE UNIQUE INDEX tokens_one_per_transaction ON tokens (transaction_id) WHERE transaction_id IS NOT NULL;
CREATE INDEX tokens_meter ON tokens (meter_serial, issued_at DESC);
