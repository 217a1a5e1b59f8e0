-- Comments the platform is posting, one row per attempt, until the Trello action of that attempt is known. A webhook
-- comment whose action id is not known yet but matches an open row (same card, same text, recent) is the echo of an
-- attempt whose answer was lost or has not arrived yet: it claims the row and is not added to the ticket again.
CREATE TABLE own_comments (
    id bigserial PRIMARY KEY,
    card_id text NOT NULL,
    text_hash text NOT NULL,
    created_at timestamptz NOT NULL,
    action_id text UNIQUE
);

CREATE INDEX own_comments_open ON own_comments (card_id, text_hash, created_at) WHERE action_id IS NULL;
