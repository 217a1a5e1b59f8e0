-- Who created and who revoked an API key, for the API keys page (keys made before this have neither).
ALTER TABLE api_keys ADD COLUMN created_by text;
ALTER TABLE api_keys ADD COLUMN revoked_by text;
CREATE INDEX api_keys_prefix ON api_keys (key_prefix);
