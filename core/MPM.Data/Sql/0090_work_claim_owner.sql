-- Which host holds a pipeline claim (a random id per host process), so that a host stopping gracefully can release its
-- own unfinished claims at once instead of leaving them to expire.
ALTER TABLE transactions ADD COLUMN claimed_by uuid;
ALTER TABLE provider_outbox ADD COLUMN claimed_by uuid;
ALTER TABLE sms_messages ADD COLUMN claimed_by uuid;
-- Only work in hand has claimed_until set (finishing clears it), so releasing reads these small indexes, not the tables.
CREATE INDEX transactions_claimed_by ON transactions (claimed_by) WHERE claimed_until IS NOT NULL;
CREATE INDEX provider_outbox_claimed_by ON provider_outbox (claimed_by) WHERE claimed_until IS NOT NULL;
CREATE INDEX sms_messages_claimed_by ON sms_messages (claimed_by) WHERE claimed_until IS NOT NULL;
