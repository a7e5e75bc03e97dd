-- "Mes données" lists the e-mails sent to one member in the last 30 days.
CREATE INDEX outbox_by_recipient ON outbox(user_id, sent_at);
