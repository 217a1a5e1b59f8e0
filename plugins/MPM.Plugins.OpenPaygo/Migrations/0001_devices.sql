-- Pay-as-you-go devices (solar home systems, appliances sold on rate plans) and the tokens issued for them.
CREATE TABLE devices (
    serial text PRIMARY KEY,
    secret_key text NOT NULL, -- protected with the host's Data Protection keys
    starting_code bigint NOT NULL,
    count int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL
);

CREATE TABLE tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_serial text NOT NULL REFERENCES devices (serial),
    count int NOT NULL,
    type text NOT NULL,
    value int,
    token text NOT NULL,
    reference text UNIQUE,
    issued_at timestamptz NOT NULL,
    requested_by text NOT NULL,
    UNIQUE (device_serial, count)
);
