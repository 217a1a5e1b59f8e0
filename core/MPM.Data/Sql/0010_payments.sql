-- The payment pipeline: transactions, their append-only allocation ledger, tokens, events, the provider outbox,
-- SMS messages and templates, and refused intake attempts.
CREATE TABLE transactions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider text NOT NULL,
    provider_reference text NOT NULL,
    meter_id bigint NOT NULL REFERENCES meters (id),
    meter_serial text NOT NULL,
    customer_id bigint NOT NULL REFERENCES customers (id),
    -- Where the meter was when paid: dashboards group by these without joins.
    village_id bigint NOT NULL REFERENCES villages (id),
    mini_grid_id bigint NOT NULL REFERENCES mini_grids (id),
    cluster_id bigint NOT NULL REFERENCES clusters (id),
    connection_type_id bigint REFERENCES connection_types (id),
    amount numeric(14,2) NOT NULL CHECK (amount > 0),
    currency text NOT NULL,
    payer_phone text,
    raw_data text NOT NULL,
    -- received → processing (allocated, waiting for its token) → confirmed | cancelled
    status text NOT NULL CHECK (status IN ('received', 'processing', 'confirmed', 'cancelled')),
    reason text,
    energy_kwh numeric(14,1),
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until timestamptz,
    last_error text,
    received_at timestamptz NOT NULL,
    completed_at timestamptz,
    UNIQUE (provider, provider_reference)
);
CREATE INDEX transactions_pending ON transactions (next_attempt_at) WHERE status IN ('received', 'processing');
CREATE INDEX transactions_received ON transactions (received_at DESC, id DESC);
CREATE INDEX transactions_meter ON transactions (meter_id, received_at DESC);
CREATE INDEX transactions_customer ON transactions (customer_id, received_at DESC);
CREATE INDEX transactions_mini_grid ON transactions (mini_grid_id, received_at);

-- Append-only: a reversal is a compensating row with the negative amount that points at the row it reverses.
CREATE TABLE allocations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES transactions (id),
    type text NOT NULL CHECK (type IN ('asset-rate', 'access-rate', 'energy')),
    amount numeric(14,2) NOT NULL,
    asset_rate_id bigint REFERENCES asset_rates (id),
    description text NOT NULL,
    reverses_id bigint REFERENCES allocations (id),
    created_at timestamptz NOT NULL
);
CREATE INDEX allocations_transaction ON allocations (transaction_id);

CREATE TABLE tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id bigint NOT NULL UNIQUE REFERENCES transactions (id),
    meter_id bigint NOT NULL REFERENCES meters (id),
    value text NOT NULL,
    kind text NOT NULL,
    amount numeric(14,1) NOT NULL,
    unit text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX tokens_meter ON tokens (meter_id, created_at DESC);

CREATE TABLE transaction_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES transactions (id),
    at timestamptz NOT NULL,
    event text NOT NULL,
    details text
);
CREATE INDEX transaction_events_transaction ON transaction_events (transaction_id, id);

-- Telling a provider plugin the outcome of its payment (result call, rollback), retried until delivered.
CREATE TABLE provider_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id bigint NOT NULL UNIQUE REFERENCES transactions (id),
    provider text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until timestamptz,
    response text,
    created_at timestamptz NOT NULL,
    completed_at timestamptz
);
CREATE INDEX provider_outbox_pending ON provider_outbox (next_attempt_at) WHERE status = 'pending';

-- Outgoing and incoming SMS. Outgoing rows are their own outbox: queued → sent → delivered | failed.
CREATE TABLE sms_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    direction text NOT NULL CHECK (direction IN ('out', 'in')),
    phone text NOT NULL,
    customer_id bigint REFERENCES customers (id),
    transaction_id bigint REFERENCES transactions (id),
    body text NOT NULL,
    status text NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'received')),
    gateway text,
    gateway_message_id text,
    reason text,
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX sms_messages_queued ON sms_messages (next_attempt_at) WHERE status = 'queued';
CREATE INDEX sms_messages_transaction ON sms_messages (transaction_id);
CREATE INDEX sms_messages_customer ON sms_messages (customer_id, created_at DESC);
CREATE INDEX sms_messages_created ON sms_messages (created_at DESC, id DESC);

CREATE TABLE sms_templates (
    key text PRIMARY KEY,
    body text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO sms_templates (key, body) VALUES
    ('payment.confirmed', 'Meter {meter}: token {token} for {kwh} kWh. Paid {amount} {currency}: {allocations}.'),
    ('payment.confirmed-no-token', 'Meter {meter}: paid {amount} {currency}: {allocations}. No energy token this time.'),
    ('payment.cancelled', 'Meter {meter}: your payment of {amount} {currency} could not be processed: {reason}. Reference {reference}.');

-- Payments refused at intake are not transactions; the attempt is logged here.
CREATE TABLE intake_refusals (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider text NOT NULL,
    provider_reference text NOT NULL,
    meter_serial text NOT NULL,
    amount numeric(14,2),
    reason_code text NOT NULL,
    message text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX intake_refusals_at ON intake_refusals (at DESC);
