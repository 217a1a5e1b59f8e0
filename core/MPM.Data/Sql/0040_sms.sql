-- SMS gateways: delivery reports are matched by the gateway's message id; incoming messages are linked to the customer
-- whose phone matches (compared on the last 9 digits, so +255713000001 and 0713000001 are the same phone); a
-- gateway's retried webhook stores an incoming message once.
CREATE INDEX sms_messages_gateway_id ON sms_messages (gateway, gateway_message_id) WHERE gateway_message_id IS NOT NULL;
CREATE UNIQUE INDEX sms_messages_incoming_once ON sms_messages (gateway, gateway_message_id) WHERE direction = 'in' AND gateway_message_id IS NOT NULL;
CREATE INDEX sms_messages_phone ON sms_messages (phone, created_at DESC);
CREATE INDEX customers_phone_tail ON customers (right(regexp_replace(phone, '[^0-9]', '', 'g'), 9));

INSERT INTO sms_templates (key, body) VALUES
    ('sms.resend', 'Meter {meter}: your last token {token} for {kwh} kWh.');
