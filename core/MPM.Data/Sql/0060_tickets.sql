-- Tickets and maintenance. The built-in store: tickets live here whether or not a ticketing plugin (e.g. Trello) is
-- configured; with one, the ticket also keeps the provider's id and its reference there (e.g. a card id), and every
-- change waits in ticket_outbox (written in the same transaction as the change) until the provider has it.
CREATE TABLE ticket_categories (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    colour text NOT NULL CHECK (colour ~ '^#[0-9a-f]{6}$'),
    out_sourced boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ticket_categories_name ON ticket_categories (lower(name));

-- Who tickets are assigned to: a person (optionally an operator account) with their tag in the ticketing system.
CREATE TABLE ticket_users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    user_id bigint REFERENCES users (id),
    tag text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ticket_users_tag ON ticket_users (lower(tag));

-- External people who do maintenance jobs per contract; they get their jobs by SMS and answer "ticket ...".
CREATE TABLE contractors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    phone text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX contractors_phone_tail ON contractors (right(regexp_replace(phone, '[^0-9]', '', 'g'), 9));

CREATE TABLE tickets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    description text NOT NULL,
    category_id bigint NOT NULL REFERENCES ticket_categories (id),
    customer_id bigint REFERENCES customers (id),
    -- For filtering: the customer's mini-grid when there is a customer, else the one chosen.
    mini_grid_id bigint REFERENCES mini_grids (id),
    assignee_id bigint REFERENCES ticket_users (id),
    contractor_id bigint REFERENCES contractors (id),
    due_date date,
    status text NOT NULL CHECK (status IN ('open', 'closed')),
    -- What an out-sourced (maintenance) job costs: the payment-requests report sums it.
    price numeric(14,2) CHECK (price >= 0),
    provider text,
    external_reference text,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    closed_at timestamptz
);
CREATE UNIQUE INDEX tickets_external ON tickets (provider, external_reference) WHERE external_reference IS NOT NULL;
CREATE INDEX tickets_created ON tickets (created_at DESC, id DESC);
CREATE INDEX tickets_contractor_open ON tickets (contractor_id, created_at DESC) WHERE status = 'open';
CREATE INDEX tickets_mini_grid ON tickets (mini_grid_id, created_at);

CREATE TABLE ticket_comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES tickets (id),
    author text NOT NULL,
    text text NOT NULL,
    source text NOT NULL CHECK (source IN ('web', 'sms', 'provider')),
    created_at timestamptz NOT NULL
);
CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id, id);

-- Who did what to a ticket, when.
CREATE TABLE ticket_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES tickets (id),
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    details text
);
CREATE INDEX ticket_history_ticket ON ticket_history (ticket_id, id);

-- Changes for the ticket's provider, delivered in order per ticket (a create before its comments), retried with backoff.
CREATE TABLE ticket_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES tickets (id),
    provider text NOT NULL,
    action text NOT NULL CHECK (action IN ('create', 'comment', 'assign', 'close', 'reopen')),
    payload text,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until timestamptz,
    last_error text,
    created_at timestamptz NOT NULL,
    completed_at timestamptz
);
CREATE INDEX ticket_outbox_pending ON ticket_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ticket_outbox_ticket ON ticket_outbox (ticket_id, id) WHERE status = 'pending';

INSERT INTO sms_templates (key, body) VALUES
    ('maintenance.request', 'Job #{ticket}: {job}. Deadline {deadline}. Price {price} {currency}. Reply "ticket <your message>" to report.');
