-- The acknowledgement first sent for each accepted provider reference: a repeat gets exactly this answer.
CREATE TABLE acknowledgements (
    provider_reference text PRIMARY KEY,
    transaction_id bigint NOT NULL,
    answer text NOT NULL,
    created_at timestamptz NOT NULL
);
