-- 011: the outgoing-mail queue (edge/mail/queue.h explains the states).
--
-- Nothing here is a plaintext link: sealed_body is the vault-sealed
-- {text, html} of the message (Vault::seal, bound to message_id), and it is
-- set to NULL once the message is sent or failed. Recipient, subject and
-- the delivery history stay for the operator's view.
CREATE TABLE mail_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          TEXT,            -- the organization it concerns, if any
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    kind            TEXT NOT NULL DEFAULT '',  -- invitation, onboarding_link, password_reset, alert
    message_id      TEXT NOT NULL,   -- the Message-ID header, the same on every attempt
    sealed_body     BLOB,
    state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX mail_messages_due ON mail_messages(next_attempt_at) WHERE state = 'queued';
