-- Operators, API keys, plugin settings, Data Protection keys and the audit log.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'manager', 'viewer')),
    failed_logins int NOT NULL DEFAULT 0,
    locked_until timestamptz,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    key_prefix text NOT NULL,
    key_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);

-- One row per plugin and scope ('plugin', or 'manufacturer:<id>'); secrets inside values are encrypted.
CREATE TABLE plugin_settings (
    plugin_id text NOT NULL,
    scope text NOT NULL,
    values jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (plugin_id, scope)
);

CREATE TABLE data_protection_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text NOT NULL,
    xml text NOT NULL
);

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    details text NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
