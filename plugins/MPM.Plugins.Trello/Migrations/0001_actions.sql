-- Trello action ids the plugin knows: comments it posted itself (whose webhook echo is ignored) and webhook actions
-- already applied (a redelivery is ignored).
CREATE TABLE actions (
    action_id text PRIMARY KEY,
    card_id text NOT NULL,
    origin text NOT NULL CHECK (origin IN ('own', 'received')),
    created_at timestamptz NOT NULL
);
