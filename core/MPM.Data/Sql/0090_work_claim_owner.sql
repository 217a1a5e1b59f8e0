-- Which host holds a pipeline claim (a random id per host process), so that a host stopping gracefully can release its
-- own unfinished claims at once instead of leaving them to expire.
ALTER TABLE transactions ADD COLUMN claimed_by uuid;
ALTER TABLE provider_outbox ADD COLUMN claimed_by uuid;
ALTER TABLE sms_messages ADD COLUMN claimed_by uuid;
