-- Meter types (phase, maximum current, online or not), which field registration records with a meter, and bearer
-- tokens for clients of plugin-owned APIs that sign in as an operator (e.g. the registration app).
CREATE TABLE meter_types (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    online boolean NOT NULL DEFAULT false,
    phase int NOT NULL CHECK (phase IN (1, 3)),
    max_current int NOT NULL CHECK (max_current > 0)
);
INSERT INTO meter_types (name, online, phase, max_current) VALUES
    ('Single-phase prepaid, 10 A', false, 1, 10),
    ('Single-phase prepaid, 40 A', false, 1, 40),
    ('Single-phase smart, 40 A', true, 1, 40),
    ('Three-phase prepaid, 60 A', false, 3, 60);

ALTER TABLE meters ADD COLUMN meter_type_id bigint REFERENCES meter_types (id);

-- Field agents register customers through a field app and use nothing else.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'manager', 'viewer', 'field-agent'));

-- Only a hash of each token is kept; a token is void once revoked or expired.
CREATE TABLE bearer_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    audience text NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX bearer_tokens_user ON bearer_tokens (user_id) WHERE revoked_at IS NULL;
