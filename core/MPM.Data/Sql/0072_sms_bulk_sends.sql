-- A bulk SMS as one send: its messages carry its id, so the SMS page can show how many of them are queued, sent,
-- delivered or failed while a large send goes out.
CREATE TABLE sms_bulk_sends (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audience text NOT NULL,
    body text NOT NULL,
    recipients int NOT NULL,
    sent_by text NOT NULL,
    created_at timestamptz NOT NULL
);
ALTER TABLE sms_messages ADD COLUMN bulk_send_id bigint REFERENCES sms_bulk_sends (id);
CREATE INDEX sms_messages_bulk_send ON sms_messages (bulk_send_id, status) WHERE bulk_send_id IS NOT NULL;
